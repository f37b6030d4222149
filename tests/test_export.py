"""The JSON Lines export: documents, entries, then events and claims in the contract's shape."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest

from sitrep.model import Range
from sitrep.report import export_records, write_export
from sitrep.store import Store
from tests.test_store import ARTICLE, BLOG_EARLY, BLOG_GROWN, analyse, first_offset, read_text_document

EVENT_KEYS = {"kind", "id", "event_type", "sub_event_type", "date", "date_precision", "location", "actors",
              "actors_raw", "fatalities", "sources", "documents", "evidence",
              "sources_raw", "fatalities_rule", "grade", "grade_reason", "members"}  # from sitrep.resolve
CLAIM_KEYS = {"kind", "id", "document", "claimant", "claimant_raw", "measure", "subject", "value", "vague", "date",
              "place", "modality", "part_of", "text", "evidence"}
LOCATION_KEYS = {"name", "admin1", "country", "lat", "lon", "precision", "aliases"}


def exported(db_path) -> list[dict]:
    """What `sitrep export` prints, parsed back: the records as a reader of the file sees them."""
    out = io.StringIO()
    with Store(db_path) as store:
        n = write_export(store, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == n
    return records


def test_export_records_match_the_contract(db_path, tmp_path):
    article = analyse(read_text_document(tmp_path, ARTICLE, name="a.txt", url=None))
    blog = analyse(read_text_document(tmp_path, BLOG_GROWN))
    with Store(db_path) as store:
        for analysis in (article, blog):
            store.add_analysis(analysis)
    records = exported(db_path)
    texts = {a.document.id: a.document.text for a in (article, blog)}
    kinds = [r["kind"] for r in records]
    assert kinds == ["document"] * 2 + ["entry"] * 2 + ["event"] * 3 + ["claim"] * 4
    for record in records[4:]:
        expected = EVENT_KEYS if record["kind"] == "event" else CLAIM_KEYS
        if record["kind"] == "event" and record["date_precision"] in ("week", "month"):
            expected = expected | {"period"}  # a week or a month is not a day: date is null, the period says which
            assert record["date"] is None and record["period"]["start"] <= record["period"]["end"]
        assert set(record) == expected
        assert record["evidence"]
        for e in record["evidence"]:
            assert set(e) == {"document", "start", "end", "text"}
            assert e["text"] == texts[e["document"]][e["start"]:e["end"]] != ""
        if record["kind"] == "event":
            assert record["location"] is None or set(record["location"]) == LOCATION_KEYS
            assert set(record["fatalities"]) <= {"killed", "injured"}
        else:
            assert record["text"] == record["evidence"][0]["text"]
            assert set(record["value"]) == {"low", "best", "high"}
    strike = next(r for r in records if r.get("event_type") == "Explosions/Remote violence")
    start = texts[blog.document.id].index("Shelling struck")
    assert strike == {
        "kind": "event", "id": f"e-{blog.document.id}-{start}",
        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "date": "2021-03-04", "date_precision": "day",
        "location": {"name": "Tell Sabra", "admin1": "Northern", "country": "Testland", "lat": 36.2, "lon": 37.1,
                     "precision": "town", "aliases": ["Tal Sabra"]},
        "actors": ["Unidentified Armed Group"], "actors_raw": ["shelling"],
        "fatalities": {"killed": {"low": 4, "best": 4, "high": 4}},  # no "injured": the text gives no figure
        "sources": ["Tell Sabra town council"], "documents": [blog.document.id],
        "evidence": [{"document": blog.document.id, "start": e.start, "end": e.end, "text": e.text}
                     for e in blog.events[0].evidence],
        "sources_raw": ["Tell Sabra town council"],  # resolution's fields (sitrep.resolve)
        "fatalities_rule": {"killed": "one report (Tell Sabra town council: 4)"},
        "grade": "single source", "grade_reason": "single source: Tell Sabra town council",
        "members": [f"e-{blog.document.id}-{start}"]}
    detained = next(r for r in records if r.get("measure") == "detained")
    assert {k: v for k, v in detained.items() if k not in ("id", "evidence")} == {
        "kind": "claim", "document": article.document.id, "claimant": "a rights group",
        "claimant_raw": "a rights group", "measure": "detained", "subject": "protesters",
        "value": {"low": 24, "best": None, "high": 99}, "vague": True, "date": None, "place": None,
        "modality": "alleged", "part_of": None, "text": "detained dozens of protesters"}


def test_export_order_is_ingest_order_then_offset(db_path, tmp_path):
    blog = analyse(read_text_document(tmp_path, BLOG_GROWN))
    article = analyse(read_text_document(tmp_path, ARTICLE, name="a.txt", url=None))
    reordered = replace(blog, events=blog.events[::-1], claims=blog.claims[::-1])  # the extractor's order is not kept
    with Store(db_path) as store:
        store.add_analysis(reordered)
        store.add_analysis(article)
    records = exported(db_path)
    for kind, attribute in (("event", "events"), ("claim", "claims")):
        expected = [r.id for a in (blog, article) for r in sorted(getattr(a, attribute), key=first_offset)]
        assert [r["id"] for r in records if r["kind"] == kind] == expected
    assert exported(db_path) == records  # and the same on every run


def test_export_new_version_replaces_old_records(db_path, tmp_path):
    early = analyse(read_text_document(tmp_path, BLOG_EARLY))
    grown = analyse(read_text_document(tmp_path, BLOG_GROWN))
    with Store(db_path) as store:
        store.add_analysis(early)
        store.add_analysis(grown)
        assert store.counts()["events"] == len(early.events) + len(grown.events)  # the old ones stay stored
    records = exported(db_path)
    assert [r["id"] for r in records if r["kind"] == "document"] == [grown.document.id]
    assert {d for r in records if r["kind"] == "event" for d in r["documents"]} == {grown.document.id}
    assert {r["document"] for r in records if r["kind"] == "claim"} == {grown.document.id}
    assert not {r["id"] for r in records} & {r.id for r in early.events + early.claims}


@pytest.mark.parametrize("killed, injured, fatalities", [
    (Range(4, 4, 4), None, {"killed": {"low": 4, "best": 4, "high": 4}}),
    (None, Range(10, None, None), {"injured": {"low": 10, "best": None, "high": None}}),  # "at least 10 hurt"
    (Range(0, 0, 0), Range(200, None, 999), {"killed": {"low": 0, "best": 0, "high": 0},  # none killed is a figure
                                             "injured": {"low": 200, "best": None, "high": 999}}),
    (None, None, {}),
])
def test_export_fatalities_list_only_given_figures(db_path, tmp_path, killed, injured, fatalities):
    analysis = analyse(read_text_document(tmp_path, BLOG_GROWN))
    event = replace(analysis.events[0], killed=killed, injured=injured)
    with Store(db_path) as store:
        store.add_analysis(replace(analysis, events=(event, *analysis.events[1:])))
    (record,) = [r for r in exported(db_path) if r.get("id") == event.id]
    assert record["fatalities"] == fatalities


def test_export_store_without_records_has_documents_only(db_path, tmp_path):
    with Store(db_path) as store:
        store.add_document(read_text_document(tmp_path, ARTICLE, url=None))
        assert [r["kind"] for r in export_records(store)] == ["document"]


@pytest.mark.parametrize("precision, start, end", [
    ("week", "2016-11-28", "2016-12-04"),
    ("month", "2016-11-01", "2016-11-30"),
])
def test_export_event_known_to_a_period_has_no_day(precision, start, end):
    from datetime import date

    from sitrep.model import Event, Location
    from sitrep.report.export import event_record
    event = Event(id="e1", document="d1", event_type="Battles", sub_event_type="Armed clash",
                  date=date.fromisoformat(start), date_precision=precision, location=Location("Aleppo"))
    record = event_record(event)
    assert record["date"] is None and record["period"] == {"start": start, "end": end}
