"""Figures several reports give for the same count, reconciled into low / best / high with the rule in words.

A stand-in until the resolver lands (DESIGN.md, resolve): the report groups claims by what they count
(measure, subject and place, compared case-blind) and events by day, type and place, and says how it
got each low / best / high, so a reader can check it or disagree.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..model import Claim, Event, Range

MEASURE_ORDER = ("killed", "injured", "missing", "detained", "captured", "surrendered", "evacuated", "fled",
                 "displaced", "remaining", "destroyed")
NOT_COUNTED = frozenset({"denied"})  # a figure a source denies is shown, not counted in the bounds


@dataclass(frozen=True, slots=True)
class Reconciled:
    """A low / best / high over several reports, and the rule that produced it in words."""

    figure: Range
    rule: str


@dataclass(slots=True)
class FigureGroup:
    """Claims that count the same thing: measure, subject and place (folded), as the report groups them."""

    measure: str
    subject: str | None
    place: str | None
    claims: list[Claim] = field(default_factory=list)
    reconciled: Reconciled | None = None

    @property
    def sources(self) -> int:
        return len({c.claimant for c in self.claims})

    @property
    def is_contested(self) -> bool:
        return len(self.claims) > 1


def group_figures(claims: Iterable[Claim]) -> list[FigureGroup]:
    """Group claims by what they count; contested groups (two or more claims) first, most claims first."""
    groups: dict[tuple[str, str, str], FigureGroup] = {}
    for claim in claims:
        if claim.measure == "other":
            continue
        key = (claim.measure, _fold(claim.subject), _fold(claim.place))
        group = groups.setdefault(key, FigureGroup(claim.measure, claim.subject, claim.place))
        group.claims.append(claim)
    for group in groups.values():
        group.reconciled = reconcile_claims(group.claims)
    return sorted(groups.values(), key=lambda g: (not g.is_contested, -len(g.claims), _measure_rank(g.measure),
                                                  _fold(g.subject), _fold(g.place)))


def reconcile_claims(claims: Sequence[Claim]) -> Reconciled:
    """low = the lowest figure any source gives, high = the highest, best = the median of best figures.

    Denied figures are shown but not counted; a vague figure ("hundreds") gives bounds, no best.
    """
    counted = [c for c in claims if c.modality not in NOT_COUNTED]
    denied = len(claims) - len(counted)
    if not counted:
        return Reconciled(Range(), f"every figure here is denied by its source ({denied}); nothing is counted.")
    lows = [(lower_bound(c.value), c.claimant) for c in counted if lower_bound(c.value) is not None]
    highs = [(upper_bound(c.value), c.claimant) for c in counted if upper_bound(c.value) is not None]
    bests = sorted(c.value.best for c in counted if c.value.best is not None)
    low, low_by = min(lows, key=lambda x: x[0]) if lows else (None, "")
    high, high_by = max(highs, key=lambda x: x[0]) if highs else (None, "")
    best = _median(bests)
    n = len(counted)
    if n == 1:
        rule = f"a single report ({counted[0].claimant})"
    else:
        rule = (f"low = lowest of {n} reports ({low_by}); high = highest ({high_by}); "
                + (f"best = median of {len(bests)} best figures" if bests else "no report gives a best figure"))
    if any(c.value.high is None and c.value.best is not None for c in counted) and n > 1:
        rule += "; an open-ended figure (\"more than\") counts as its stated value"
    if denied:
        rule += f"; {denied} denied figure{'s' if denied > 1 else ''} shown but not counted"
    return Reconciled(_ordered_range(low, best, high), rule + ".")


def killed_by_day(events: Iterable[Event]) -> dict[date, Reconciled]:
    """Killed low / best / high per day, counting once an event several reports give.

    Events of the same type at the same place on the same day are taken as one (lowest, median and
    highest of their figures); the day's figures add those up. The resolver will merge events properly.
    """
    same: dict[tuple[date, str, str], list[Range]] = defaultdict(list)
    for event in events:
        if event.date is None or event.killed is None:
            continue
        place = _fold(event.location.name) if event.location else ""
        same[(event.date, event.event_type, place)].append(event.killed)
    by_day: dict[date, list[tuple[int | None, int | None, int | None]]] = defaultdict(list)
    for (day, _, _), figures in same.items():
        lows = [v for v in map(lower_bound, figures) if v is not None]
        highs = [v for v in map(upper_bound, figures) if v is not None]
        bests = sorted(f.best for f in figures if f.best is not None)
        low = min(lows) if lows else None
        by_day[day].append((low, _median(bests) if bests else low, max(highs) if highs else None))
    result = {}
    for day, parts in sorted(by_day.items()):
        low, best, high = (sum(p[i] for p in parts if p[i] is not None) for i in range(3))
        rule = (f"{len(parts)} event{'s' if len(parts) > 1 else ''} with a killed figure; same type and place "
                f"counted once: lowest, median and highest of their reports, added up")
        result[day] = Reconciled(_ordered_range(low, best, high), rule)
    return result


def lower_bound(value: Range) -> int | None:
    return next((v for v in (value.low, value.best, value.high) if v is not None), None)


def upper_bound(value: Range) -> int | None:
    return next((v for v in (value.high, value.best, value.low) if v is not None), None)


def _median(values: Sequence[int]) -> int | None:
    return int(statistics.median_low(values)) if values else None


def _ordered_range(low: int | None, best: int | None, high: int | None) -> Range:
    """A median can't fall outside its bounds, but a best from fewer reports than the bounds might."""
    if best is not None and low is not None and best < low:
        best = low
    if best is not None and high is not None and best > high:
        best = high
    return Range(low, best, high)


def _measure_rank(measure: str) -> int:
    return MEASURE_ORDER.index(measure) if measure in MEASURE_ORDER else len(MEASURE_ORDER)


def _fold(text: str | None) -> str:
    words = (text or "").casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def format_range(value: Range | None) -> str:
    """'47', '24–99', '50+', '200–999 (vague)' style: what a reader would write."""
    if value is None or (value.low is None and value.best is None and value.high is None):
        return ""
    low, best, high = value.low, value.best, value.high
    if low is not None and high is not None and low == high:
        return f"{low:,}"
    if low is not None and high is not None:
        return f"{low:,}–{high:,}" + (f" (best {best:,})" if best is not None and low < best < high else "")
    if high is None:
        base = best if best is not None else low
        return f"{base:,}+" if low is not None else f"{base:,}"
    return f"up to {high:,}" if best is None else f"{best:,} (up to {high:,})"


def format_triple(value: Range | None) -> str:
    """'low–best–high' with a dash for a missing bound, as the headline shows daily totals."""
    if value is None:
        return ""
    return "–".join("?" if v is None else f"{v:,}" for v in (value.low, value.best, value.high))


def format_day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "no date"

