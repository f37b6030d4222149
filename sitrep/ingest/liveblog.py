"""Split live blogs into timestamped entries and put every entry time in UTC.

A live blog is a page of updates, newest first or oldest first, each opened by a marker
such as "UPDATE 1850 GMT:", "[UPDATE 2000 GMT: ...]", "Update, 14:32 GMT", "18:50 GMT —",
"10:25 a.m. ET" or "ORIGINAL ENTRY:". Markers give a clock time only, so the day comes from
the publication date: the oldest update of a run is taken to fall on that day, and each time
the clock goes backwards in reading order (oldest first) a midnight has passed. Whether a
page runs newest-first or oldest-first is read from the times: the order that spans less time. The original
entry starts a new run: updates placed after it belong to a story embedded lower on the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import InputError
from ..model import Entry

_CLOCK = (r"(?:(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?![\d.:])\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
          r"|(?P<h12>1[0-2]|0?[1-9])\s*(?P<ampm12>[ap]\.?\s?m\b\.?))")
_HHMM = r"(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)"
_ZONE = (r"(?P<zone>GMT|UTC|BST|CEST|CET|EEST|EET|MSK|EDT|EST|ET|CDT|CST|CT|PDT|PST|PT|AST"
         r"|\(local time\)|local time|local)(?:\s*(?P<sign>[+-])\s*(?P<offset>\d{1,2}))?")
_SEP = r"\s*(?:[:—–]|-(?=\s)|,(?=\s))?"

# "UPDATE 1850 GMT:", "Update, 14:32 GMT", "Updated at 11.05am", "[UPDATE 2000 GMT: ...]"
KEYWORD_MARKER = re.compile(
    rf"^[ \t]*(?P<bracket>\[)?(?P<label>(?:UPDATE[DS]?|Update[ds]?|LATEST|Latest)\b[,:]?\s*(?:at\s+)?"
    rf"(?:{_HHMM}|{_CLOCK})(?:\s*{_ZONE})?){_SEP}",
    re.MULTILINE)
# "18:50 GMT —", "11.05am GMT", "10:25 a.m. ET", "17:20 (local time)": a line that opens with a clock time
BARE_MARKER = re.compile(
    rf"^[ \t]*(?P<bracket>\[)?(?P<label>(?:{_HHMM}|{_CLOCK})(?:\s*{_ZONE})?)"
    rf"(?:\s*(?:[—–:]|-(?=\s))|[ \t]*$)",
    re.MULTILINE)
ORIGINAL_MARKER = re.compile(r"^[ \t]*(?P<label>ORIGINAL (?:ENTRY|POST)|Original (?:entry|post))\s*:", re.MULTILINE)

# Fixed offsets for abbreviations that name one side of daylight saving; the rest follow the zone's rules.
FIXED_OFFSETS = {"GMT": 0, "UTC": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
                 "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8, "PDT": -7, "AST": 3}
ZONE_NAMES = {"ET": "America/New_York", "CT": "America/Chicago", "PT": "America/Los_Angeles"}
# Bare clock times at line starts are common enough in prose to need company before they count as a blog.
MIN_BARE_MARKERS = 2


@dataclass(frozen=True, slots=True)
class _Marker:
    start: int
    end: int  # end of the marker text itself
    label: str
    clock: time | None
    zone: tzinfo | None  # None: the document's own zone
    is_original: bool
    is_bracketed: bool


def split_entries(text: str, published: date | None, zone_name: str | None = None) -> tuple[Entry, ...]:
    """Entries of a live blog in page order; empty for a plain article.

    `zone_name` (IANA, e.g. "Asia/Damascus") is the zone of times the text gives without one.
    """
    markers = find_markers(text)
    if not any(m.clock for m in markers):
        return ()
    local_zone = _zone(zone_name)
    ends = _entry_ends(text, markers)
    times = _assign_times(markers, published, local_zone)
    ordinals: dict[str, int] = {}
    order = sorted(range(len(markers)), key=lambda i: (times[i] is None, times[i] or datetime.min, -i))
    ordinal_of = {}
    for i in order:  # oldest first, so growth at either end of the page keeps existing ordinals
        ordinal_of[i] = ordinals.get(markers[i].label, 0)
        ordinals[markers[i].label] = ordinal_of[i] + 1
    return tuple(Entry(label=m.label, time=times[i], start=m.start, end=ends[i], ordinal=ordinal_of[i])
                 for i, m in enumerate(markers))


def find_markers(text: str) -> list[_Marker]:
    """Every entry marker, in page order; bare clock times only when the page has several."""
    found: dict[int, _Marker] = {}
    for m in ORIGINAL_MARKER.finditer(text):
        found[m.start("label")] = _Marker(m.start("label"), m.end("label"), m.group("label"), None, None,
                                          True, False)
    for m in KEYWORD_MARKER.finditer(text):
        if _is_clock(m):
            found.setdefault(m.start("label"), _marker(m))
    bare = [_marker(m) for m in BARE_MARKER.finditer(text) if _is_clock(m) and m.start("label") not in found]
    if len(bare) >= MIN_BARE_MARKERS:
        for marker in bare:
            found.setdefault(marker.start, marker)
    return [found[k] for k in sorted(found)]


def _is_clock(m: re.Match[str]) -> bool:
    """Four bare digits are a time only with a zone: "1850 GMT", not "in 2016"."""
    return not m.group("hhmm") or bool(m.group("zone"))


def _marker(m: re.Match[str]) -> _Marker:
    start = m.start("bracket") if m.group("bracket") else m.start("label")
    label = m.group("label").rstrip(" ,:")
    return _Marker(start, m.end("label"), label, _clock(m), _match_zone(m), False, bool(m.group("bracket")))


def _clock(m: re.Match[str]) -> time:
    if m.group("hhmm"):
        return time(int(m.group("hhmm")[:2]), int(m.group("hhmm")[2:]))
    hour = int(m.group("h") or m.group("h12"))
    minute = int(m.group("m") or 0)
    ampm = (m.group("ampm") or m.group("ampm12") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return time(hour, minute)


def _match_zone(m: re.Match[str]) -> tzinfo | None:
    zone = m.group("zone")
    if not zone or "local" in zone:
        return None
    hours = FIXED_OFFSETS.get(zone)
    if hours is None:
        return ZoneInfo(ZONE_NAMES[zone])
    if m.group("offset"):
        hours += int(m.group("offset")) * (-1 if m.group("sign") == "-" else 1)
    return timezone(timedelta(hours=hours))


def _zone(name: str | None) -> tzinfo:
    if not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:  # OSError: "America" is a folder of zones
        raise InputError(f"unknown time zone {name!r}: give an IANA name such as Europe/London or "
                         f"Asia/Damascus") from e


def _entry_ends(text: str, markers: list[_Marker]) -> list[int]:
    """An entry runs to the next marker; a bracketed one ends at its closing bracket."""
    ends = []
    for i, marker in enumerate(markers):
        limit = markers[i + 1].start if i + 1 < len(markers) else len(text)
        end = limit
        if marker.is_bracketed:
            close = text.find("]", marker.end, limit)
            newline = text.find("\n\n", marker.end, limit)
            if close != -1 and (newline == -1 or close < newline):
                end = close + 1
        while end > marker.end and text[end - 1].isspace():
            end -= 1
        ends.append(end)
    return ends


def _assign_times(markers: list[_Marker], published: date | None, local_zone: tzinfo) -> list[datetime | None]:
    times: list[datetime | None] = [None] * len(markers)
    if published is None:
        return times
    for run in _runs(markers):
        minutes = [markers[i].clock.hour * 60 + markers[i].clock.minute for i in run]
        # Read the run in whichever direction spans less time; ties go to newest-first, the usual layout.
        newest_first = _elapsed(minutes[::-1]) <= _elapsed(minutes)
        oldest_first = run[::-1] if newest_first else run
        day, previous = published, None
        for i in oldest_first:
            clock = markers[i].clock
            try:
                if previous is not None and clock < previous:
                    day += timedelta(days=1)
                local = datetime.combine(day, clock, tzinfo=markers[i].zone or local_zone)
                times[i] = local.astimezone(timezone.utc)
            except OverflowError:  # a day at the calendar's edge (9999-12-31, 0001-01-01): no time, no crash
                times[i] = None
            previous = clock
    return times


def _elapsed(minutes: list[int]) -> int:
    """Minutes from the first clock time to the last, read in this order across midnights."""
    return sum((b - a) % 1440 for a, b in zip(minutes, minutes[1:]))


def _runs(markers: list[_Marker]) -> list[list[int]]:
    """Indexes of timed markers, split at each original entry."""
    runs: list[list[int]] = [[]]
    for i, marker in enumerate(markers):
        if marker.is_original:
            runs.append([])
        elif marker.clock is not None:
            runs[-1].append(i)
    return [r for r in runs if r]
