"""Report: what the store holds, for tools and people.

Exports (`FORMATS`): JSON Lines per the export contract, ACLED-style CSV and GeoJSON; a self-contained
HTML situation report (`html`); browsing in Datasette (`browse`, an optional extra).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from ..errors import SitrepError
from ..store import Store
from .export import export_records
from .export import write_export as write_jsonl
from .html import ReportSummary, render_report, write_report
from .tabular import write_csv, write_geojson

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def _write_jsonl(store: Store, out: TextIO, progress: Progress | None = None) -> int:
    """The contract's format, written by `export.py` exactly as before (no progress: it streams)."""
    return write_jsonl(store, out, "jsonl")


# Every export format and its writer: `sitrep export --format` offers exactly these.
WRITERS: dict[str, Callable[..., int]] = {"jsonl": _write_jsonl, "csv": write_csv, "geojson": write_geojson}
FORMATS = tuple(WRITERS)


def write_export(store: Store, out: TextIO, fmt: str = "jsonl", progress: Progress | None = None) -> int:
    """Write the store's records to `out` in `fmt`; returns how many records (rows, features) were written."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise SitrepError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    return writer(store, out, progress)


def export(db: str | Path, out: TextIO, fmt: str = "jsonl", progress: Progress | None = None) -> int:
    """Export the store at `db` to `out` (see `write_export`).

    >>> import sys; export("sitrep.db", sys.stdout, "csv")  # doctest: +SKIP
    """
    with Store(db) as store:
        return write_export(store, out, fmt, progress)


__all__ = ["FORMATS", "WRITERS", "ReportSummary", "export", "export_records", "render_report", "write_csv",
           "write_export", "write_geojson", "write_jsonl", "write_report"]
