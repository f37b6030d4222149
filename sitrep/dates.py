"""Turn the words a report uses for *when* into calendar days, weeks, months and years.

Reporters write "on Tuesday", "last night", "between 30 November and 1 December"; an event
record needs dates. Everything is resolved against an anchor: a live-blog entry's UTC time when
there is one, else the publication date, because a live blog runs for days and "yesterday"
moves with it.

dateparser parses explicit dates well ("Dec. 8", "26th Nov", "8 December 2016", "2016-12-08")
and rejects impossible ones ("31 November"), but as a free-text reader it is noisy: "We" becomes
Wednesday, "1850 GMT" the year 1850, a bare "30" the 30th of this month, "nine" September, and
"Wednesday" read on a Wednesday a week ago. So it only ever sees text our own patterns have
already recognised as a day and a month; weekdays, relative words, ranges, windows and tense
are small rules here.

Decisions the annotation guidelines leave open:

* Weeks run Monday to Sunday (ISO 8601).
* Past events cannot postdate the report: a period that contains the anchor ("this week",
  "in December" read in December) ends at the anchor, and a future one starts at it.
* A weekday names the most recent such day on or before the anchor (the same day counts), or,
  for a future verb, the next one on or after it. "last Tuesday" is strictly before the anchor,
  "next Tuesday" strictly after, whatever the tense.
* A range ("between 30 November and 1 December", "Monday and Tuesday", "the weekend") keeps
  precision 'day' and runs from its first day to its last.
* "the past 24 hours" and "over the past day" are the anchor's day: a window that ends at the
  report is coded to the report's day; "the past 48 hours" spans the day before and the anchor.
* "early/mid/late December" are the thirds of the month (1-10, 11-20, 21-end), precision 'week'.
* Vague counts ("a few weeks ago", "weeks earlier", "for years") are read as two to four units
  back. "earlier" looks back from the anchor like "ago"; "N days later", "the day before" and
  "the next day" count from a moment the expression does not name, so they resolve to None.
* A bare duration ("24 hours", "five-day", "more than a year") is not a date: None. With "for",
  weeks, months and years become a background span ending at the anchor ("has held the town
  for more than a year"); hours and days say how long, not when, so they stay None.
* `is_background` marks a time that places an occurrence outside the news of the day, which
  the guidelines do not code as an event: a span reaching back more than RECENT_DAYS from the
  anchor ("since August", "for more than a year", "over the past three months"); a month or
  year wholly before the anchor's month ("in March", "last month", "in 2015"); or a vague
  "weeks/months ago". A named day or week is never background, however old: it dates a
  concrete occurrence. Future times are never background: tense already marks them.
"""
from __future__ import annotations

import re
from calendar import isleap, monthrange
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import dateparser

__all__ = ["DateResolution", "resolve_date", "find_date_expressions", "widen_date_span"]

PRECISIONS = ("day", "week", "month", "year")  # finest first
RECENT_DAYS = 7  # a span reaching further back than a week is context, not the news of the day
FEW = (2, 4)  # "a few", "several", a bare plural: English usage runs from two to about four
MIN_YEAR = 1900  # earlier four-digit numbers in news copy are clock times ("1850 GMT")
FUTURE_YEARS = 10  # how far ahead a forecast may name a year ("by 2025")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty-six": 36, "forty-eight": 48,
    "seventy-two": 72, "a couple": 2, "couple": 2,
}
VAGUE = ("a few", "few", "several", "some", "many", "a number")

# A second guard: _RULES only pass dateparser text with a day and a month, and these keep it
# from its relative-time and timestamp parsers ("We" -> Wednesday, "1850" -> a year) and from
# filling a missing day or month with the anchor's, should that gate ever widen.
DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month"], "PARSERS": ["absolute-time"]}


@dataclass(frozen=True, slots=True)
class DateResolution:
    """When an expression places an occurrence: a day, or the span a coarser time covers."""

    start: date
    end: date  # equal to start for a single day
    precision: str  # one of PRECISIONS
    is_background: bool  # context, not the report's news: see the module docstring
    text: str  # the words resolved: the expression, or the date phrase found inside it

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision {self.precision!r} is not one of {PRECISIONS}")
        if self.start > self.end:
            raise ValueError(f"date span {self.start}..{self.end} ends before it starts")


