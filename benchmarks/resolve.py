"""Time of cross-document resolution on synthetic events, and how it grows: 1k, 10k and 100k events.

    .venv/bin/python benchmarks/resolve.py [--sizes 1000 10000 100000] [--seed 7]

Generates a world of a few hundred places (provinces, towns, neighbourhoods with coordinates, in a
small gazetteer that knows each neighbourhood's town) and a year of days; then incidents, each
reported by one to three documents that disagree the way reports do (the town instead of the
neighbourhood, the next day, shelling for an air strike, another death toll), plus claims about
counts and a few denials. Everything is built before the clock starts; the clock measures
`sitrep.resolve.resolve_records`, the pure function `resolve(store)` runs, in memory.

Coreference is blocked by day and place, so the time should grow about linearly: the 100k/10k
ratio is printed and should stay under 15 (a quadratic pass would show about 100). Absolute times
depend on the machine; compare the ratio across runs.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

from sitrep.geo import Gazetteer, Place
from sitrep.model import Claim, Event, Evidence, Location, Range
from sitrep.resolve import resolve_records

PROVINCES = 8
TOWNS_PER_PROVINCE = 4
NEIGHBOURHOODS_PER_TOWN = 10  # 8 + 32 + 320 = 360 places
EVENTS_PER_DOCUMENT = 8
YEAR = [date(2016, 1, 1) + timedelta(days=n) for n in range(366)]
KINDS = [("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Battles", "Armed clash"), ("Battles", "Government regains territory"),
         ("Violence against civilians", "Attack"), ("Humanitarian", "Displacement"),
         ("Strategic developments", "Agreement")]
KIN = {"Air/drone strike": "Shelling/artillery/missile attack", "Shelling/artillery/missile attack": "Air/drone strike",
       "Armed clash": "Government regains territory", "Government regains territory": "Armed clash"}
SOURCES = ["Syrian Observatory for Human Rights", "Local Coordination Committees", "White Helmets", "United Nations",
           "OCHA", "Reuters", "Agence France-Presse", "Russian Ministry of Defence", "SANA", "activists", "residents",
           "Amaq", "Turkish Armed Forces", "UNICEF", "Al-Durar al-Shamiya"]
ACTORS = ["Syrian government forces", "Russian Air Force", "Syrian rebels", "Islamic State", "Civilians",
          "Turkish Armed Forces", "Hezbollah"]
SUBJECTS = ["civilians", "children", "rebels", "pro-government troops", "people"]
MEASURES = ["killed", "injured", "fled", "detained", "remaining"]
TEXT = "x" * 40


@dataclass(frozen=True)
class Report:
    id: str
    outlet: str
    published: date


def world(rng: random.Random) -> tuple[list[Place], list[Location]]:
    """Provinces, towns and neighbourhoods, as gazetteer places and as the locations events carry."""
    places, locations = [], []
    for p in range(PROVINCES):
        admin1 = f"Province {p}"
        plat, plon = 33 + p * 0.6, 36 + (p % 3) * 0.8
        places.append(Place(admin1, "province", "province", admin1=admin1, country="Testland", lat=plat, lon=plon))
        locations.append(Location(admin1, admin1, "Testland", plat, plon, "province", (admin1,)))
        for t in range(TOWNS_PER_PROVINCE):
            town = f"Town {p}-{t}"
            tlat, tlon = plat + rng.uniform(-0.25, 0.25), plon + rng.uniform(-0.25, 0.25)
            places.append(Place(town, "city", "town", admin1=admin1, country="Testland", lat=tlat, lon=tlon))
            locations.append(Location(town, admin1, "Testland", tlat, tlon, "town", (town,)))
            for n in range(NEIGHBOURHOODS_PER_TOWN):
                name = f"Quarter {p}-{t}-{n}"
                lat, lon = tlat + rng.uniform(-0.03, 0.03), tlon + rng.uniform(-0.03, 0.03)
                places.append(Place(name, "neighbourhood", "neighbourhood", parent=town, admin1=admin1,
                                    country="Testland", lat=lat, lon=lon))
                locations.append(Location(name, admin1, "Testland", lat, lon, "neighbourhood", (name,)))
    return places, locations


def synthetic(n_events: int, rng: random.Random, locations: list[Location]
              ) -> tuple[list[Event], list[Claim], list[Report]]:
    """About `n_events` events (incidents reported by one to three documents) and n/4 claims."""
    by_name = {loc.name: loc for loc in locations}
    fine = [loc for loc in locations if loc.precision != "province"]
    n_docs = max(3, n_events // EVENTS_PER_DOCUMENT)
    reports = [Report(f"d{d:06d}", rng.choice(SOURCES[5:7] + ["EA WorldView", "The Interpreter"]),
                      rng.choice(YEAR)) for d in range(n_docs)]
    events: list[Event] = []
    while len(events) < n_events:
        place, day = rng.choice(fine), rng.choice(YEAR)
        event_type, sub = rng.choice(KINDS)
        killed = rng.randint(0, 30) if event_type != "Strategic developments" else None
        undated = rng.random() < 0.05
        for document in rng.sample(reports, rng.choice((1, 1, 2, 2, 3))):
            where = place
            if place.precision == "neighbourhood" and rng.random() < 0.2:  # the report names only the town
                where = by_name["Town " + place.name.split()[1].rsplit("-", 1)[0]]
            when = None if undated else day + timedelta(days=rng.choice((0, 0, 0, 0, 0, 1, -1)))
            what = KIN.get(sub, sub) if rng.random() < 0.1 else sub
            figure = None if killed is None else Range(*(3 * [max(0, killed + rng.choice((0, 0, 0, 2, -2)))]))
            n = len(events)
            events.append(Event(f"e{n:07d}", document.id, event_type, what, when, None if undated else "day", where,
                                tuple(rng.sample(ACTORS, 2)), (), figure, None, (rng.choice(SOURCES),),
                                (Evidence(document.id, 0, len(TEXT), TEXT),)))
    claims = []
    for n in range(n_events // 4):
        document = rng.choice(reports)
        value = rng.choice((Range(50, 50, 50), Range(80, 80, 80), Range(200, None, 999), Range(12, 12, None)))
        claims.append(Claim(f"c{n:07d}", document.id, rng.choice(SOURCES), "someone", rng.choice(MEASURES),
                            rng.choice(SUBJECTS), value, value.best is None,
                            "denied" if rng.random() < 0.02 else "reported", rng.choice(YEAR),
                            rng.choice(fine).name if rng.random() < 0.7 else None, None,
                            (Evidence(document.id, 0, len(TEXT), TEXT),)))
    return events, claims, reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    places, locations = world(rng)
    gazetteer = Gazetteer(places)
    times = {}
    print(f"{len(places)} places over {len(YEAR)} days")
    for size in args.sizes:
        events, claims, reports = synthetic(size, rng, locations)
        start = time.perf_counter()
        resolution = resolve_records(events, claims, reports, gazetteer)
        times[size] = time.perf_counter() - start
        merged = sum(len(m.members) > 1 for m in resolution.events)
        print(f"{len(events):>7} events, {len(claims):>6} claims: {times[size]:7.2f} s  "
              f"({len(resolution.events)} merged events, {merged} from several reports; "
              f"{len(resolution.figure_groups)} figure groups; {len(resolution.conflicts)} conflicts)")
    if 10_000 in times and 100_000 in times:
        ratio = times[100_000] / times[10_000]
        print(f"100k/10k time ratio: {ratio:.1f} (linear is 10; must stay under 15)")
        return 0 if ratio < 15 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
