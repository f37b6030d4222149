"""Ingest: read a source into a `Document` with its live-blog entries and boilerplate marks.

The text is kept exactly as decoded (or as trafilatura extracted it from HTML); every later
offset refers to it, and its content hash is the document's id. Reading holds at most the
file's bytes and its text at once (about twice the file for ASCII): the bytes are dropped
as soon as they are decoded and the hash is computed slice by slice.
"""
from __future__ import annotations

import hashlib
from datetime import date

from ..errors import EncodingError, InputError
from ..model import Document
from .boilerplate import mark_boilerplate
from .decode import decode_bytes
from .files import DEFAULT_MAX_BYTES, gunzip_if_gzip, read_limited, too_large
from .html import extract_page
from .liveblog import split_entries
from .sources import Source, read_manifest, sources_from_paths

__all__ = ["DEFAULT_MAX_BYTES", "Source", "read_document", "read_manifest", "sources_from_paths", "content_id"]

HASH_SLICE = 1024 * 1024  # characters encoded at a time for the hash: a bounded copy, not a second text
# Publication days outside this are typing mistakes (0001-01-01, 9999-12-31); refused here, they cannot reach
# date arithmetic downstream ("yesterday" of 0001-01-01 overflows).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def content_id(text: str) -> str:
    """A stable id from the text alone: the same article ingested twice is the same document.

    The hash of the UTF-8 text, fed a slice at a time so a big text is never encoded whole.
    """
    digest = hashlib.sha256()
    for i in range(0, len(text), HASH_SLICE):
        digest.update(text[i:i + HASH_SLICE].encode("utf-8"))
    return digest.hexdigest()[:16]


def read_document(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode and split one source. Raises an `InputError` that names the source."""
    data = _load(source, max_bytes)
    text, encoding = decode_bytes(data, source.name)
    del data  # the text is all that is needed from here on: never hold a file twice over
    title, published = source.title, source.published
    if source.is_html or _looks_like_html(text):
        page = extract_page(text, source.name, source.url)
        text, title, published = page.text, title or page.title, published or page.published
    if published is not None and not EARLIEST_DAY <= published <= LATEST_DAY:
        raise InputError(f"{source.name}: the publication day {published.isoformat()} is not a plausible one; give "
                         f"the day the article appeared as YYYY-MM-DD. Nothing from it was stored.")
    if not text or text.isspace():  # not text.strip(): that would copy a big text
        raise InputError(f"{source.name}: no text. Check it is an article; nothing from it was stored.")
    try:
        doc_id = content_id(text)
    except UnicodeEncodeError as e:  # a lone surrogate, from a JSON "\\ud800" escape or a UTF-7 guess
        raise EncodingError(f"{source.name}: the text holds a character UTF-8 cannot store "
                            f"({e.object[e.start:e.end]!r}, {e.reason}). Convert it to UTF-8 and ingest it again; "
                            f"nothing from it was stored.") from e
    try:
        entries = split_entries(text, published, source.timezone)
    except InputError as e:
        raise InputError(f"{source.name}: {e}") from e
    return Document(id=doc_id, source_key=source.key or f"content:{doc_id}", text=text, path=source.path,
                    url=source.url, outlet=source.outlet, published=published, timezone=source.timezone,
                    title=title, encoding=encoding,
                    media_type="text/html" if source.is_html else "text/plain",
                    entries=entries, marks=mark_boilerplate(text))


def _load(source: Source, max_bytes: int) -> bytes | bytearray:
    if source.data is None:
        return read_limited(source.file, source.name, max_bytes)
    if len(source.data) > max_bytes:
        raise too_large(source.name, max_bytes)
    return gunzip_if_gzip(source.data, source.name, max_bytes)


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:20000])
