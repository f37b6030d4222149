"""Figures reconciled across reports: low, best and high, with the rule that chose each, in words.

The bounds follow the two datasets analysts compare against. `low` is ACLED's conservative
convention: when reports differ, the lowest figure any of them states. `best` and `high` take
UCDP GED's meaning: best is the most reliable report's figure (a UN body's first, then monitors
and NGOs, then the media, then the parties and everyone else; the median when several of one rank
disagree), high the highest figure any report states.

    >>> figure = reconcile([(Range(82, 82, None), "United Nations"), (Range(47, 47, 47), "LCC")])
    >>> figure.value
    Range(low=47, best=82, high=82)
    >>> figure.rule.split("; ")
    ['best = UN or international organisation figure (United Nations: 82)', 'low = lowest of 2 reports (LCC: 47)', \
'high = highest of 2 reports (United Nations: 82)']

Claims are grouped when they count the same thing: the same measure (fled, evacuated and displaced
are one: reports word one departure all three ways), the same class of subject (`data/subjects.tsv`),
the same day (the report's own day when the text gives none) and places that fit (one names the
other or neither says).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files

from ..geo import fold, skeleton
from ..model import Claim, Range
from .names import TIER_NAMES, source_key, source_tier
from .records import Figure

LEFT = frozenset({"fled", "evacuated", "displaced"})  # the scorer's and the reader's "left the area"
UNCOMPARED_MEASURES = frozenset({"other"})
UNCOMPARED_MODALITIES = frozenset({"denied"})  # a denied figure is what someone says is false (see conflicts)
# Two exact figures for one count disagree when they differ by more than this share of the larger:
# rounding ("about 8,000" for 7,950) stays quiet, 30 against 14 or 10,724 against "more than 8,000" does not.
TOLERANCE = 0.10
_DIRECTIONS = {"eastern": "east", "western": "west", "northern": "north", "southern": "south",
               "northeastern": "northeast", "northwestern": "northwest", "southeastern": "southeast",
               "southwestern": "southwest"}
_PLACE_NOISE = frozenset({"the", "of", "in", "city", "town", "village", "province", "governorate", "district",
                          "districts", "area", "areas", "neighbourhood", "neighborhood", "neighbourhoods",
                          "neighborhoods", "part", "parts", "region", "countryside", "camp"})
_SEGMENT = re.compile(r",|\b(?:mostly|including|most of them|among them|many of them)\b")


def measure_family(measure: str) -> str:
    return "left" if measure in LEFT else measure


@cache
def _subject_words() -> dict[str, str]:
    text = (files("sitrep") / "data" / "subjects.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header, *rows = rows
    if header[:2] != ["word", "class"] or any(len(row) != 2 for row in rows):
        raise ValueError("sitrep/data/subjects.tsv: expected two tab-separated columns, word and class")
    return {word.strip(): cls.strip() for word, cls in rows}


@lru_cache(maxsize=1 << 16)
def subject_class(subject: str | None) -> str | None:
    """The class of what a claim counts: the first listed word of its subject, else its last word."""
    if not subject:
        return None
    words = _subject_words()
    folded = [fold(part).split() for part in _SEGMENT.split(subject.lower())]
    for word in (w for part in folded for w in part):
        if word in words:
            return words[word]
    head = next((part for part in folded if part), None)
    return re.sub(r"(?<=[a-z]{3})s$", "", head[-1]) if head else None


@lru_cache(maxsize=1 << 16)
def place_words(place: str | None) -> frozenset[str]:
    """A free-text place as transliteration-blind words: "east Aleppo" = "eastern Aleppo city"."""
    if not place:
        return frozenset()
    words = (_DIRECTIONS.get(w, w) for w in fold(place).split())
    return frozenset(skeleton(w) or w for w in words if w not in _PLACE_NOISE)


def places_fit(a: str | None, b: str | None) -> bool:
    """Either says nothing, or one names the other: "Aleppo" fits "eastern Aleppo", not "western Aleppo"."""
    wa, wb = place_words(a), place_words(b)
    return not wa or not wb or wa <= wb or wb <= wa


def period(claim: Claim, published: Mapping[str, date | None]) -> date | None:
    """The day a figure refers to: its own, else its report's (news counts are of the day they are told)."""
    return claim.date or published.get(claim.document)


def point(value: Range) -> int | None:
    """The single figure a report gives, if it gives one: "more than 50" is 50, "hundreds" is none."""
    return value.best


def disagree(a: Range, b: Range) -> bool:
    """Two figures for one count that cannot both be right, allowing for rounding (see TOLERANCE)."""
    pa, pb = point(a), point(b)
    if pa is not None and pb is not None:
        return abs(pa - pb) > TOLERANCE * max(pa, pb)
    lo_a, hi_a = _bounds(a)
    lo_b, hi_b = _bounds(b)
    return (hi_a is not None and lo_b is not None and hi_a < lo_b) or (
        hi_b is not None and lo_a is not None and hi_b < lo_a)


