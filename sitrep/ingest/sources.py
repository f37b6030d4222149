"""Where documents come from: manifests, files, folders, JSON Lines and standard input.

Each input becomes a `Source` (what to read, plus the metadata the user gave); reading it is
left to `read_document`, so one bad file never stops the listing of the others.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..errors import InputError, ManifestError, MissingInputError
from .files import DEFAULT_MAX_BYTES, iter_lines

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
COMPRESSED_SUFFIX = ".gz"  # article.txt.gz, page.html.gz, feed.jsonl.gz: read through files.py's guards
# Metadata a JSON Lines record may carry; each must be a string (or absent), never a number or a list.
JSONL_FIELDS = ("url", "outlet", "published", "timezone", "title")
MANIFEST_COLUMNS = ("path", "url", "outlet", "published")


@dataclass(frozen=True, slots=True)
class Source:
    """One document to read, and what the user told us about it (which wins over guesses)."""

    name: str  # for messages: a path, "<stdin>", or "feed.jsonl line 3"
    key: str  # identity across versions: the url, else the file, else the content
    path: str | None = None  # the manifest's `path` value, or the path as given
    file: Path | None = None
    data: bytes | None = None  # set when the content is already in hand (stdin, JSON Lines)
    is_html: bool = False
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    timezone: str | None = None
    title: str | None = None


def parse_day(value: str | None, where: str) -> date | None:
    """An ISO day (YYYY-MM-DD) or nothing; anything else is the user's to fix."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as e:
        raise InputError(f"{where}: published date {value!r} is not an ISO date; write it as YYYY-MM-DD.") from e


def read_manifest(manifest: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source | InputError]:
    """Sources a manifest lists (tab-separated: path, url, outlet, published[, timezone]).

    A malformed manifest raises `ManifestError`; a bad row yields an `InputError` and the rest go on.
    `max_bytes` bounds each line of a JSON Lines file it names (the files themselves are read later).
    """
    manifest = Path(manifest)
    try:
        raw = manifest.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise ManifestError(f"{manifest}: no such manifest. Check the path.") from e
    except (UnicodeDecodeError, OSError) as e:
        raise ManifestError(f"{manifest}: cannot be read as a UTF-8 text file ({e}). A manifest is a "
                            f"tab-separated file with the header: {chr(9).join(MANIFEST_COLUMNS)}") from e
    rows = csv.DictReader(raw.splitlines(), delimiter="\t")
    try:
        header = [h.strip() for h in (rows.fieldnames or [])]
    except csv.Error as e:
        raise ManifestError(f"{manifest}: the header cannot be read as tab-separated values ({e}). A manifest "
                            f"is tab-separated with the header: {chr(9).join(MANIFEST_COLUMNS)}") from e
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise ManifestError(f"{manifest}: the header lacks {', '.join(missing)}. A manifest is tab-separated "
                            f"with the header: {chr(9).join(MANIFEST_COLUMNS)} (and optionally timezone).")
    rows.fieldnames = header
    try:
        yield from _manifest_rows(manifest, rows, header, max_bytes)
    except csv.Error as e:  # a field over csv's size limit, a stray quote at the end of the file
        raise ManifestError(f"{manifest} line {rows.reader.line_num}: cannot be read as tab-separated values ({e}). "
                            f"Fix that line; nothing from the manifest was stored.") from e


def _manifest_rows(manifest: Path, rows: csv.DictReader, header: list[str],
                   max_bytes: int) -> Iterator[Source | InputError]:
    for line_no, row in enumerate(rows, start=2):
        where = f"{manifest} line {line_no}"
        if None in row or any(v is None for k, v in row.items() if k in MANIFEST_COLUMNS):
            yield InputError(f"{where}: expected {len(header)} tab-separated columns; fix the row. "
                             f"Nothing from it was stored.")
            continue
        path_value = row["path"].strip()
        if not path_value:
            yield InputError(f"{where}: the path column is empty; name the file to ingest.")
            continue
        try:
            published = parse_day(row["published"], where)
        except InputError as e:
            yield e
            continue
        file = manifest.parent / path_value
        source = replace(_file_source(file, name=str(file)), path=path_value,
                         url=row["url"].strip() or None, outlet=row["outlet"].strip() or None,
                         published=published, timezone=(row.get("timezone") or "").strip() or None,
                         key=row["url"].strip() or _file_key(file))
        if kind_suffix(file) in JSONL_SUFFIXES:
            yield from read_jsonl(source, max_bytes=max_bytes)
        else:
            yield source


