"""Cross-document resolution: one event from many reports, reconciled figures, contradictions, grades.

Modules, in the order `resolve_records` uses them:
    names      sources and actors through the lexicon's aliases; who is independent of whom
    coref      which events are one occurrence, blocked by day and place (near-linear)
    figures    low / best / high over the reports of one count, with the rule in words
    conflicts  figures that disagree, violence during a declared halt, denials
    grades     confirmed, denied, contested, corroborated or single source, per event
    records    the frozen results: MergedEvent, FigureGroup, Conflict, Resolution

`resolve_records` is a pure function of the current events, claims and documents, so the result
does not depend on the order documents were ingested in; `resolve` runs it over a store and
rebuilds the store's resolution tables in one transaction.

    >>> from sitrep.store import Store
    >>> with Store("sitrep.db") as store:  # doctest: +SKIP
    ...     resolution = resolve(store)
    >>> [(e.id, e.grade) for e in resolution.events][:1]  # doctest: +SKIP
    [('e-1f…', 'corroborated')]
"""
from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..geo import PRECISIONS, Gazetteer
from ..model import Claim, Event, Location
from .conflicts import ceasefire_conflicts, denial_conflicts, figure_conflicts
from .coref import PlaceKey, cluster_events, parents_from, place_key
from .figures import group_claims, period, place_words, reconcile, subject_class
from .grades import grade_event, reporters
from .names import source_name
from .records import (CONFLICT_KINDS, GRADES, Conflict, DocumentInfo, Figure, FigureGroup, MergedEvent,
                      Resolution)

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["CONFLICT_KINDS", "GRADES", "Conflict", "DocumentInfo", "Figure", "FigureGroup", "MergedEvent",
           "Resolution", "current_resolution", "resolve", "resolve_records"]

log = logging.getLogger(__name__)
_DATE_RANK = {"day": 0, "week": 1, "month": 2}
_PLACE_RANK = {p: i for i, p in enumerate(PRECISIONS)}


def resolve(store: Store, gazetteer: Gazetteer | None = None) -> Resolution:
    """Resolve everything the store currently holds and rebuild its resolution tables in one transaction.

    `gazetteer` (default: `Gazetteer.load()`) says which city each neighbourhood is in.
    """
    resolution = resolve_records(store.events(), store.claims(), store.documents(),
                                 gazetteer if gazetteer is not None else Gazetteer.load())
    store.replace_resolution(resolution)
    log.info("%s: %d events in %d merged events, %d figure groups, %d conflicts", store.path,
             len(resolution.cluster_of()), len(resolution.events), len(resolution.figure_groups),
             len(resolution.conflicts))
    return resolution


def current_resolution(store: Store, gazetteer: Gazetteer | None = None) -> Resolution:
    """The stored resolution if it covers the store's current documents, else one computed in memory
    (nothing is written: a reader such as `export` may open the store read-only)."""
    if store.is_resolved():
        return store.resolution()
    log.info("%s: documents were added since the last resolution; resolving in memory", store.path)
    return resolve_records(store.events(), store.claims(), store.documents(),
                           gazetteer if gazetteer is not None else Gazetteer.load())


