"""Ingest: read a source into a `Document` with its live-blog entries and boilerplate marks.

The text is kept exactly as decoded (or as trafilatura extracted it from HTML); every later
offset refers to it, and its content hash is the document's id.
"""
from __future__ import annotations

import hashlib
import sys

from ..errors import InputError, MissingInputError, TooLargeError
from ..model import Document
from .boilerplate import mark_boilerplate
from .decode import decode_bytes
from .html import extract_page
from .liveblog import split_entries
from .sources import Source, read_manifest, sources_from_paths

__all__ = ["DEFAULT_MAX_BYTES", "Source", "read_document", "read_manifest", "sources_from_paths", "content_id"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # far above any article; a bigger file is almost always a mistake


def content_id(text: str) -> str:
    """A stable id from the text alone: the same article ingested twice is the same document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_document(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, decode and split one source. Raises an `InputError` that names the source."""
    data = _load(source, max_bytes)
    text, encoding = decode_bytes(data, source.name)
    title, published = source.title, source.published
    if source.is_html or _looks_like_html(text):
        page = extract_page(text, source.name, source.url)
        text, title, published = page.text, title or page.title, published or page.published
    if not text.strip():
        raise InputError(f"{source.name}: no text. Check it is an article; nothing from it was stored.")
    doc_id = content_id(text)
    try:
        entries = split_entries(text, published, source.timezone)
    except InputError as e:
        raise InputError(f"{source.name}: {e}") from e
    return Document(id=doc_id, source_key=source.key or f"content:{doc_id}", text=text, path=source.path,
                    url=source.url, outlet=source.outlet, published=published, timezone=source.timezone,
                    title=title, encoding=encoding,
                    media_type="text/html" if source.is_html else "text/plain",
                    entries=entries, marks=mark_boilerplate(text))


def _load(source: Source, max_bytes: int) -> bytes:
    if source.data is not None:
        data = source.data
    elif source.file is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            size = source.file.stat().st_size
        except FileNotFoundError as e:
            raise MissingInputError(f"{source.name}: no such file. Check the path (in a manifest, relative to the "
                             f"manifest's folder); nothing from it was stored.") from e
        if size > max_bytes:
            raise _too_large(source, max_bytes)
        try:
            data = source.file.read_bytes()
        except (IsADirectoryError, PermissionError) as e:
            raise InputError(f"{source.name}: cannot be read ({e.strerror}); nothing from it was stored.") from e
    if len(data) > max_bytes:
        raise _too_large(source, max_bytes)
    return data


def _too_large(source: Source, max_bytes: int) -> TooLargeError:
    return TooLargeError(f"{source.name}: larger than the {max_bytes // (1024 * 1024)} MiB limit. If it really "
                         f"is one article, raise the limit with --max-mb; nothing from it was stored.")


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:20000])