def sources_from_paths(paths: list[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                       **metadata: object) -> Iterator[Source | InputError]:
    """Sources for files, folders (recursively, readable suffixes only, gzip ones too) and '-' for standard input.

    `max_bytes` bounds each line of a JSON Lines file (the other files are read later, by `read_document`).
    """
    for given in paths:
        if given == "-":
            yield Source(name="<stdin>", key="", path=None, **metadata)  # type: ignore[arg-type]
            continue
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and kind_suffix(p) in READABLE_SUFFIXES):
                yield from _expand(file, metadata, max_bytes)
        elif not path.exists():
            yield MissingInputError(f"{given}: no such file or folder. Check the path; nothing from it was stored.")
        else:
            yield from _expand(path, metadata, max_bytes)


def kind_suffix(file: Path) -> str:
    """The suffix that says what a file holds, under any .gz: "feed.jsonl.gz" -> ".jsonl"."""
    suffixes = [s.lower() for s in file.suffixes]
    if suffixes and suffixes[-1] == COMPRESSED_SUFFIX:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _expand(file: Path, metadata: dict[str, object], max_bytes: int) -> Iterator[Source | InputError]:
    source = replace(_file_source(file, name=str(file)), path=str(file), **metadata)  # type: ignore[arg-type]
    if metadata.get("url"):
        source = replace(source, key=str(metadata["url"]))
    if kind_suffix(file) in JSONL_SUFFIXES:
        yield from read_jsonl(source, max_bytes=max_bytes)
    else:
        yield source


def read_jsonl(container: Source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source | InputError]:
    """One source per line of a JSON Lines file: {text or html, url, outlet, published, timezone, title, id}.

    The file is read a line at a time (gzip too), so a feed bigger than memory still lists; a line over
    `max_bytes` is reported, not read.
    """
    if container.data is not None:
        lines: Iterator[bytes | InputError] = iter(container.data.splitlines())
    elif container.file is not None:
        lines = iter_lines(container.file, container.name, max_bytes)
    else:
        return
    for line_no, line in enumerate(lines, start=1):
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        yield _jsonl_source(container, line, f"{container.name} line {line_no}")


def _jsonl_source(container: Source, line: bytes, where: str) -> Source | InputError:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        reason = "nested too deeply" if isinstance(e, RecursionError) else str(e)
        return InputError(f"{where}: not valid JSON ({reason}); fix or remove the line. Nothing from it was stored.")
    if not isinstance(record, dict) or not isinstance(record.get("text") or record.get("html"), str):
        return InputError(f"{where}: each line needs a \"text\" or \"html\" string; nothing from it was stored.")
    wrong = [k for k in JSONL_FIELDS if record.get(k) is not None and not isinstance(record[k], str)]
    if wrong:
        return InputError(f"{where}: \"{wrong[0]}\" must be a string, not {type(record[wrong[0]]).__name__}; "
                          f"fix the line. Nothing from it was stored.")
    try:
        published = parse_day(record.get("published"), where) or container.published
    except InputError as e:
        return e
    is_html = not isinstance(record.get("text"), str)
    try:
        data = (record["html"] if is_html else record["text"]).encode("utf-8")
    except UnicodeEncodeError as e:  # "\ud800": JSON may escape a lone surrogate, which no text file can hold
        return InputError(f"{where}: the text holds an unpaired surrogate escape ({e.object[e.start:e.end]!r}), "
                          f"which is not a character; fix the line. Nothing from it was stored.")
    url = record.get("url") or container.url
    record_id = record.get("id")
    return Source(name=where, key=url or (f"{container.key}#{record_id}" if record_id not in (None, "") else ""),
                  path=container.path, data=data, is_html=is_html, url=url,
                  outlet=record.get("outlet") or container.outlet, published=published,
                  timezone=record.get("timezone") or container.timezone, title=record.get("title"))


def _file_source(file: Path, name: str) -> Source:
    return Source(name=name, key=_file_key(file), file=file, is_html=kind_suffix(file) in HTML_SUFFIXES)


def _file_key(file: Path) -> str:
    try:
        return f"file:{file.resolve()}"
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name too long, a NUL: reading will say so
        return f"file:{file.absolute()}"
