"""Event coreference: which events, in one report or in many, are one real-world occurrence.

Two events from different documents are the same occurrence when they have the same ACLED event
type and a compatible sub-type, the same place or one inside the other (neighbourhood in city in
province in country), and days at most one apart (or overlapping ranges, for week and month
precision), with at most one of these three looser than exact: shelling the next day in the city
that contains the reported air strike is another event. Undated events meet only at the same place
with the same sub-type and a source in common. Within one document the author's own days and
places already tell events apart, so only exact repeats (same sub-type, place and day) fold.

Each event is linked, in every other document, to its single best candidate, and only when that
choice is mutual; a coarse report whose best candidates are different finer places links through
none of them: "air strikes on Aleppo" in one report does not swallow the strikes others place in
its neighbourhoods. Links are then applied strongest first, and a link
that would put two events of one document in a cluster, or join places that do not fit (Kallaseh
and Fardos through "Aleppo"), is refused. Candidates come from an index by event type, day and
place (with its parents) or grid cell, so the work grows with the number of events, not its square.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from ..geo import PRECISIONS, Gazetteer, fold
from ..model import Event, Location
from .names import source_key

# ACLED sub-types that reports of one occurrence often disagree on: a "bombardment" is an air strike to
# one outlet and shelling to another; a fight that ends with a capture is a clash or a territory change;
# people leaving a besieged district are evacuated to one outlet and displaced to another.
COMPATIBLE_SUB_TYPES: tuple[frozenset[str], ...] = (
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}),
    frozenset({"Evacuation", "Displacement"}),
)
DAY_TOLERANCE = 1  # across reports: "last night" and time zones move a day
# Two gazetteer entries this close at one precision are one place spelled twice. Tight for neighbourhoods:
# the centres of Aleppo's Kallaseh and al-Firdous are 0.8 km apart.
SAME_PLACE_KM = {"neighbourhood": 0.25, "town": 1.0}
# Cell sizes of the proximity index, by precision: a little wider than SAME_PLACE_KM (0.005 degrees of
# latitude is 0.56 km), so a place's namesake within reach is in its cell or the next one.
GRID_DEGREES = {"neighbourhood": 0.005, "town": 0.01}
MAX_SPAN_DAYS = 31  # a vaguer date than a month cannot place an event on a day
_RANK = {p: i for i, p in enumerate(PRECISIONS)}

Score = tuple[int, int, int]  # (place, sub-type, day): higher is closer; compared in that order
ParentOf = Callable[[Location], str | None]


@dataclass(frozen=True, slots=True)
class PlaceKey:
    """Where an event is, as keys that meet across spellings: its own and those of the places containing it."""

    key: str
    rank: int  # index in PRECISIONS: 0 neighbourhood … 4 country
    ancestors: tuple[str, ...]
    lat: float | None
    lon: float | None


def parents_from(gazetteer: Gazetteer | None) -> ParentOf:
    """The city a neighbourhood is part of, from the gazetteer (`Place.parent`); None without one."""
    if gazetteer is None:
        return lambda location: None

    @cache
    def parent(name: str, admin1: str | None) -> str | None:
        for place in gazetteer.candidates(name):
            if place.precision == "neighbourhood" and place.name == name and admin1 in (None, place.admin1):
                return place.parent
        return None

    def parent_of(location: Location) -> str | None:
        if location.precision != "neighbourhood":
            return None
        return parent(location.aliases[0] if location.aliases else location.name, location.admin1)

    return parent_of


def place_key(location: Location | None, parent_of: ParentOf) -> PlaceKey | None:
    """Keys from the gazetteer's preferred name (the first alias), so Fardos and Firdous meet."""
    if location is None:
        return None
    precision = location.precision if location.precision in _RANK else "town"
    name = location.aliases[0] if location.aliases else location.name
    admin1, country = fold(location.admin1 or ""), fold(location.country or "")
    province = f"province:{country}:{admin1}" if admin1 else None
    nation = f"country:{country}" if country else None
    if precision == "country":
        key, ancestors = f"country:{fold(location.country or name)}", ()
    elif precision == "province" and province:
        key, ancestors = province, (nation,)
    else:
        key = f"{precision}:{country}:{admin1}:{fold(name)}"
        parent = parent_of(location)
        city = f"town:{country}:{admin1}:{fold(parent)}" if parent else None
        ancestors = (city, province, nation)
    return PlaceKey(key, _RANK[precision], tuple(a for a in ancestors if a and a != key), location.lat, location.lon)