class _Span(NamedTuple):
    start: date
    end: date
    precision: str
    is_background: bool = False


def resolve_date(
    expression: str, anchor: date | datetime, *, future: bool = False
) -> DateResolution | None:
    """Resolve a date expression (a spaCy DATE or TIME span) against the report's anchor.

    `anchor` is the entry's time or the publication date; an aware datetime counts by its own
    calendar date (entries are in UTC). `future` is True when the governing verb is future
    tense, so "will meet on Saturday" looks forward. Returns None when the words give no day
    or period ("five-day", "24 hours", "1850 GMT").

    >>> resolve_date("Tuesday night", date(2016, 12, 7)).start
    datetime.date(2016, 12, 6)
    """
    return _resolve_on_day(expression, anchor.date() if isinstance(anchor, datetime) else anchor, future)


@lru_cache(maxsize=1 << 16)
def _resolve_on_day(expression: str, day: date, future: bool) -> DateResolution | None:
    """`resolve_date` once the anchor is a day; remembered, since a document names its days many times."""
    span = _resolve(_normalise(expression), day, future)
    text = expression.strip()
    if span is None:
        # spaCy sometimes glues a date to other numbers ("aged between 18 and 30 last night")
        for _, _, found in find_date_expressions(expression):
            span = _resolve(_normalise(found), day, future)
            if span is not None:
                text = found
                break
    if span is None:
        return None
    return DateResolution(span.start, span.end, span.precision, span.is_background, text)


# --- normalisation -------------------------------------------------------------------------

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUMBER_RE = r"\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
_VAGUE_RE = "|".join(VAGUE)
_UNIT_RE = r"(hour|day|week|month|year)s?"
_QUALIFIER_RE = (
    r"(?:(?:more than|over|nearly|almost|about|around|at least|less than|under|roughly|"
    r"just|past|last) )?"  # "over", "about" and "around" are gone by now: _normalise
)
_CLOCK_LEAD = r"(?:(?:at|around|about|shortly after|shortly before|just after|just before) )?"

_REWRITES = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"[\u2010-\u2015]", "-"),
    (r"[\u2018\u2019]", "'"),
    (r"'s\b", ""),
    (r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.", r"\1"),
    # clock times carry no day; without a day word left, nothing resolves ("1850 GMT")
    (_CLOCK_LEAD + r"\b\d{1,2}(?:[:.]\d{2})? ?(?:am\b|pm\b|a\.m\.|p\.m\.)", " "),
    (_CLOCK_LEAD + r"\b\d{1,2}:\d{2}\b", " "),
    (_CLOCK_LEAD + r"\b\d{3,4} ?(?:gmt|utc|bst|cet|eet|hrs|h|local time)\b", " "),
    (r"\b(?:gmt|utc|local time)\b", " "),
    (r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1"),
    (r"[();:\"]", " "),
    (r" ?, ?", ", "),
    (r"\b(?:late |early )?last night\b", "yesterday"),
    (r"\b(?:tonight|this (?:morning|afternoon|evening))\b", "today"),
    (r"\b(?:the )?(?:early|small|wee) hours(?: of)?\b", " "),
    (r"\b(?:the )?(?:night|morning|evening|afternoon) of\b", " "),
    (r"\b(?:in the )?(?:morning|afternoon|evening|night|dawn|daybreak|midday|noon|midnight|"
     r"lunchtime)s?\b", " "),
    (r"\b(?:the )?(?:end|close) of\b", "late "),
    (r"\b(?:the )?(?:beginning|start) of\b", "early "),
    (r"\b(?:the )?middle of\b", "mid "),
    (r"\bmid-", "mid "),
    (r"\bthis past\b", "last"),
    (r"\bso far\b", " "),
    (r"\b(?:the|on|at|in|of|during|within|over|around|about|sometime|some time)\b "
     r"(?=.)", " "),
))
_LEADING = re.compile(r"^(?:(?:until|till|by|as of|up to)\s+)+")


def _normalise(expression: str) -> str:
    """Lower-case, and drop what does not move the day: prepositions, clock times, parts of day."""
    text = f" {expression.lower()} "
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\s+", " ", text).strip(" .,-'")
    # a leading "the"/"on" may survive the lookahead above when it is the last word
    text = re.sub(r"^(?:the|on|at|in|of|over|during)$", "", text)
    return _LEADING.sub("", text)


