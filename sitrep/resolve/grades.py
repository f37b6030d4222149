"""A corroboration grade per merged event, in the spirit of Airwars' grading of civilian-harm reports.

First that applies:

* `confirmed`: a party to the event reports it (the responsible actor accepts it): a source that
  is, or speaks for, one of its actors (a state's military or government for its state forces, an
  armed group's own outlet).
* `denied`: someone who is not among its sources denies it (a claim with modality `denied` that
  fits its place, day and kind; see `conflicts.denial_conflicts`).
* `contested`: its reports disagree on what happened (sub-types), who did it (no actor in common),
  or how many were killed or injured (figures apart beyond rounding).
* `corroborated`: two or more independent sources. Outlets repeating one agency, or spokesmen of
  one office, are one source (`names.source_key`); an outlet in its own voice is a source.
* `single source`: the rest.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Claim, Event
from .figures import describe, disagree
from .names import is_perpetrator, source_key, source_name, speaks_for

DISPUTED_ACTORS_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def reporters(event: Event, outlets: Mapping[str, str | None]) -> tuple[str, ...]:
    """Who tells this event: its sources, or the outlet when it speaks in its own voice."""
    if event.sources:
        return event.sources
    outlet = outlets.get(event.document)
    return (outlet,) if outlet else ()


def grade_event(members: Sequence[Event], outlets: Mapping[str, str | None],
                denials: Sequence[Claim] = ()) -> tuple[str, str]:
    """(grade, reason) for the reports `members` of one event; `denials` are the claims that deny it."""
    told = {m.id: reporters(m, outlets) for m in members}
    for member in members:
        for source in told[member.id]:
            party = next((a for a in member.actors if speaks_for(source, a)), None)
            if party is not None:
                return "confirmed", f"confirmed: {source_name(source)} speaks for {party}, a party to it"
    if denials:
        denial = denials[0]
        return "denied", f"denied: {denial.claimant} denies it (claim {denial.id})"
    dispute = _dispute(members, told)
    if dispute:
        return "contested", f"contested: {dispute}"
    independent = list(dict.fromkeys(source_key(s) for ss in told.values() for s in ss))
    names = list(dict.fromkeys(source_name(s) for ss in told.values() for s in ss))
    if len(independent) >= 2:
        return "corroborated", f"corroborated: {len(independent)} independent sources ({'; '.join(names)})"
    return "single source", f"single source: {names[0]}" if names else "single source: no source named"


def _dispute(members: Sequence[Event], told: Mapping[str, tuple[str, ...]]) -> str | None:
    """What the reports of one event disagree on, in words, or None."""
    def by(member: Event) -> str:
        return ", ".join(source_name(s) for s in told[member.id]) or "an unnamed source"

    kinds: dict[str, Event] = {}
    for m in members:
        kinds.setdefault(m.sub_event_type, m)
    if len(kinds) > 1:
        return "reports differ on what happened: " + "; ".join(
            f"{kind.lower()} ({by(m)})" for kind, m in kinds.items())
    if members[0].event_type in DISPUTED_ACTORS_TYPES:
        sides = [(m, {a for a in m.actors if is_perpetrator(a)}) for m in members]
        sides = [(m, s) for m, s in sides if s]
        for n, (a, sa) in enumerate(sides):
            for b, sb in sides[n + 1:]:
                if not sa & sb and {source_key(s) for s in told[a.id]} != {source_key(s) for s in told[b.id]}:
                    return (f"reports differ on who did it: {', '.join(sorted(sa))} ({by(a)}); "
                            f"{', '.join(sorted(sb))} ({by(b)})")
    for measure in ("killed", "injured"):
        figures = [(m, getattr(m, measure)) for m in members if getattr(m, measure) is not None]
        for n, (a, fa) in enumerate(figures):
            for b, fb in figures[n + 1:]:
                if disagree(fa, fb) and {source_key(s) for s in told[a.id]} != {source_key(s) for s in told[b.id]}:
                    return (f"reports differ on how many were {measure}: {describe(fa)} ({by(a)}); "
                            f"{describe(fb)} ({by(b)})")
    return None
