"""Conflicts: events and claims that cannot all be true, each with a reason a reader can check.

Three kinds:

* `figures`: two or more figures for one count (same measure, subject class, place and day;
  see `figures.group_claims`) that disagree beyond rounding, from different reports or from the
  same speaker twice. Different speakers in one report are left alone: one article quoting a total
  and a part of it is the common case, not a contradiction.
* `ceasefire`: an act of violence (Battles, Explosions/Remote violence, Violence against
  civilians) reported at the place of a ceasefire or halt, or inside it, on the day the halt is
  announced or the day after. A halt is an Agreement, or a Change to group/activity, whose words
  say fighting stops ("ceasefire", "truce", "halt", "suspended" …) and whose day is known.
* `denial`: a claim with modality `denied`, against the figures of the same count that others
  report and against the events it would undo (a denied death toll against the violent events
  reported at that place and time).
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from ..model import Claim, Event
from .coref import PlaceKey, day_span
from .figures import (describe, disagree, measure_family, period, place_words, places_fit, same_speaker,
                      subject_class)
from .records import Conflict, DocumentInfo, FigureGroup, MergedEvent

VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
HALT_SUB_TYPES = frozenset({"Agreement", "Change to group/activity"})
# Words that say fighting stops; an Agreement without them (an evacuation deal, a prisoner swap) is no halt.
HALT_WORDS = re.compile(
    r"\b(?:cease[- ]?fires?|ceased? fire|truces?|armistice|cessation of hostilities|halt(?:s|ed|ing)?|"
    r"suspen(?:d|ds|ded|ding|sion)|pause[sd]?|stop(?:s|ped|ping)? (?:fighting|firing|bombing|shelling|"
    r"(?:military|combat) operations))\b", re.IGNORECASE)
HALT_WINDOW_DAYS = 1  # the day a halt is announced and the next: violence then contradicts it
# The events a denied figure would undo, by the claim's measure.
DENIABLE_EVENTS: dict[str, frozenset[str]] = {
    "killed": VIOLENT_TYPES, "injured": VIOLENT_TYPES,
    "destroyed": frozenset({"Explosions/Remote violence", "Battles"}),
    "detained": frozenset({"Violence against civilians", "Strategic developments"}),
    "missing": frozenset({"Violence against civilians"}),
    "captured": frozenset({"Battles"}), "surrendered": frozenset({"Battles"}),
}


def conflict_id(kind: str, items: Sequence[str]) -> str:
    """From the kind and the sorted items: the same contradiction keeps its id across runs."""
    return "x-" + hashlib.sha256("\x1f".join([kind, *sorted(items)]).encode("utf-8")).hexdigest()[:16]


def figure_conflicts(groups: Sequence[tuple[FigureGroup, Sequence[Claim]]],
                     outlets: Mapping[str, str | None]) -> list[Conflict]:
    """One conflict per group whose figures disagree across reports or from one speaker twice."""
    found = []
    for group, claims in groups:
        involved: dict[str, Claim] = {}
        for n, a in enumerate(claims):
            for b in claims[n + 1:]:
                if disagree(a.value, b.value) and (a.document != b.document or _repeated(a, b)):
                    involved[a.id], involved[b.id] = a, b
        if not involved:
            continue
        ordered = sorted(involved.values(), key=lambda c: (c.value.best or c.value.low or 0, c.id))
        what = f"{group.subject} {group.measure}"
        where = f" in {group.place}" if group.place else ""
        when = f" on {group.period.isoformat()}" if group.period else ""
        said = "; ".join(f"{c.claimant} says {describe(c.value)} ({_outlet(c.document, outlets)}: "
                         f"“{_quote(c)}”)" for c in ordered)
        found.append(Conflict(conflict_id("figures", list(involved)), "figures", tuple(c.id for c in ordered),
                              f"different figures for {what}{where}{when}: {said}"))
    return found


def ceasefire_conflicts(events: Sequence[MergedEvent], places: Mapping[str, PlaceKey | None],
                        members: Mapping[str, Sequence[Event]]) -> list[Conflict]:
    """Violence at or inside the place of a halt, on its day or the next (`places`: merged id -> place)."""
    violent: dict[tuple[str, int], list[MergedEvent]] = defaultdict(list)
    for merged in events:
        place, span = places.get(merged.id), day_span(merged.representative)
        if merged.representative.event_type in VIOLENT_TYPES and place is not None and span is not None:
            for day in range(span[0], min(span[1], span[0] + 31) + 1):
                for key in (place.key, *place.ancestors):
                    violent[(key, day)].append(merged)
    found = []
    for halt in events:
        event, place, span = halt.representative, places.get(halt.id), day_span(halt.representative)
        if (event.sub_event_type not in HALT_SUB_TYPES or place is None or span is None or span[0] != span[1]):
            continue
        words = next((m for e in members[halt.id] for ev in e.evidence for m in [HALT_WORDS.search(ev.text)]
                      if m), None)
        if words is None:
            continue
        quote = _around(words)
        seen: set[str] = set()
        for day in range(span[0], span[0] + HALT_WINDOW_DAYS + 1):
            for act in violent.get((place.key, day), ()):
                if act.id in seen:
                    continue
                seen.add(act.id)
                act_event = act.representative
                reason = (f"a halt in {event.location.name} on {event.date.isoformat()}, reported by "
                          f"{_who(halt)} (“{quote}”), and {act_event.sub_event_type.lower()} in "
                          f"{act_event.location.name} on {act_event.date.isoformat()}, reported by {_who(act)}")
                found.append(Conflict(conflict_id("ceasefire", [halt.id, act.id]), "ceasefire",
                                      (halt.id, act.id), reason))
    return found


def denial_conflicts(claims: Sequence[Claim], events: Sequence[MergedEvent],
                     members: Mapping[str, Sequence[Event]], documents: Mapping[str, DocumentInfo]
                     ) -> tuple[list[Conflict], dict[str, list[Claim]]]:
    """Each denial against the figures and events it contradicts; also which events each denial hits."""
    published = {doc_id: doc.published for doc_id, doc in documents.items()}
    outlets = {doc_id: doc.outlet for doc_id, doc in documents.items()}
    denials = sorted((c for c in claims if c.modality == "denied"), key=lambda c: c.id)
    if not denials:
        return [], {}
    others: dict[tuple[str, str | None, date | None], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.modality != "denied" and claim.measure != "other":
            others[(measure_family(claim.measure), subject_class(claim.subject), period(claim, published))
                   ].append(claim)
    # events by (day, word of a place name) and by (day, document): a denial looks up only its own
    by_place: dict[tuple[int, str], list[MergedEvent]] = defaultdict(list)
    for merged in events:
        span = day_span(merged.representative)
        if span is None:
            continue
        words = {w for e in members[merged.id] if e.location
                 for name in (e.location.name, *e.location.aliases) for w in place_words(name)}
        keys = words | {f"document:{d}" for d in merged.documents}
        for day in range(span[0], min(span[1], span[0] + 31) + 1):
            for key in keys:
                by_place[(day, key)].append(merged)
    found, hits = [], defaultdict(list)
    for denial in denials:
        day = period(denial, published)
        key = (measure_family(denial.measure), subject_class(denial.subject), day)
        contradicted = sorted((c for c in others.get(key, ()) if places_fit(c.place, denial.place)
                               and not same_speaker(c, denial)), key=lambda c: c.id)
        hit: dict[str, MergedEvent] = {}
        types = DENIABLE_EVENTS.get(denial.measure, frozenset())
        if day is not None and types:
            keys = place_words(denial.place) or {f"document:{denial.document}"}
            for offset, key in ((offset, key) for offset in (-1, 0, 1) for key in sorted(keys)):
                for merged in by_place.get((day.toordinal() + offset, key), ()):
                    if (merged.representative.event_type in types and merged.id not in hit
                            and _denial_fits_event(denial, merged, members[merged.id])):
                        hit[merged.id] = merged
        undone = sorted(hit.values(), key=lambda m: m.id)
        if not contradicted and not undone:
            continue
        for merged in undone:
            hits[merged.id].append(denial)
        said = [f"{c.claimant} says {describe(c.value)} ({_outlet(c.document, outlets)}: “{_quote(c)}”)"
                for c in contradicted]
        said += [f"{_who(m)} report {m.representative.sub_event_type.lower()} in "
                 f"{m.representative.location.name if m.representative.location else 'an unknown place'}"
                 for m in undone]
        reason = (f"{denial.claimant} denies it ({_outlet(denial.document, outlets)}: “{_quote(denial)}”), "
                  f"but {'; '.join(said)}")
        items = (denial.id, *(c.id for c in contradicted), *(m.id for m in undone))
        found.append(Conflict(conflict_id("denial", items), "denial", items, reason))
    return found, dict(hits)


def _denial_fits_event(denial: Claim, merged: MergedEvent, members: Sequence[Event]) -> bool:
    """The denial names the event's place (or gives none and comes from a report of the event), and
    does not come from the event's own sources: no one contradicts themself by denying their own report."""
    if denial.claimant in merged.sources:
        return False
    if not place_words(denial.place):
        return denial.document in merged.documents
    names = {n for e in members if e.location for n in (e.location.name, *e.location.aliases)}
    return any(place_words(name) and places_fit(denial.place, name) for name in names)


def _repeated(a: Claim, b: Claim) -> bool:
    """One speaker giving one count twice, differently. An outlet's own voice is not a speaker here:
    an article states many counts of its own, and two of them are more likely two counts than a slip."""
    return same_speaker(a, b) and "asserted" not in (a.modality, b.modality)


def _outlet(document: str, outlets: Mapping[str, str | None]) -> str:
    return outlets.get(document) or f"document {document[:8]}"


def _quote(claim: Claim, width: int = 100) -> str:
    text = claim.evidence[0].text if claim.evidence else ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _around(match: re.Match[str], width: int = 50) -> str:
    """The words around a halt word, enough to find it in the evidence."""
    text = match.string
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def _who(merged: MergedEvent) -> str:
    return ", ".join(merged.sources) if merged.sources else "reports"
