"""Records of the export contract (../shared/eval/CONTRACT.md), one JSON object per line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from calendar import monthrange
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

from ..errors import SitrepError
from ..model import Claim, Event, Evidence, Range
from ..resolve import Conflict, FigureGroup, MergedEvent, current_resolution
from ..store import Store

FORMATS = ("jsonl",)


def export_records(store: Store) -> Iterator[dict[str, Any]]:
    """Documents (latest version of each source), their timestamped entries, merged events, claims,
    conflicts, then reconciled figure groups.

    Each kind comes in document ingest order; events and claims then by where their earliest evidence starts
    (a merged event where its first member would be). Events are merged across documents (`sitrep.resolve`):
    the stored resolution when it is current, else one computed here without writing.
    """
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
    resolution = current_resolution(store)
    for merged in resolution.events:
        yield merged_event_record(merged)
    for claim in store.claims():
        yield claim_record(claim)
    for conflict in resolution.conflicts:
        yield conflict_record(conflict)
    for group in resolution.figure_groups:
        yield figure_record(group)


def event_record(event: Event) -> dict[str, Any]:
    """The contract's event: fatalities lists only the figures the text gives."""
    loc = event.location
    location = None if loc is None else {
        "name": loc.name, "admin1": loc.admin1, "country": loc.country, "lat": loc.lat, "lon": loc.lon,
        "precision": loc.precision, "aliases": list(loc.aliases)}
    fatalities = {key: _range(figure) for key, figure in (("killed", event.killed), ("injured", event.injured))
                  if figure is not None}
    return {"kind": "event", "id": event.id, "event_type": event.event_type, "sub_event_type": event.sub_event_type,
            **_when(event),
            "location": location, "actors": list(event.actors), "actors_raw": list(event.actors_raw),
            "fatalities": fatalities, "sources": list(event.sources), "documents": [event.document],
            "evidence": _evidence(event.evidence)}


def _when(event: Event) -> dict[str, Any]:
    """The contract's `date` is a day: an event known only to a week or a month ("last week") has none,
    and says which period it falls in instead."""
    if event.date is None or event.date_precision in (None, "day"):
        return {"date": event.date.isoformat() if event.date else None, "date_precision": event.date_precision}
    if event.date_precision == "week":
        end = event.date + timedelta(days=6)
    else:  # month (a year is never an event's date: it is background)
        end = event.date.replace(day=monthrange(event.date.year, event.date.month)[1])
    return {"date": None, "date_precision": event.date_precision,
            "period": {"start": event.date.isoformat(), "end": end.isoformat()}}


def merged_event_record(merged: MergedEvent) -> dict[str, Any]:
    """The contract's event for every report of one occurrence: the representative member's type, day and
    place; actors, sources, documents and evidence of all members; figures reconciled with their rule; a grade."""
    record = event_record(merged.representative)
    figures = {key: figure for key, figure in (("killed", merged.killed), ("injured", merged.injured)) if figure}
    record.update(
        id=merged.id, actors=list(merged.actors), actors_raw=list(merged.actors_raw),
        fatalities={key: _range(figure.value) for key, figure in figures.items()},
        sources=list(merged.sources), documents=list(merged.documents), evidence=_evidence(merged.evidence))
    record.update(sources_raw=list(merged.sources_raw),
                  fatalities_rule={key: figure.rule for key, figure in figures.items()},
                  grade=merged.grade, grade_reason=merged.grade_reason, members=list(merged.members))
    return record


def conflict_record(conflict: Conflict) -> dict[str, Any]:
    """The contract's conflict; `type` says which rule found it (figures, ceasefire, denial)."""
    return {"kind": "conflict", "id": conflict.id, "type": conflict.kind, "items": list(conflict.items),
            "reason": conflict.reason}


def figure_record(group: FigureGroup) -> dict[str, Any]:
    """Claims that count the same thing, with the reconciled figure and the rule that chose it."""
    return {"kind": "figure", "id": group.id, "measure": group.measure, "subject": group.subject,
            "place": group.place, "period": group.period.isoformat() if group.period else None,
            "value": _range(group.figure.value), "rule": group.figure.rule, "claims": list(group.claims)}


def claim_record(claim: Claim) -> dict[str, Any]:
    """The contract's claim; `text` is its first evidence, the words a reader checks the figure against."""
    return {"kind": "claim", "id": claim.id, "document": claim.document, "claimant": claim.claimant,
            "claimant_raw": claim.claimant_raw, "measure": claim.measure, "subject": claim.subject,
            "value": _range(claim.value), "vague": claim.is_vague,
            "date": claim.date.isoformat() if claim.date else None, "place": claim.place,
            "modality": claim.modality, "part_of": claim.part_of,
            "text": claim.evidence[0].text if claim.evidence else None, "evidence": _evidence(claim.evidence)}


def _range(figure: Range) -> dict[str, int | None]:
    return {"low": figure.low, "best": figure.best, "high": figure.high}


def _evidence(evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [{"document": e.document, "start": e.start, "end": e.end, "text": e.text} for e in evidence]


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
