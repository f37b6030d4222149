"""Live-blog splitting: every marker format, UTC conversion, days from the publication date."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from sitrep.ingest.liveblog import split_entries
from tests.conftest import DATA


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, published, zone, expected", [
    ("UPDATE 1850 GMT: Activists report shelling.\n\nUPDATE 1730 GMT: Clashes resume.",
     date(2016, 12, 9), None,
     [("UPDATE 1850 GMT", utc(2016, 12, 9, 18, 50)), ("UPDATE 1730 GMT", utc(2016, 12, 9, 17, 30))]),
    ("Story text.\n\n[UPDATE 2000 GMT: The group says it has surrounded the town.]\n\nOlder text.",
     date(2016, 12, 9), None, [("UPDATE 2000 GMT", utc(2016, 12, 9, 20, 0))]),
    ("Update, 14:32 GMT\nThe convoy reached the crossing.", date(2018, 2, 20), None,
     [("Update, 14:32 GMT", utc(2018, 2, 20, 14, 32))]),
    ("18:50 GMT — Sirens sounded in the south.\n\n16:05 GMT — Two rockets were intercepted.",
     date(2021, 5, 11), None,
     [("18:50 GMT", utc(2021, 5, 11, 18, 50)), ("16:05 GMT", utc(2021, 5, 11, 16, 5))]),
    ("11.05am GMT\nThe minister arrived.\n\n9.40am GMT\nOvernight strikes were reported.", date(2022, 3, 1), None,
     [("11.05am GMT", utc(2022, 3, 1, 11, 5)), ("9.40am GMT", utc(2022, 3, 1, 9, 40))]),
    # ET follows daylight saving: UTC-5 in March before the switch, UTC-4 in July
    ("10:25 a.m. ET — The Pentagon briefed reporters.\n\n9:10 a.m. ET — Officials confirmed the raid.",
     date(2017, 3, 1), None,
     [("10:25 a.m. ET", utc(2017, 3, 1, 15, 25)), ("9:10 a.m. ET", utc(2017, 3, 1, 14, 10))]),
    ("10:25 a.m. ET — The Pentagon briefed reporters.\n\n9:10 a.m. ET — Officials confirmed the raid.",
     date(2017, 7, 3), None,
     [("10:25 a.m. ET", utc(2017, 7, 3, 14, 25)), ("9:10 a.m. ET", utc(2017, 7, 3, 13, 10))]),
    # no zone in the text: the document's zone (manifest column or --timezone) applies
    ("Updated at 11.05am\nThe ministry released new figures.", date(2016, 7, 1), "Europe/London",
     [("Updated at 11.05am", utc(2016, 7, 1, 10, 5))]),
    ("17:20 (local time) — Shelling resumed.\n\n15:00 (local time) — A lull in the fighting.",
     date(2016, 12, 9), "Asia/Damascus",
     [("17:20 (local time)", utc(2016, 12, 9, 15, 20)), ("15:00 (local time)", utc(2016, 12, 9, 13, 0))]),
    # oldest first, crossing midnight: the clock going back means the next day
    ("UPDATE 2230 GMT: Fires seen.\n\nUPDATE 2350 GMT: Power cut.\n\nUPDATE 0015 GMT: Power restored.",
     date(2019, 10, 12), None,
     [("UPDATE 2230 GMT", utc(2019, 10, 12, 22, 30)), ("UPDATE 2350 GMT", utc(2019, 10, 12, 23, 50)),
      ("UPDATE 0015 GMT", utc(2019, 10, 13, 0, 15))]),
])
def test_liveblog_marker_formats(text, published, zone, expected):
    entries = split_entries(text, published, zone)
    assert [(e.label, e.time) for e in entries] == expected
    for entry in entries:  # offsets round-trip: each entry's text opens with its label
        assert entry.label in text[entry.start:entry.end][:40]


def test_liveblog_reverse_order_crosses_midnight():
    text = (DATA / "blog-reverse.txt").read_text(encoding="utf-8")
    entries = split_entries(text, date(2016, 12, 5))
    timed = [(e.label, e.time) for e in entries if e.has_time]
    assert timed == [("UPDATE 0140 GMT", utc(2016, 12, 6, 1, 40)), ("UPDATE 2310 GMT", utc(2016, 12, 5, 23, 10)),
                     ("UPDATE 1805 GMT", utc(2016, 12, 5, 18, 5))]
    original = [e for e in entries if not e.has_time]
    assert [e.label for e in original] == ["ORIGINAL ENTRY"]
    assert text[original[0].start:original[0].end].endswith("to the front line.")


@pytest.mark.parametrize("text", [
    (DATA / "plain-article.txt").read_text(encoding="utf-8"),
    "17:20 — the only line that opens with a time is not a live blog.\n\nThe rest is prose.",
    "UPDATE: The article was corrected to give the right spelling.",
    "In 2016 the siege began.\n\n1850 people were displaced.",
])
def test_liveblog_plain_articles_have_no_entries(text):
    assert split_entries(text, date(2016, 12, 9)) == ()


def test_liveblog_without_publication_date_keeps_labels_without_times():
    entries = split_entries("UPDATE 1850 GMT: a.\n\nUPDATE 1730 GMT: b.", None)
    assert [(e.label, e.time) for e in entries] == [("UPDATE 1850 GMT", None), ("UPDATE 1730 GMT", None)]


def test_liveblog_ordinals_count_repeated_labels_oldest_first():
    text = "UPDATE 0900 GMT: day two.\n\nUPDATE 1200 GMT: day one, noon.\n\nUPDATE 0900 GMT: day one."
    entries = split_entries(text, date(2020, 1, 1))
    assert [(e.label, e.ordinal, e.time.day) for e in entries] == [
        ("UPDATE 0900 GMT", 1, 2), ("UPDATE 1200 GMT", 0, 1), ("UPDATE 0900 GMT", 0, 1)]
