"""Web archives (WARC, ISO 28500), as crawlers write them: each HTML page captured becomes a source.

A `response` record whose HTTP status is 200 and whose Content-Type is HTML is one source, keyed by
its URL (so a later capture of the same live blog is a new version of it) and published on the day
of its WARC-Date unless the user gave a day. Other records (requests, metadata, images, redirects,
error pages) are skipped. The archive is read a record at a time, gzip or not, through warcio.
"""
from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .errors import InputError, MissingInputError
from .ingest import DEFAULT_MAX_BYTES, Source
from .ingest.files import too_large

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: str | Path) -> bool:
    """Is this file named as a WARC archive?"""
    return str(path).lower().endswith(WARC_SUFFIXES)


def sources_from_warc(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, outlet: str | None = None,
                      published: date | None = None, timezone: str | None = None,
                      **ignored: object) -> Iterator[Source | InputError]:
    """One source per captured HTML page, in archive order; a damaged archive yields an `InputError` and
    ends there. `published` (the user's) wins over each record's WARC-Date; a --url names one page, so
    it does not apply to an archive's many (`ignored`).

    >>> [s.url for s in sources_from_warc("crawl.warc.gz") if isinstance(s, Source)]  # doctest: +SKIP
    ['https://example.org/live/1', 'https://example.org/live/2']
    """
    path = Path(path)
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        yield MissingInputError(f"{path}: no such file. Check the path; nothing from it was stored.")
        return
    except OSError as e:
        yield InputError(f"{path}: cannot be read ({e.strerror or e}); nothing from it was stored.")
        return
    pages = 0
    with fh:
        try:
            for record in ArchiveIterator(fh):
                source = _page(record, path, max_bytes, outlet=outlet, published=published, timezone=timezone)
                if source is not None:
                    pages += 1
                    yield source
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as e:
            yield InputError(f"{path}: not a WARC archive, or a damaged one ({e}); {pages} pages before the "
                             f"damage were read, nothing after it. Check the file is a complete .warc or .warc.gz.")
            return
    log.info("%s: %d HTML pages", path, pages)


def _page(record, path: Path, max_bytes: int, **metadata: object) -> Source | InputError | None:  # noqa: ANN001
    """The source of one record, or None for a record that is not a captured HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if record.http_headers.get_statuscode() != "200" or not content_type.startswith(HTML_TYPES):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    name = f"{path} ({url})"
    if not url:
        return InputError(f"{path}: a response record has no WARC-Target-URI; it was skipped. The archive may "
                          f"be malformed.")
    try:
        data = record.content_stream().read(max_bytes + 1)  # undoes chunked and gzip transfer encodings
    except (OSError, ValueError, EOFError, zlib.error) as e:
        return InputError(f"{name}: the page's content cannot be decoded ({e}); nothing from it was stored.")
    if len(data) > max_bytes:
        return too_large(name, max_bytes)
    published = metadata.pop("published") or _capture_day(record.rec_headers.get_header("WARC-Date"))
    return Source(name=name, key=url, path=str(path), data=data, is_html=True, url=url,
                  published=published, **metadata)  # type: ignore[arg-type]


def _capture_day(value: str | None) -> date | None:
    """The UTC day of a WARC-Date (2016-12-09T10:15:00Z); None if absent or malformed."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None
