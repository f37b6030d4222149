"""Records of the export contract (../shared/eval/CONTRACT.md), one JSON object per line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timezone
from pathlib import Path
from typing import Any, TextIO

from ..errors import SitrepError
from ..store import Store

FORMATS = ("jsonl",)


def export_records(store: Store) -> Iterator[dict[str, Any]]:
    """Documents (latest version of each source), then their timestamped entries."""
    for doc in store.documents():
        yield {"kind": "document", "id": doc.id, "path": doc.path, "outlet": doc.outlet,
               "published": doc.published.isoformat() if doc.published else None, "url": doc.url,
               "title": doc.title, "version": doc.version}
    for entry in store.entries():
        if entry.time is None:  # the contract lists timestamped updates only
            continue
        yield {"kind": "entry", "id": entry.id, "document": entry.document,
               "time": entry.time.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "label": entry.label, "start": entry.start, "end": entry.end}


def write_export(store: Store, out: TextIO, fmt: str = "jsonl") -> int:
    """Write every record to `out`; returns how many were written."""
    if fmt not in FORMATS:
        raise SitrepError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    n = 0
    for record in export_records(store):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def export(db: str | Path, out: TextIO, fmt: str = "jsonl") -> int:
    """Export the store at `db` to `out` (see `write_export`).

    >>> import sys; export("sitrep.db", sys.stdout)  # doctest: +SKIP
    """
    with Store(db) as store:
        return write_export(store, out, fmt)
