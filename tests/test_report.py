"""Outputs people use (issue #6): the HTML situation report, ACLED-style CSV and GeoJSON."""
from __future__ import annotations

import csv
import io
import json
import math
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

import sitrep
from sitrep.cli import cli
from sitrep.model import Claim, Evidence, Range
from sitrep.report import FORMATS, write_export
from sitrep.report.export import write_export as write_contract_jsonl
from sitrep.report.figures import format_range, reconcile_claims
from sitrep.report.html import render_report, write_report
from sitrep.report.tabular import ACLED_COLUMNS, CSV_COLUMNS, acled_fatalities
from sitrep.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A planted article: markup in its text and in its outlet must reach the page as inert text.
PLANTED_TEXT = (
    "Shelling hit the old market in Aleppo on Monday, killing 5 people "
    "<script>document.title='pwned'</script>, activists said.\n\n"
    "Residents said <img src=x onerror=\"document.body.setAttribute('data-pwned','yes')\"> 12 civilians were "
    "killed in the strike on Aleppo on Monday.\n")
PLANTED_OUTLET = "<img src=x onerror=\"document.title='pwned by outlet'\">Desk"
PLANTED_URL = "javascript:document.title='pwned by url'"
ACLED_HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                "actor2", "admin1", "country", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                "fatalities"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_manifest) -> Path:
    """The seeds plus the planted article, ingested once for the module."""
    folder = tmp_path_factory.mktemp("report")
    (folder / "planted.txt").write_text(PLANTED_TEXT, encoding="utf-8")
    (folder / "manifest.tsv").write_text("path\turl\toutlet\tpublished\n"
                                         f"planted.txt\t{PLANTED_URL}\t{PLANTED_OUTLET}\t2016-12-12\n",
                                         encoding="utf-8")
    db = folder / "seeds.db"
    assert sitrep.ingest(db, manifest=seeds_manifest).ok
    assert sitrep.ingest(db, manifest=folder / "manifest.tsv").ok
    return db


@pytest.fixture(scope="module")
def report_path(seeded) -> Path:
    out = seeded.parent / "report.html"
    summary = write_report(seeded, out)
    assert summary.events > 0 and summary.path == out
    return out