# --- calendar arithmetic --------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """Same day of month, clamped: 31 March minus one month is 29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _period(day: date, unit: str) -> tuple[date, date]:
    """The calendar week, month or year that contains `day`."""
    if unit == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _back(day: date, unit: str, count: int) -> date:
    if unit == "hour":
        return day - timedelta(days=max(1, -(-count // 24)))
    if unit in ("day", "week"):
        return day - timedelta(days=count * (7 if unit == "week" else 1))
    return _add_months(day, -count * (12 if unit == "year" else 1))


def _clip(start: date, end: date, day: date, future: bool) -> tuple[date, date]:
    """Keep a period that contains the anchor on the side of it the tense allows."""
    if start <= day <= end:
        return (day, end) if future else (start, day)
    return start, end


def _before_anchor_month(end: date, day: date, future: bool) -> bool:
    return not future and end < day.replace(day=1)


def _weekday(target: int, day: date, direction: str) -> date:
    """The `target` weekday nearest `day`: before, on_or_before, after or on_or_after it."""
    back = (day.weekday() - target) % 7
    ahead = (target - day.weekday()) % 7
    if direction == "before":
        return day - timedelta(days=back or 7)
    if direction == "on_or_before":
        return day - timedelta(days=back)
    if direction == "after":
        return day + timedelta(days=ahead or 7)
    return day + timedelta(days=ahead)


def _direction(relative: str | None, future: bool) -> str:
    if relative in ("last", "previous", "past"):
        return "before"
    if relative in ("next", "coming"):
        return "after"
    return "on_or_after" if future else "on_or_before"


def _count(word: str | None) -> int | None:
    """A count as written ("24", "two", "a"); None for none or a vague one ("a few")."""
    if word is None or word in VAGUE:
        return None
    return int(word) if word.isdigit() else NUMBERS[word]


# --- rules: each fully matches a normalised expression --------------------------------------


def _relative_day(m: re.Match, day: date, future: bool) -> _Span:
    word = m[1]
    if word == "overnight":
        return _Span(day - timedelta(days=1), day, "day")
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1, "day before yesterday": -2,
              "day after tomorrow": 2}[word]
    return _Span(day + timedelta(days=offset), day + timedelta(days=offset), "day")


def _weekday_rule(m: re.Match, day: date, future: bool) -> _Span:
    found = _weekday(WEEKDAYS.index(m[2]), day, _direction(m[1], future))
    return _Span(found, found, "day")


def _weekend(m: re.Match, day: date, future: bool) -> _Span:
    """Saturday and Sunday as a two-day range, clipped to the anchor like any period."""
    if future or m[1] in ("next", "coming"):
        saturday = _weekday(5, day, "on_or_after")
        if day.weekday() == 6:
            saturday = day - timedelta(days=1)  # on a Sunday, the weekend under way is meant
        return _Span(max(saturday, day), saturday + timedelta(days=1), "day")
    saturday = _weekday(5, day, "on_or_before")
    if m[1] in ("last", "previous", "past") and day.weekday() >= 5:
        saturday -= timedelta(days=7)  # said during a weekend, "last weekend" is the one before
    return _Span(saturday, min(saturday + timedelta(days=1), day), "day")


def _calendar(m: re.Match, day: date, future: bool) -> _Span:
    """this/last/next week, month or year, and "earlier/later this ..."."""
    side, relative, unit = m[1], m[2], m[3]
    shift = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(relative, 0)
    if unit == "week":
        start, end = _period(day + timedelta(days=7 * shift), unit)
    else:
        start, end = _period(_add_months(day, shift * (12 if unit == "year" else 1)), unit)
    if shift == 0 and side == "earlier":
        start, end = start, max(start, day - timedelta(days=1))
    elif shift == 0 and side == "later":
        start, end = min(day + timedelta(days=1), end), end
    elif shift == 0:
        start, end = _clip(start, end, day, future)
    background = unit != "week" and _before_anchor_month(end, day, future)
    return _Span(start, end, unit, background)


def _window(m: re.Match, day: date, future: bool) -> _Span | None:
    """"the past 24 hours", "the last three weeks", "the next two days"."""
    direction, amount, unit = m[1], m[2], m[3]
    if direction in ("previous", "next", "coming") and amount is None and not m[0].endswith("s"):
        return None  # "the next day", "the previous day" follow a narrated day, not the anchor
    count = _count(amount) or (FEW[1] if amount else 1)
    precision = "day" if unit == "hour" else unit
    if direction in ("next", "coming"):
        ahead = _back(day, unit, -count) if unit != "hour" else day + timedelta(days=1)
        return _Span(day, ahead, precision)
    if unit == "hour" or (unit == "day" and count == 1):
        # a window that ends at the report: the report's day holds its first day's worth of hours
        start = day - timedelta(days=max(0, (count * (24 if unit == "day" else 1) - 1) // 24))
    else:
        start = _back(day, unit, count)
    return _Span(start, day, precision, not future and start < day - timedelta(days=RECENT_DAYS))


def _ago(m: re.Match, day: date, future: bool) -> _Span | None:
    """"three days ago", "two weeks ago", "a few weeks earlier", "months ago"."""
    amount, unit, plural = m[1], m[2], m[0].split()[-2].endswith("s")
    count = _count(amount)
    if count is None and amount is None and not plural:
        return None  # "day ago" is not English; nothing to resolve
    if unit == "hour":
        back = (count or 0) // 24
        return _Span(day - timedelta(days=back), day - timedelta(days=back), "day")
    if count is None:  # vague: between FEW[0] and FEW[1] units back, whole calendar units
        start, end = _back(day, unit, FEW[1]), _back(day, unit, FEW[0])
        if unit != "day":
            start, end = _period(start, unit)[0], _period(end, unit)[1]
        return _Span(start, end, unit, unit != "day")
    if unit == "day":
        found = _back(day, unit, count)
        return _Span(found, found, "day")
    start, end = _period(_back(day, unit, count), unit)
    return _Span(start, end, unit, unit != "week" and _before_anchor_month(end, day, future))


def _duration(m: re.Match, day: date, future: bool) -> _Span | None:
    """"for more than a year": a state reaching back from the anchor, hence background."""
    amount, unit = m[1], m[2]
    if future or unit in ("hour", "day"):
        return None  # how long something lasts or will last, not when it happened
    start = _back(day, unit, _count(amount) or (FEW[1] if amount or m[0].endswith("s") else 1))
    return _Span(start, day, unit, start < day - timedelta(days=RECENT_DAYS))


def _since(m: re.Match, day: date, future: bool) -> _Span | None:
    inner = _resolve(m[1], day, False)
    if inner is None or inner.start > day:
        return None
    return _Span(inner.start, day, inner.precision, inner.start < day - timedelta(days=RECENT_DAYS))


def _month(m: re.Match, day: date, future: bool) -> _Span:
    """"in March", "early December", "last March", "September 2015"."""
    part, relative, month, year = m[1], m[2], MONTHS[m[3]], m[4]
    if year:
        found = date(int(year), month, 1)
    else:
        found = date(day.year, month, 1)
        direction = _direction(relative, future) if relative != "this" else "this"
        if direction == "before" and found >= day.replace(day=1):
            found = found.replace(year=day.year - 1)
        elif direction == "on_or_before" and found > day:
            found = found.replace(year=day.year - 1)
        elif direction == "after" and found <= day:
            found = found.replace(year=day.year + 1)
        elif direction == "on_or_after" and found < day.replace(day=1):
            found = found.replace(year=day.year + 1)
    start, end = _period(found, "month")
    if part:
        first = {"early": 1, "mid": 11, "late": 21}[part]
        last = end if part == "late" else found.replace(day=first + 9)
        start, end = found.replace(day=first), last
    start, end = _clip(start, end, day, future)
    return _Span(start, end, "week" if part else "month", _before_anchor_month(end, day, future))


def _year(m: re.Match, day: date, future: bool) -> _Span | None:
    """"2015", "the 1980s"; a four-digit number outside the plausible years is none."""
    year, is_decade = int(m[1]), bool(m[2])
    if not MIN_YEAR <= year <= day.year + (FUTURE_YEARS if future else 0):
        return None
    if is_decade and year % 10:
        return None
    start, end = date(year, 1, 1), date(year + (9 if is_decade else 0), 12, 31)
    start, end = _clip(start, end, day, future)
    return _Span(start, end, "year", _before_anchor_month(end, day, future))


def _explicit(m: re.Match, day: date, future: bool) -> _Span | None:
    """A day and a month, perhaps a year: dateparser's strength, so it does the parsing."""
    settings = dict(DATEPARSER_SETTINGS, RELATIVE_BASE=datetime.combine(day, time()),
                    PREFER_DATES_FROM="future" if future else "past")
    parsed = dateparser.parse(m[1], languages=["en"], settings=settings)
    if parsed is None:
        return None  # "31 November"
    found = parsed.date()
    if not re.search(r"\b\d{4}\b|\d{1,2}/\d{1,2}/\d{2}", m[1]):
        # dateparser's "future" skips the anchor day itself; choose the year ourselves
        found = _nearest_year(found.month, found.day, day, future)
    return _Span(found, found, "day")


def _nearest_year(month: int, day_of_month: int, day: date, future: bool) -> date:
    """The most recent such date not after `day`, or the next one not before it."""
    step = 1 if future else -1
    year = day.year
    while True:
        if month != 2 or day_of_month != 29 or isleap(year):
            found = date(year, month, day_of_month)
            if (found >= day) if future else (found <= day):
                return found
        year += step


_Rule = Callable[[re.Match, date, bool], _Span | None]
_RULES: tuple[tuple[re.Pattern, _Rule], ...] = tuple((re.compile(p), rule) for p, rule in (
    (r"(?:(?:earlier|later) )?(today|yesterday|tomorrow|day before yesterday|"
     r"day after tomorrow|overnight)", _relative_day),
    (rf"(?:(?:early|late) )?(?:(last|this|next|past|coming|previous) )?({_WEEKDAY_RE})",
     _weekday_rule),
    (r"(?:(last|this|next|past|coming|previous) )?weekend", _weekend),
    (r"(?:(earlier|later) )?(this|last|next|previous|coming) (week|month|year)", _calendar),
    (rf"(past|last|previous|next|coming) (?:({_NUMBER_RE}|{_VAGUE_RE}) )?{_UNIT_RE}", _window),
    (rf"{_QUALIFIER_RE}(?:({_NUMBER_RE}|{_VAGUE_RE}) )?{_UNIT_RE} (?:ago|earlier)", _ago),
    (rf"for {_QUALIFIER_RE}(?:({_NUMBER_RE}|{_VAGUE_RE}) )?{_UNIT_RE}", _duration),
    (r"since (.+)", _since),
    (rf"(?:(early|mid|late) )?(?:(last|this|next|previous|coming) )?({_MONTH_RE})(?: (\d{{4}}))?",
     _month),
    (r"(?:(?:early|mid|late) )?(\d{4})(s)?", _year),
    (rf"(?:(?:early|late) )?((?:(?:{_WEEKDAY_RE}),? )?(?:\d{{1,2}} (?:{_MONTH_RE})|"
     rf"(?:{_MONTH_RE}) \d{{1,2}})(?:,? \d{{4}})?(?: (?:{_WEEKDAY_RE}))?|"
     r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})", _explicit),
))
_RANGE_SPLIT = re.compile(r" (?:and|to|until|till|through) | ?- ?| ?, ?")
_BARE_DAY = re.compile(r"\d{1,2}")


# ranges split at every "and", comma and dash and resolve both sides; memoising keeps a long
# list ("18, 19, 20 and 21") polynomial instead of exponential
@lru_cache(maxsize=4096)
def _resolve(text: str, day: date, future: bool) -> _Span | None:
    """Try each rule on the whole normalised text, then read it as a range of two dates."""
    if not text:
        return None
    for pattern, rule in _RULES:
        m = pattern.fullmatch(text)
        if m:
            return rule(m, day, future)
    return _range(text, day, future)


def _range(text: str, day: date, future: bool) -> _Span | None:
    """"30 november and 1 december", "3 to 5 march", "monday and tuesday", "2014-2015".

    The end is resolved against the anchor, then the start as the latest such day not after
    the end's start, so "December 30 - January 2" read in January spans the new year.
    """
    text = re.sub(r"^(?:between|from) ", "", text)
    for split in _RANGE_SPLIT.finditer(text):
        first, last = _borrow_month(text[: split.start()].strip(), text[split.end():].strip())
        if not first or not last:
            continue
        end = _resolve(last, day, future)
        if end is None:
            continue
        start = _resolve(first, end.start, False)
        if start is None or start.start > end.end:
            continue
        precision = max(start.precision, end.precision, key=PRECISIONS.index)
        return _Span(start.start, end.end, precision, end.is_background)
    return None


def _borrow_month(first: str, last: str) -> tuple[str, str]:
    """Give a bare day number the month of the other end: "3 to 5 march", "march 3-5"."""
    if _BARE_DAY.fullmatch(first):
        m = re.match(rf"\d{{1,2}} ({_MONTH_RE})\b", last)
        if m:
            return f"{first} {m[1]}", last
        m = re.match(rf"({_MONTH_RE}) \d{{1,2}}\b", last)
        if m:
            return f"{m[1]} {first}", last
    if _BARE_DAY.fullmatch(last):
        m = re.match(rf"(?:.* )?({_MONTH_RE}) \d{{1,2}}$", first)
        if m:
            return first, f"{m[1]} {last}"
    return first, last


# --- finding expressions in running text ----------------------------------------------------

_S_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_S_MONTH_FULL = (r"(?:January|February|March|April|May|June|July|August|September|October|"
                 r"November|December)")
_S_MONTH = rf"(?:{_S_MONTH_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
_S_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
# never a clock time: "UPDATE 2015 GMT" is a quarter past eight
_S_YEAR = r"(?:19|20)\d{2}(?![\d:])(?!\s*(?:GMT|UTC|BST|CET|EET|hrs|h\b|local))"
_S_DATE = (rf"(?:{_S_WEEKDAY},?\s+)?(?:(?:the\s+)?{_S_DAY}(?:\s+of)?\s+{_S_MONTH}|"
           rf"{_S_MONTH}\s+{_S_DAY})(?:,?\s+{_S_YEAR})?")
_S_PART = r"(?:\s+(?i:morning|afternoon|evening|night))?"
_S_LEAD = (r"(?:(?i:since|early|late)\s+(?:(?i:on)\s+)?)?"
           r"(?:(?i:the\s+(?:night|morning|evening|afternoon|early\s+hours)\s+of)\s+)?")
# lookbehinds must be fixed-width, hence one per word; the preposition stays out of the span
_S_AFTER_PREPOSITION = "(?:" + "|".join(
    rf"(?<=\b(?i:{word})\s)" for word in ("in", "by", "of", "during", "until", "before", "after")
) + ")"
_S_NUMBER = rf"(?:\d{{1,3}}|{'|'.join(sorted(NUMBERS, key=len, reverse=True))})"
_S_UNITS = r"(?:hours?|days?|weeks?|months?|years?)"
_S_PATTERNS = tuple(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])") for p in (
    # ranges
    rf"(?:(?i:between|from)\s+)?(?:{_S_DATE}|{_S_DAY}|{_S_WEEKDAY})\s*"
    rf"(?:(?i:and|to|until|till|through)|[-\u2013])\s*(?:{_S_DATE}|{_S_WEEKDAY})",
    rf"{_S_MONTH}\s+{_S_DAY}\s*[-\u2013]\s*{_S_DAY}",
    rf"(?:(?i:between|from)\s+)?{_S_YEAR}\s*(?:(?i:and|to)|[-\u2013])\s*{_S_YEAR}",
    # days
    rf"{_S_LEAD}{_S_DATE}{_S_PART}",
    rf"{_S_LEAD}(?:(?i:last|this|next|past|coming)\s+)?{_S_WEEKDAY}{_S_PART}",
    r"(?i:(?:the\s+day\s+before\s+)?yesterday|(?:earlier\s+|later\s+)?today|tonight|"
    r"(?:late\s+|early\s+)?last\s+night|overnight|tomorrow)"
    r"(?:\s+(?i:morning|afternoon|evening|night))?",
    r"(?i:(?:earlier\s+|later\s+|so\s+far\s+)?this\s+"
    r"(?:morning|afternoon|evening|week|month|year|weekend))",
    r"(?i:(?:last|next|the\s+previous|the\s+coming)\s+(?:week|month|year|weekend)|the\s+weekend)",
    # windows, ago, durations
    rf"(?i:(?:in|over|within|during|for)\s+)?(?i:the\s+(?:past|last|previous|next|coming)\s+"
    rf"(?:(?:{_S_NUMBER}|few|several)\s+)?{_S_UNITS})",
    rf"(?i:(?:(?:{_S_NUMBER}|a\s+few|several|a\s+couple\s+of|some)\s+{_S_UNITS}|"
    rf"hours|days|weeks|months|years)\s+(?:ago|earlier))",
    rf"(?i:for\s+(?:(?:more\s+than|over|nearly|almost|about|around|at\s+least)\s+)?"
    rf"(?:(?:{_S_NUMBER}|a|an)\s+(?:weeks?|months?|years?)|(?:(?:several|a\s+few|many)\s+)?"
    rf"(?:weeks|months|years)))",
    # months and years need a word that makes them times: "March" alone may be a verb
    rf"(?:(?i:since|early|late|mid-|mid|last|next|this)\s*)?{_S_MONTH_FULL}\s+{_S_YEAR}",
    rf"(?:(?i:since|early|late|last|next|this|mid)\s+|(?i:mid)-|(?i:the\s+(?:end|beginning|"
    rf"start|middle)\s+of)\s+){_S_MONTH_FULL}",
    rf"{_S_AFTER_PREPOSITION}{_S_MONTH_FULL}",
    rf"(?:(?i:since|early|late|mid)\s+|(?i:mid)-){_S_YEAR}|(?:(?i:the\s+)?(?:19|20)\d0s)",
    rf"{_S_AFTER_PREPOSITION}{_S_YEAR}",
))