def day_span(event: Event) -> tuple[int, int] | None:
    """The days (as ordinals) the event may have happened on: one day, a week from its date, or its month."""
    if event.date is None:
        return None
    start = event.date.toordinal()
    if event.date_precision == "week":
        return start, start + 6
    if event.date_precision == "month":
        following = date(event.date.year + event.date.month // 12, event.date.month % 12 + 1, 1)
        return start, (following - timedelta(days=1)).toordinal()
    return start, start


@dataclass(slots=True)
class _Node:
    """The events one document reports of one occurrence (usually one event)."""

    events: list[Event]
    document: str
    event_type: str
    sub_event_type: str
    span: tuple[int, int] | None
    place: PlaceKey | None
    sources: frozenset[str]


def _sub_score(a: str, b: str) -> int:
    if a == b:
        return 2
    return 1 if any(a in group and b in group for group in COMPATIBLE_SUB_TYPES) else 0


def _km(a: PlaceKey, b: PlaceKey) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def _place_score(a: PlaceKey, b: PlaceKey) -> int:
    if a.key == b.key:
        return 2
    if a.rank == b.rank and None not in (a.lat, b.lat) and _km(a, b) <= SAME_PLACE_KM.get(PRECISIONS[a.rank], 0):
        return 2
    return 1 if a.key in b.ancestors or b.key in a.ancestors else 0


def pair_score(a: _Node, b: _Node) -> Score | None:
    """How close two reports from different documents are, or None if they cannot be one occurrence."""
    if a.event_type != b.event_type or a.place is None or b.place is None:
        return None
    sub = _sub_score(a.sub_event_type, b.sub_event_type)
    place = _place_score(a.place, b.place)
    if not sub or not place:
        return None
    if a.span is None or b.span is None:
        # undated: only the same place, the same sub-type and a source in common
        if a.span is not None or b.span is not None or place < 2 or sub < 2 or not a.sources & b.sources:
            return None
        return place, sub, 0
    gap = max(a.span[0], b.span[0]) - min(a.span[1], b.span[1])  # <= 0 when the ranges overlap
    vague = a.span[0] != a.span[1] or b.span[0] != b.span[1]
    if gap > (0 if vague else DAY_TOLERANCE):  # a week or a month is already wide: it must overlap
        return None
    exact = a.span == b.span and a.span[0] == a.span[1]
    day = 2 if exact else (1 if gap <= 0 else 0)
    if (place < 2) + (sub < 2) + (day == 0) > 1:  # one looser match at most: wider place, kin sub-type, next day
        return None
    return place, sub, day


def cluster_events(events: Sequence[Event], *, outlets: Mapping[str, str | None] | None = None,
                   parent_of: ParentOf | None = None) -> list[list[Event]]:
    """Group events that report one occurrence; clusters in the order of their first member.

    `outlets` (document id -> outlet) stands in for the source of events told in the outlet's own voice;
    `parent_of` (see `parents_from(gazetteer)`) gives the city each neighbourhood is in, without which
    a neighbourhood and its city do not meet.

    >>> [len(c) for c in cluster_events([kallaseh_in_a, kallaseh_in_b, fardos_in_b])]  # doctest: +SKIP
    [2, 1]
    """
    outlets = outlets or {}
    position = {event.id: n for n, event in enumerate(events)}
    nodes = _nodes(events, outlets, parent_of or parents_from(None))
    scores: dict[tuple[int, int], Score | None] = {}

    def score(i: int, j: int) -> Score | None:
        pair = (i, j) if i < j else (j, i)
        if pair not in scores:
            scores[pair] = pair_score(nodes[pair[0]], nodes[pair[1]])
        return scores[pair]

    # each node's single best candidate in every other document (None when two tie)
    best: list[dict[str, tuple[Score, int | None]]] = [{} for _ in nodes]
    for i, j in _candidates(nodes):
        s = score(i, j)
        if s is None:
            continue
        for a, b in ((i, j), (j, i)):
            doc = nodes[b].document
            held = best[a].get(doc)
            if held is None or s > held[0]:
                best[a][doc] = (s, b)
            elif s == held[0] and held[1] != b:
                best[a][doc] = (s, None)
    # a coarse report whose best candidates are different finer places (the city, against two of its quarters
    # in two other reports) could be any of them: it links to none through containment
    for a, per_doc in enumerate(best):
        finer = {nodes[j].place.key for s, j in per_doc.values()
                 if j is not None and s[0] == 1 and nodes[j].place.rank < nodes[a].place.rank}
        if len(finer) > 1:
            for doc, (s, j) in list(per_doc.items()):
                if j is not None and s[0] == 1 and nodes[j].place.rank < nodes[a].place.rank:
                    per_doc[doc] = (s, None)
    links = sorted({(s, min(i, j), max(i, j)) for i, per_doc in enumerate(best) for s, j in per_doc.values()
                    if j is not None and best[j].get(nodes[i].document, (None, None))[1] == i},
                   key=lambda link: (tuple(-x for x in link[0]),
                                     sorted((_order_key(nodes[link[1]]), _order_key(nodes[link[2]])))))
    root = list(range(len(nodes)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for _, i, j in links:
        a, b = find(i), find(j)
        if a == b:
            continue
        if {nodes[k].document for k in members[a]} & {nodes[k].document for k in members[b]}:
            continue
        if any(score(x, y) is None for x in members[a] for y in members[b]):
            continue
        root[b] = a
        members[a].extend(members.pop(b))
    clusters = [sorted((e for k in group for e in nodes[k].events), key=lambda e: position[e.id])
                for group in members.values()]
    return sorted(clusters, key=lambda c: position[c[0].id])


def _order_key(node: _Node) -> str:
    """Ties between links break on content (the smallest event id), never on ingest order."""
    return min(e.id for e in node.events)


def _nodes(events: Sequence[Event], outlets: Mapping[str, str | None], parent_of: ParentOf) -> list[_Node]:
    """One node per document and occurrence: exact repeats in one document (same sub-type, place, day) fold."""
    nodes: list[_Node] = []
    seen: dict[tuple, int] = {}
    places: dict[Location | None, PlaceKey | None] = {}
    for event in events:
        if event.location not in places:
            places[event.location] = place_key(event.location, parent_of)
        place = places[event.location]
        span = day_span(event)
        sources = frozenset(source_key(s) for s in event.sources) or frozenset(
            source_key(o) for o in (outlets.get(event.document),) if o)
        repeat = (event.document, event.event_type, event.sub_event_type, place.key if place else event.id,
                  span if span is None or span[0] == span[1] else event.id)
        if repeat in seen:
            node = nodes[seen[repeat]]
            node.events.append(event)
            node.sources |= sources
            continue
        seen[repeat] = len(nodes)
        nodes.append(_Node([event], event.document, event.event_type, event.sub_event_type, span,
                           place, sources))
    return nodes


def _candidates(nodes: list[_Node]) -> set[tuple[int, int]]:
    """Pairs of nodes from different documents worth scoring, found through three indexes (in no
    particular order: the best-candidate pass gives the same result in any)."""
    by_place: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    by_cell: dict[tuple[str, int, int, int], list[int]] = defaultdict(list)
    undated: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        if node.place is None:
            continue
        if node.span is None:
            undated[(node.event_type, node.sub_event_type, node.place.key)].append(i)
            continue
        if node.span[1] - node.span[0] >= MAX_SPAN_DAYS:
            continue
        for day in range(node.span[0], node.span[1] + 1):
            by_place[(node.event_type, node.place.key, day)].append(i)
            cell = _cell(node.place)
            if cell is not None:
                by_cell[(node.event_type, *cell, day)].append(i)
    pairs: set[tuple[int, int]] = set()
    for i, node in enumerate(nodes):
        if node.place is None or node.span is None or node.span[1] - node.span[0] >= MAX_SPAN_DAYS:
            continue
        keys = (node.place.key, *node.place.ancestors)
        cell = _cell(node.place)
        for day in range(node.span[0] - DAY_TOLERANCE, node.span[1] + DAY_TOLERANCE + 1):
            found = [j for key in keys for j in by_place.get((node.event_type, key, day), ())]
            if cell is not None:
                rank, y, x = cell
                found += [j for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                          for j in by_cell.get((node.event_type, rank, y + dy, x + dx, day), ())]
            pairs.update((min(i, j), max(i, j)) for j in found if nodes[j].document != node.document)
    for group in undated.values():
        pairs.update((i, j) for n, i in enumerate(group) for j in group[n + 1:]
                     if nodes[i].document != nodes[j].document)
    return pairs


def _cell(place: PlaceKey) -> tuple[int, int, int] | None:
    size = GRID_DEGREES.get(PRECISIONS[place.rank])
    if size is None or place.lat is None:
        return None
    return place.rank, math.floor(place.lat / size), math.floor(place.lon / size)