def chromium_dom(page: Path, profile: Path) -> str:
    """The DOM after the page's scripts ran, as headless Chromium serialises it; no network, fresh profile."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install -y chromium); "
                                             ".ci/run installs it")
def test_report_renders_in_chromium_with_map_timeline_figures_and_inert_markup(report_path, tmp_path):
    dom = chromium_dom(report_path, tmp_path / "profile")
    tree = lxml_html.fromstring(dom)
    assert tree.get("data-js") == "ready"  # our script ran: its CSP hash is right
    assert tree.xpath("//form[@id='filters']")[0].get("hidden") is None  # and it showed the filters
    # The map: markers by type and place names as text, drawn without any network.
    markers = tree.xpath("//section[@id='map']//svg//*[contains(@class, 'marker')]")
    assert len(markers) >= 5
    labels = [t.text_content() for t in tree.xpath("//section[@id='map']//svg//*[@class='place-label']")]
    assert "Aleppo" in labels
    # The timeline: bars for events per day, and the killed figures.
    assert len(tree.xpath("//svg[@id='timeline-chart']//*[@class='bar']")) >= 5
    assert tree.xpath("//svg[@id='killed-chart']//*[@class='range']")
    # Contested figures side by side, each group with its reconciliation rule.
    groups = tree.xpath("//section[@id='figures']/article[@class='figure-group']")
    assert groups
    assert all("low = lowest of" in g.xpath(".//p[@class='reconcile']")[0].text_content() for g in groups)
    # Every link from the events table lands on a quote that is there.
    ids = set(tree.xpath("//@id"))
    links = tree.xpath("//table[@id='events-table']//a[@class='cite']/@href")
    assert links and all(href[1:] in ids for href in links)
    # The planted markup is on the page as text, and none of it ran or became an element.
    text = tree.text_content()
    assert "<script>document.title='pwned'</script>" in text
    assert "onerror=\"document.body.setAttribute('data-pwned','yes')\"" in text
    assert PLANTED_OUTLET in text
    assert "pwned" not in tree.xpath("string(//title)")
    assert not tree.xpath("//*[@data-pwned]")
    assert not tree.xpath("//img")
    assert len(tree.xpath("//script")) == 1
    assert not tree.xpath("//a[starts-with(normalize-space(@href), 'javascript:')]")


def test_report_is_self_contained_with_a_strict_policy(report_path):
    page = report_path.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    (csp,) = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    for attribute in ("src", "href"):
        for value in tree.xpath(f"//@{attribute}"):
            assert value.startswith("#") or value.startswith("https://") or value.startswith("http://"), value
    assert not tree.xpath("//link | //iframe | //object | //embed | //img")
    assert "&lt;script&gt;document.title=" in page  # escaped, not dropped


@pytest.mark.parametrize("figures, expected, words", [
    # Three sources disagree: lowest, median of the best figures, highest.
    ([Range(2000, None, 9999), Range(10724, 10724, 10724), Range(50000, 50000, 50000)],
     Range(2000, 10724, 50000), "low = lowest of 3 reports"),
    # "more than 50" has no upper bound: it counts as 50.
    ([Range(50, 50, None), Range(15, 15, 15)], Range(15, 15, 50), "open-ended"),
    ([Range(82, 82, 82)], Range(82, 82, 82), "a single report"),
])
def test_report_reconcile_claims(figures, expected, words):
    claims = [Claim(f"c{i}", "d", f"Source {i}", f"source {i}", "killed", "civilians", value, False, "reported")
              for i, value in enumerate(figures)]
    result = reconcile_claims(claims)
    assert result.figure == expected
    assert words in result.rule


def test_report_reconcile_shows_denied_figures_without_counting_them():
    claims = [Claim("c1", "d", "Ministry", "the ministry", "remaining", "civilians", Range(200000, None, 999999),
                    True, "denied"),
              Claim("c2", "d", "UN", "the UN", "remaining", "civilians", Range(100000, 100000, 100000), False,
                    "reported")]
    result = reconcile_claims(claims)
    assert result.figure == Range(100000, 100000, 100000)
    assert "1 denied figure shown but not counted" in result.rule


@pytest.mark.parametrize("value, text", [
    (Range(47, 47, 47), "47"),
    (Range(50, 50, None), "50+"),
    (Range(200, None, 999), "200–999"),
    (Range(1200, 1200, 1500), "1,200–1,500"),
])
def test_report_format_range(value, text):
    assert format_range(value) == text


def test_report_empty_store(db_path):
    with Store(db_path) as store:
        page = render_report(store)
    assert "No event has a date." in page and "No event has a place with coordinates." in page


def test_report_lists_conflicts_when_the_store_has_them(seeded, tmp_path):
    db = tmp_path / "with-conflicts.db"
    shutil.copy(seeded, db)
    with Store(db) as store:
        claim_ids = [c.id for c in store.claims()][:2]
        # one conflict of the resolver's shape, with markup in its reason that must stay text
        store.conn.execute("DELETE FROM conflicts")
        store.conn.execute("INSERT INTO conflicts (id, kind, items, reason) VALUES ('k1', 'figures', ?, ?)",
                           (json.dumps(claim_ids), "<b>different figures</b> for the same count"))
        tree = lxml_html.fromstring(render_report(store))
    (item,) = tree.xpath("//ul[@class='conflicts']/li")
    assert "<b>different figures</b> for the same count" in item.text_content()
    assert [a.get("href") for a in item.xpath(".//a")] == [f"#c-{i}" for i in claim_ids]


def test_report_cli(seeded, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(seeded), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr.startswith(f"Wrote {out}: 6 documents")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_cli_unwritable_folder(seeded, tmp_path):
    out = tmp_path / "missing" / "r.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(seeded), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {out}: cannot write the report (No such file or directory). Check that the "
                             f"folder exists and that you may write there.\n")


def test_report_export_formats_registry():
    assert FORMATS[0] == "jsonl" and {"csv", "geojson"} <= set(FORMATS)


def test_report_jsonl_export_is_unchanged(seeded):
    via_registry, direct = io.StringIO(), io.StringIO()
    with Store(seeded) as store:
        write_export(store, via_registry, "jsonl")
        write_contract_jsonl(store, direct, "jsonl")
    assert via_registry.getvalue() == direct.getvalue() != ""


def test_report_csv_has_acled_columns(seeded):
    result = CliRunner().invoke(cli, ["export", "--db", str(seeded), "--format", "csv"])
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(ACLED_COLUMNS) == ACLED_HEADER
    assert list(rows[0]) == list(CSV_COLUMNS)
    with Store(seeded) as store:
        events = {e.id: e for e in store.events()}
    assert len(rows) == len(events)
    assert len({r["event_id_cnty"] for r in rows}) == len(rows)
    for row in rows:
        event = events[row["event_id_cnty"][3:]]
        assert row["event_id_cnty"][:3].isalpha() and row["event_id_cnty"][:3].isupper()
        assert row["fatalities"] == str(acled_fatalities(event.killed))
        assert row["time_precision"] in ("", "1", "2", "3") and row["geo_precision"] in ("", "1", "2", "3")
        if event.date:
            assert row["event_date"] == event.date.isoformat() and row["year"] == str(event.date.year)
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180
        assert row["grade"] == ""
    aleppo = [r for r in rows if r["location"] == "Aleppo" and r["country"] == "Syria"]
    assert aleppo and all(r["event_id_cnty"].startswith("SYR") for r in aleppo)


@pytest.mark.parametrize("killed, fatalities", [
    (None, 0),
    (Range(24, None, 99), 24),  # ACLED codes the most conservative figure
    (Range(None, None, 40), 40),
    (Range(82, 82, None), 82),
])
def test_report_acled_fatalities(killed, fatalities):
    assert acled_fatalities(killed) == fatalities


def validate_geojson(doc: dict) -> list[str]:
    """A small structural check of RFC 7946 as sitrep writes it; returns the problems found."""
    problems = []
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return ["not a FeatureCollection with a features list"]
    if "crs" in doc:
        problems.append("RFC 7946 removed the crs member")
    for i, feature in enumerate(doc["features"]):
        if feature.get("type") != "Feature" or not isinstance(feature.get("properties"), dict):
            problems.append(f"feature {i}: not a Feature with properties")
            continue
        if "geometry" not in feature:
            problems.append(f"feature {i}: no geometry member")
            continue
        geometry = feature["geometry"]
        if geometry is None:
            if not feature["properties"].get("no_geometry_reason"):
                problems.append(f"feature {i}: null geometry without a reason")
            continue
        coordinates = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coordinates, list) or len(coordinates) != 2:
            problems.append(f"feature {i}: not a Point [lon, lat]")
            continue
        lon, lat = coordinates
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in coordinates):
            problems.append(f"feature {i}: coordinates are not numbers")
        elif not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"feature {i}: coordinates out of range")
    return problems


def test_report_geojson_validates(seeded):
    result = CliRunner().invoke(cli, ["export", "--db", str(seeded), "--format", "geojson"])
    assert result.exit_code == 0 and result.stderr == ""
    doc = json.loads(result.stdout)
    assert validate_geojson(doc) == []
    with Store(seeded) as store:
        events = {e.id: e for e in store.events()}
    features = {f["id"]: f for f in doc["features"]}
    assert features.keys() == events.keys()
    located = [f for f in features.values() if f["geometry"]]
    assert located and any(f["geometry"] is None for f in features.values())
    for feature in located:
        loc = events[feature["id"]].location
        assert feature["geometry"]["coordinates"] == [round(loc.lon, 6), round(loc.lat, 6)]  # lon first


@pytest.mark.parametrize("doc, problem", [
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None, "properties": {}}]},
     "null geometry without a reason"),
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.2, 137.1]}, "properties": {}}]},
     "coordinates out of range"),  # lat and lon swapped
])
def test_report_geojson_validator_catches(doc, problem):
    assert any(problem in p for p in validate_geojson(doc))


def test_report_csv_from_a_store_with_an_event_without_place(tmp_path):
    """An event with no location still gets a row, an id with the unknown country, and 0 fatalities."""
    db = tmp_path / "one.db"
    text = "Talks resumed on Monday."
    doc = sitrep.Document(id="d1", source_key="one", text=text)
    event = sitrep.Event("e1", "d1", "Strategic developments", "Agreement", None, None, None,
                         evidence=(Evidence("d1", 0, len(text), text),))
    with Store(db) as store:
        store.add_analysis(sitrep.Analysis(doc, events=(event,)))
        out = io.StringIO()
        assert write_export(store, out, "csv") == 1
        (row,) = csv.DictReader(io.StringIO(out.getvalue()))
        geo = io.StringIO()
        write_export(store, geo, "geojson")
    assert row["event_id_cnty"] == "XXXe1" and row["fatalities"] == "0" and row["notes"] == text
    (feature,) = json.loads(geo.getvalue())["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["no_geometry_reason"] == "the text names no place for this event"


def test_report_unknown_format_is_refused(seeded):
    result = CliRunner().invoke(cli, ["export", "--db", str(seeded), "--format", "xlsx"])
    assert result.exit_code == 2 and "'xlsx' is not one of 'jsonl', 'csv', 'geojson'" in result.stderr
    with pytest.raises(sitrep.SitrepError, match="unknown export format 'xlsx'"), Store(seeded) as store:
        write_export(store, io.StringIO(), "xlsx")


def test_report_store_stays_a_plain_sqlite_file(seeded):
    """Rendering reads only: no table is added to the store."""
    with sqlite3.connect(seeded) as conn:
        before = conn.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    with Store(seeded) as store:
        render_report(store)
    with sqlite3.connect(seeded) as conn:
        assert conn.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == before