def find_date_expressions(text: str) -> tuple[tuple[int, int, str], ...]:
    """Find date expressions in running text, for use where no spaCy model is at hand.

    Names must be capitalised and bare months and years need a preposition, so "We", "May"
    (the verb), "1850 GMT" and "five-day" are not found. Returns (start, end, text) with
    character offsets into `text`, longest first where matches overlap, in text order.

    >>> find_date_expressions("Shelling resumed on Tuesday night.")
    ((20, 33, 'Tuesday night'),)
    """
    found = sorted(
        ((m.start(), m.end()) for pattern in _S_PATTERNS for m in pattern.finditer(text)),
        key=lambda span: (span[0], -span[1]),
    )
    kept: list[tuple[int, int, str]] = []
    for start, end in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, text[start:end]))
    return tuple(kept)


_WIDEN_LEFT = re.compile(
    r"(?:\b(?:since|early|late|mid-?|(?:the\s+)?(?:night|morning|evening|afternoon|early\s+hours|"
    r"end|beginning|start|middle)\s+of)\s*)$", re.IGNORECASE)
_WIDEN_LEFT_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_WIDEN_LEFT_DAY = re.compile(r"\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$", re.IGNORECASE)
_WIDEN_RIGHT = re.compile(r"^\s+(?:morning|afternoon|evening|night|GMT|UTC)\b", re.IGNORECASE)
_WIDEN_RIGHT_AGO = re.compile(r"^\s+(?:ago|earlier)\b", re.IGNORECASE)
_STARTS_MONTH = re.compile(rf"^{_S_MONTH_FULL}\b")
_HAS_UNIT = re.compile(r"\b(?:hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
_HAS_LONG_UNIT = re.compile(r"\b(?:weeks?|months?|years?)\b", re.IGNORECASE)
WIDEN_REACH = 40  # characters looked at beside a span: longer than any phrase the rules take


def widen_date_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen an entity span over neighbouring words that change its date.

    spaCy leaves "since" out of "since August", "for" out of "for more than a year", "night"
    out of "Tuesday night", "GMT" out of "1850 GMT" and the day out of "the night of 5
    December"; without them the background flag, the day or the refusal is lost.

    >>> text = "Fighting has raged since August."
    >>> widen_date_span(text, 25, 31)
    (19, 31)
    """
    while True:
        reach = max(0, start - WIDEN_REACH)
        before, span, after = text[reach:start], text[start:end], text[end:end + WIDEN_REACH]
        m = (_WIDEN_LEFT.search(before)
             or (_HAS_LONG_UNIT.search(span) and _WIDEN_LEFT_FOR.search(before))
             or (_STARTS_MONTH.match(span) and _WIDEN_LEFT_DAY.search(before)))
        if m and m.start() < len(before):
            start = reach + m.start()
            continue
        m = _WIDEN_RIGHT.match(after) or (_HAS_UNIT.search(span) and _WIDEN_RIGHT_AGO.match(after))
        if m:
            end += m.end()
            continue
        return start, end
