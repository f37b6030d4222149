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

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
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


def read_manifest(manifest: str | Path) -> Iterator[Source | InputError]:
    """Sources a manifest lists (tab-separated: path, url, outlet, published[, timezone]).

    A malformed manifest raises `ManifestError`; a bad row yields an `InputError` and the rest go on.
    """
    manifest = Path(manifest)
    try:
        raw = manifest.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise ManifestError(f"{manifest}: no such manifest. Check the path.") from e
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as e:
        raise ManifestError(f"{manifest}: cannot be read as a UTF-8 text file ({e}). A manifest is a "
                            f"tab-separated file with the header: {chr(9).join(MANIFEST_COLUMNS)}") from e
    rows = csv.DictReader(raw.splitlines(), delimiter="\t")
    header = [h.strip() for h in (rows.fieldnames or [])]
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise ManifestError(f"{manifest}: the header lacks {', '.join(missing)}. A manifest is tab-separated "
                            f"with the header: {chr(9).join(MANIFEST_COLUMNS)} (and optionally timezone).")
    rows.fieldnames = header
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
        if file.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(source)
        else:
            yield source


def sources_from_paths(paths: list[str], **metadata: object) -> Iterator[Source | InputError]:
    """Sources for files, folders (recursively, readable suffixes only) and '-' for standard input."""
    for given in paths:
        if given == "-":
            yield Source(name="<stdin>", key="", path=None, **metadata)  # type: ignore[arg-type]
            continue
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES):
                yield from _expand(file, metadata)
        elif not path.exists():
            yield MissingInputError(f"{given}: no such file or folder. Check the path; nothing from it was stored.")
        else:
            yield from _expand(path, metadata)


def _expand(file: Path, metadata: dict[str, object]) -> Iterator[Source | InputError]:
    source = replace(_file_source(file, name=str(file)), path=str(file), **metadata)  # type: ignore[arg-type]
    if metadata.get("url"):
        source = replace(source, key=str(metadata["url"]))
    if file.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl(source)
    else:
        yield source


def read_jsonl(container: Source) -> Iterator[Source | InputError]:
    """One source per line of a JSON Lines file: {text or html, url, outlet, published, title, id}."""
    raw = container.data if container.data is not None else _read_bytes(container)
    if isinstance(raw, InputError):
        yield raw
        return
    for line_no, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{container.name} line {line_no}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            yield InputError(f"{where}: not valid JSON ({e}); fix or remove the line. Nothing from it was stored.")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text") or record.get("html"), str):
            yield InputError(f"{where}: each line needs a \"text\" or \"html\" string; nothing from it was stored.")
            continue
        try:
            published = parse_day(record.get("published"), where) or container.published
        except InputError as e:
            yield e
            continue
        is_html = not isinstance(record.get("text"), str)
        url = record.get("url") or container.url
        yield Source(name=where, key=url or (f"{container.key}#{record['id']}" if record.get("id") else ""),
                     path=container.path, data=(record["html"] if is_html else record["text"]).encode("utf-8"),
                     is_html=is_html, url=url, outlet=record.get("outlet") or container.outlet,
                     published=published, timezone=record.get("timezone") or container.timezone,
                     title=record.get("title"))


def _file_source(file: Path, name: str) -> Source:
    return Source(name=name, key=_file_key(file), file=file, is_html=file.suffix.lower() in HTML_SUFFIXES)


def _file_key(file: Path) -> str:
    return f"file:{file.resolve()}"


def _read_bytes(source: Source) -> bytes | InputError:
    try:
        return source.file.read_bytes() if source.file else b""
    except FileNotFoundError:
        return MissingInputError(f"{source.name}: no such file. Check the manifest's path column; nothing from "
                                 f"it was stored.")
    except (IsADirectoryError, PermissionError) as e:
        return InputError(f"{source.name}: cannot be read ({e.strerror}); nothing from it was stored.")