def resolve_records(events: Iterable[Event], claims: Iterable[Claim] = (), documents: Iterable[DocumentInfo] = (),
                    gazetteer: Gazetteer | None = None) -> Resolution:
    """Merge events across documents, reconcile figures, find conflicts and grade each merged event.

    `events` in the order they should be exported (a merged event takes its first member's place);
    `documents` give each event's outlet (the source of what an outlet says in its own voice) and
    publication day (the period of a figure the text does not date). Without a `gazetteer`,
    neighbourhoods and their city do not meet.
    """
    events, claims = list(events), list(claims)
    docs = {d.id: d for d in documents}
    outlets = {doc_id: d.outlet for doc_id, d in docs.items()}
    published = {doc_id: d.published for doc_id, d in docs.items()}
    parent_of = parents_from(gazetteer)
    clusters = cluster_events(events, outlets=outlets, parent_of=parent_of)
    merged = [_merge(members, published, outlets) for members in clusters]
    by_id = {e.id: e for e in events}
    members_of = {m.id: [by_id[i] for i in m.members] for m in merged}  # in the merged event's own order
    keys: dict[Location | None, PlaceKey | None] = {}  # few places, many events
    for location in {m.representative.location for m in merged}:
        keys[location] = place_key(location, parent_of)
    places = {m.id: keys[m.representative.location] for m in merged}

    groups = [(_figure_group(group, published), group) for group in group_claims(claims, published)]
    denials, hits = denial_conflicts(claims, merged, members_of, docs)
    conflicts = (figure_conflicts(groups, outlets) + ceasefire_conflicts(merged, places, members_of) + denials)
    graded = []
    for event in merged:
        grade, reason = grade_event(members_of[event.id], outlets, hits.get(event.id, ()))
        graded.append(replace(event, grade=grade, grade_reason=reason))
    order = {kind: n for n, kind in enumerate(CONFLICT_KINDS)}
    return Resolution(tuple(graded), tuple(g for g, _ in groups),
                      tuple(sorted(conflicts, key=lambda c: (order[c.kind], c.id))))


def _merge(members: Sequence[Event], published: Mapping[str, date | None],
           outlets: Mapping[str, str | None]) -> MergedEvent:
    """One record for the reports of one event; member order is by content, not by ingest."""
    ordered = sorted(members, key=lambda e: (published.get(e.document) or date.max, e.document,
                                             min((v.start for v in e.evidence), default=0), e.id))
    # the most precise place, then what most reports say (day, sub-type, name), then content: never ingest order
    days, subs = Counter(e.date for e in members), Counter(e.sub_event_type for e in members)
    names = Counter(e.location.name for e in members if e.location)
    representative = min(members, key=lambda e: (
        e.location is None, _PLACE_RANK.get(e.location.precision, 1) if e.location else 9,
        e.date is None, -days[e.date], _DATE_RANK.get(e.date_precision, 3), -subs[e.sub_event_type],
        -names[e.location.name] if e.location else 0, e.id))
    sources_raw = tuple(dict.fromkeys(s for e in ordered for s in e.sources))
    return MergedEvent(
        id=min(e.id for e in members), members=tuple(e.id for e in ordered), representative=representative,
        actors=tuple(dict.fromkeys(a for e in ordered for a in e.actors)),
        actors_raw=tuple(dict.fromkeys(a for e in ordered for a in e.actors_raw)),
        sources=tuple(dict.fromkeys(source_name(s) for s in sources_raw)), sources_raw=sources_raw,
        documents=tuple(dict.fromkeys(e.document for e in ordered)),
        evidence=tuple(v for e in ordered for v in e.evidence),
        killed=_figure(ordered, "killed", outlets), injured=_figure(ordered, "injured", outlets),
        grade="single source", grade_reason="")


def _figure(members: Sequence[Event], measure: str, outlets: Mapping[str, str | None]) -> Figure | None:
    reports = [(getattr(e, measure), ", ".join(source_name(s) for s in reporters(e, outlets)) or "unnamed source")
               for e in members if getattr(e, measure) is not None]
    return reconcile(reports) if reports else None


def _figure_group(claims: Sequence[Claim], published: Mapping[str, date | None]) -> FigureGroup:
    measures = sorted({c.measure for c in claims})
    place = max((c.place for c in claims if place_words(c.place)), key=lambda p: (len(place_words(p)), p),
                default=None)
    group_id = "f-" + hashlib.sha256("\x1f".join(sorted(c.id for c in claims)).encode("utf-8")).hexdigest()[:16]
    return FigureGroup(group_id, "/".join(measures) if len(measures) > 1 else measures[0],
                       subject_class(claims[0].subject) or "", place, period(claims[0], published),
                       tuple(c.id for c in claims), reconcile([(c.value, c.claimant) for c in claims]))