def _bounds(value: Range) -> tuple[int | None, int | None]:
    low = value.low if value.low is not None else value.best
    high = value.high if value.high is not None else (value.best if value.low is None else None)
    return low, high


def describe(value: Range) -> str:
    """A figure as a reader would say it: "82", "more than 8,000", "200 to 999", "up to 3,000"."""
    low, best, high = value.low, value.best, value.high
    if best is not None and low == best == high:
        return f"{best:,}"
    if best is not None and low == best and high is None:
        return f"more than {best:,}"
    if best is not None and low is None and high == best:
        return f"up to {best:,}"
    if best is not None:
        return f"{best:,}"
    if low is not None and high is not None:
        return f"{low:,} to {high:,}"
    if low is not None:
        return f"at least {low:,}"
    return f"up to {high:,}" if high is not None else "no figure"


def reconcile(reports: Sequence[tuple[Range, str]]) -> Figure:
    """One figure from several reports of it, each `(value, source)`; see the module docstring for the rule."""
    reports = [(value, source) for value, source in reports
               if any(b is not None for b in (value.low, value.best, value.high))]
    if not reports:
        raise ValueError("nothing to reconcile: no report gives a figure")
    distinct = {value for value, _ in reports}
    sources = list(dict.fromkeys(source for _, source in reports))
    n = len(reports)
    if len(distinct) == 1:
        (value,) = distinct
        if n == 1:
            return Figure(value, f"one report ({sources[0]}: {describe(value)})")
        return Figure(value, f"{n} reports agree ({'; '.join(sources)}: {describe(value)})")
    lows = [(v.low if v.low is not None else v.best, s) for v, s in reports]
    lows = [(x, s) for x, s in lows if x is not None]
    highs = [(x, s) for v, s in reports for x in (v.high, v.best, v.low) if x is not None]
    low = min(lows, key=lambda pair: pair[0]) if lows else None
    high = max(highs, key=lambda pair: pair[0])
    rated = [(source_tier(s), v.best, s) for v, s in reports if v.best is not None]
    best, best_rule = None, "best = none (no report gives a single figure)"
    if rated:
        tier = min(t for t, _, _ in rated)
        top = sorted((b, s) for t, b, s in rated if t == tier)
        best, source = top[(len(top) - 1) // 2]  # the lower median: a tie between two leans conservative
        if len(top) == 1:
            best_rule = f"best = {TIER_NAMES[tier]} figure ({source}: {best:,})"
        else:
            best_rule = (f"best = median of {len(top)} {TIER_NAMES[tier]} figures "
                         f"({'; '.join(f'{s}: {b:,}' for b, s in top)})")
    parts = [best_rule]
    if low is not None:
        parts.append(f"low = lowest of {n} reports ({low[1]}: {low[0]:,})")
    parts.append(f"high = highest of {n} reports ({high[1]}: {high[0]:,})")
    return Figure(Range(low[0] if low else None, best, high[0]), "; ".join(parts))


def group_claims(claims: Sequence[Claim], published: Mapping[str, date | None]) -> list[list[Claim]]:
    """Claims counting the same thing, in groups of two or more; each group ordered by claim id.

    A figure with no place joins its count's group only when the reports name one place for that count
    and its own report is not among them: with several places it could be any of them (or their total),
    and a report that names the place in one sentence and not in another is counting two things.
    """
    buckets: dict[tuple[str, str, date | None], list[Claim]] = defaultdict(list)
    for claim in claims:
        subject = subject_class(claim.subject)
        if (subject is None or claim.measure in UNCOMPARED_MEASURES or claim.modality in UNCOMPARED_MODALITIES
                or (claim.value.low is None and claim.value.best is None and claim.value.high is None)):
            continue
        buckets[(measure_family(claim.measure), subject, period(claim, published))].append(claim)
    groups: list[list[Claim]] = []
    for bucket in buckets.values():
        placed: list[list[Claim]] = []
        # most specific places first, so "Aleppo" joins "eastern Aleppo" rather than founding its own group
        for claim in sorted((c for c in bucket if place_words(c.place)),
                            key=lambda c: (-len(place_words(c.place)), c.id)):
            home = next((g for g in placed if all(places_fit(claim.place, other.place) for other in g)), None)
            if home is None:
                placed.append([claim])
            else:
                home.append(claim)
        unplaced = sorted((c for c in bucket if not place_words(c.place)), key=lambda c: c.id)
        if len(placed) == 1 and not {c.document for c in unplaced} & {c.document for c in placed[0]}:
            placed[0].extend(unplaced)
        elif unplaced:
            placed.append(unplaced)
        groups.extend(sorted(g, key=lambda c: c.id) for g in placed if len(g) > 1)
    return sorted(groups, key=lambda g: g[0].id)


def same_speaker(a: Claim, b: Claim) -> bool:
    return source_key(a.claimant) == source_key(b.claimant)
