"""Inline SVG geometry for the report: the timeline (events per day by type, killed per day) and the map.

Pure functions from events to coordinates and labels; the template draws them. No basemap and no
library: an equirectangular projection fitted to the events' bounding box, markers by type, and
place names placed greedily so they do not overlap.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..model import Event, Range
from .figures import Reconciled, format_triple, lower_bound, upper_bound

# Marker colour and shape by event type: the Okabe–Ito palette (safe for colour-blind readers), and a
# distinct shape per type so the map also reads in grey.
TYPE_STYLES = {
    "battles": ("#D55E00", "circle"),
    "explosions/remote violence": ("#E69F00", "triangle"),
    "violence against civilians": ("#CC79A7", "diamond"),
    "protests": ("#56B4E9", "square"),
    "riots": ("#B8A800", "hexagon"),
    "strategic developments": ("#009E73", "square"),
    "humanitarian": ("#0072B2", "triangle-down"),
}
OTHER_STYLE = ("#777777", "pentagon")
# Rendering order of ACLED's types, then the extension, then anything else by name.
TYPE_ORDER = tuple(TYPE_STYLES)

MAP_WIDTH = 640
MAP_PAD = 36  # pixels round the projected points, so markers at the edge show whole
MAP_MAX_HEIGHT = 560
# Places farther than this from the events' median point are listed, not drawn: one event in
# New York would otherwise shrink a war in Syria to a dot. 1,500 km holds Syria and Iraq together
# (about 1,000 km across) with room to spare.
MAP_RADIUS_KM = 1500
# A detail panel is drawn when at least DETAIL_MIN_PLACES places lie within DETAIL_RADIUS_KM of one
# another on a map more than DETAIL_ZOOM times wider: a city's neighbourhoods on a country map.
DETAIL_RADIUS_KM = 15
DETAIL_MIN_PLACES = 3
DETAIL_ZOOM = 4
LABEL_FONT_PX = 11
LABEL_CHAR_PX = 6.1  # estimated mean advance of an 11 px sans-serif; checked by eye on the seed report's screenshot

CHART_WIDTH = 720
CHART_HEIGHT = 200
KILLED_HEIGHT = 150
CHART_LEFT = 40
CHART_TOP = 18  # room for the total written above the tallest bar
CHART_BOTTOM = 34
MAX_DAY_BINS = 62  # beyond two months of days, bins become weeks, then months


def type_style(event_type: str) -> tuple[str, str]:
    return TYPE_STYLES.get(event_type.casefold(), OTHER_STYLE)


def type_rank(event_type: str) -> tuple[int, str]:
    key = event_type.casefold()
    return (TYPE_ORDER.index(key) if key in TYPE_ORDER else len(TYPE_ORDER), key)


def shape_points(shape: str, x: float, y: float, r: float) -> str | None:
    """SVG polygon points for a marker shape; None for a circle."""
    sides, turn = {"triangle": (3, -90), "triangle-down": (3, 90), "square": (4, 45), "diamond": (4, 0),
                   "pentagon": (5, -90), "hexagon": (6, 0)}.get(shape, (0, 0))
    if not sides:
        return None
    scale = 1.25 if sides == 3 else 1.1  # equal visual weight to the circle
    return " ".join(f"{x + scale * r * math.cos(math.radians(turn + i * 360 / sides)):.1f},"
                    f"{y + scale * r * math.sin(math.radians(turn + i * 360 / sides)):.1f}" for i in range(sides))


# ---------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class Bin:
    start: date
    label: str
    counts: dict[str, int]
    killed: Reconciled | None


def time_bins(events: Sequence[Event], killed: dict[date, Reconciled]) -> tuple[str, list[Bin]]:
    """Days when the events span up to MAX_DAY_BINS days, else weeks (from Monday), else months."""
    days = sorted(e.date for e in events if e.date)
    if not days:
        return "day", []
    first, last = days[0], days[-1]
    if (last - first).days < MAX_DAY_BINS:
        unit, start_of = "day", (lambda d: d)
    elif (last - first).days < MAX_DAY_BINS * 7:
        unit, start_of = "week", (lambda d: d - timedelta(days=d.weekday()))
    else:
        unit, start_of = "month", (lambda d: d.replace(day=1))
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for e in events:
        if e.date:
            counts[start_of(e.date)][e.event_type] += 1
    killed_in: dict[date, list[Reconciled]] = defaultdict(list)
    for day, figure in killed.items():
        killed_in[start_of(day)].append(figure)
    bins, current = [], start_of(first)
    while current <= last:
        parts = killed_in.get(current, [])
        figure = None
        if parts:
            sums = [sum(getattr(p.figure, b) or 0 for p in parts) for b in ("low", "best", "high")]
            figure = Reconciled(Range(*sums), "; ".join(p.rule for p in parts))
        label = (f"{current.day} {current:%b}" if unit == "day" else f"w/c {current.day} {current:%b}"
                 if unit == "week" else f"{current:%b %Y}")
        bins.append(Bin(current, label, dict(counts.get(current, {})), figure))
        current = (current + timedelta(days=1) if unit == "day" else current + timedelta(days=7) if unit == "week"
                   else (current.replace(day=28) + timedelta(days=4)).replace(day=1))
    return unit, bins


def timeline_chart(bins: list[Bin], types: list[str]) -> dict[str, Any]:
    """Geometry of the stacked bars (events per bin by type) and the killed range plot."""
    if not bins:
        return {}
    plot_w = CHART_WIDTH - CHART_LEFT - 10
    plot_h = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    step = plot_w / len(bins)
    bar_w = max(step * 0.72, 1.0)
    top = max(sum(b.counts.values()) for b in bins) or 1
    ticks = _ticks(top)
    scale = plot_h / ticks[-1]
    label_every = max(1, math.ceil(46 / step))
    bars, labels = [], []
    for i, b in enumerate(bins):
        x = CHART_LEFT + i * step + (step - bar_w) / 2
        y = CHART_TOP + plot_h
        for kind in types:
            n = b.counts.get(kind, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(h, 1),
                         "fill": type_style(kind)[0], "title": f"{b.label}: {n} × {kind}"})
        total = sum(b.counts.values())
        if total:
            labels.append({"x": round(x + bar_w / 2, 1), "y": round(y - 3, 1), "text": str(total)})
    xlabels = [{"x": round(CHART_LEFT + i * step + step / 2, 1), "text": b.label}
               for i, b in enumerate(bins) if i % label_every == 0]
    grid = [{"y": round(CHART_TOP + plot_h - t * scale, 1), "text": str(t)} for t in ticks]
    # Killed: a line from low to high, a dot at best, the figures written above.
    figures = [b.killed.figure for b in bins if b.killed]
    k_top = max((upper_bound(f) or 0 for f in figures), default=0) or 1
    k_ticks = _ticks(k_top)
    k_plot_h = KILLED_HEIGHT - CHART_BOTTOM - 16
    k_scale = k_plot_h / k_ticks[-1]
    ranges = []
    for i, b in enumerate(bins):
        if not b.killed:
            continue
        f = b.killed.figure
        cx = CHART_LEFT + i * step + step / 2
        lo, hi = lower_bound(f) or 0, upper_bound(f) or 0
        best = f.best if f.best is not None else lo
        ranges.append({"x": round(cx, 1), "y1": round(16 + k_plot_h - lo * k_scale, 1),
                       "y2": round(16 + k_plot_h - hi * k_scale, 1), "yb": round(16 + k_plot_h - best * k_scale, 1),
                       "text": format_triple(f), "title": f"{b.label}: killed {format_triple(f)} ({b.killed.rule})"})
    k_grid = [{"y": round(16 + k_plot_h - t * k_scale, 1), "text": f"{t:,}"} for t in k_ticks]
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "killed_height": KILLED_HEIGHT, "left": CHART_LEFT,
            "right": CHART_WIDTH - 10, "base": CHART_TOP + plot_h, "k_base": 16 + k_plot_h, "bars": bars,
            "totals": labels, "xlabels": xlabels, "grid": grid, "ranges": ranges, "k_grid": k_grid,
            "k_label_every": label_every}


def _ticks(top: int) -> list[int]:
    """0 and three or four round steps reaching at least `top`."""
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(int(math.ceil(step)), 1)
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


# ---------------------------------------------------------------- map


@dataclass(slots=True)
class Place:
    lat: float
    lon: float
    names: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    anchors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0]

    @property
    def events(self) -> int:
        return sum(self.types.values())


def collect_places(events: Iterable[Event]) -> tuple[list[Place], list[tuple[str, int]]]:
    """Places with coordinates (events at the same point share one), and names with no coordinates."""
    places: dict[tuple[float, float], Place] = {}
    unplaced: Counter[str] = Counter()
    for e in events:
        loc = e.location
        if loc is None:
            continue
        if loc.lat is None or loc.lon is None or not (-90 <= loc.lat <= 90 and -180 <= loc.lon <= 180):
            unplaced[loc.name] += 1
            continue
        place = places.setdefault((round(loc.lat, 4), round(loc.lon, 4)), Place(loc.lat, loc.lon))
        place.names[loc.name] += 1
        place.types[e.event_type] += 1
        place.anchors.append(f"e-{e.id}")
    ordered = sorted(places.values(), key=lambda p: (-p.events, p.name))
    return ordered, sorted(unplaced.items(), key=lambda x: (-x[1], x[0]))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def map_views(places: list[Place]) -> tuple[list[dict[str, Any]], list[Place]]:
    """The overview panel and, where a city's places crowd together, a detail panel; and the outliers."""
    if not places:
        return [], []
    weights = [p.events for p in places]
    centre = (_weighted_median([p.lat for p in places], weights), _weighted_median([p.lon for p in places], weights))
    inside = [p for p in places if distance_km(centre, (p.lat, p.lon)) <= MAP_RADIUS_KM]
    outside = [p for p in places if p not in inside]
    cluster = _crowded(inside)
    views = []
    overview = _project(inside, "Overview", hidden_labels=set(map(id, cluster)) if cluster else set())
    if cluster:
        detail = _project(cluster, f"Detail: {max(cluster, key=lambda p: p.events).name}", hidden_labels=set())
        box = _box_of(cluster, overview)
        overview["detail_box"] = box
        views.extend([overview, detail])
    else:
        views.append(overview)
    return views, outside


def _crowded(places: list[Place]) -> list[Place]:
    """The largest group of places within DETAIL_RADIUS_KM of one of them, if the map is much wider."""
    if len(places) < DETAIL_MIN_PLACES:
        return []
    best: list[Place] = []
    for p in places:
        near = [q for q in places if distance_km((p.lat, p.lon), (q.lat, q.lon)) <= DETAIL_RADIUS_KM]
        if len(near) > len(best):
            best = near
    if len(best) < DETAIL_MIN_PLACES:
        return []
    span = max(distance_km((a.lat, a.lon), (b.lat, b.lon)) for a in places for b in places)
    return best if span > DETAIL_ZOOM * 2 * DETAIL_RADIUS_KM else []


def _weighted_median(values: list[float], weights: list[int]) -> float:
    pairs = sorted(zip(values, weights))
    half, seen = sum(weights) / 2, 0
    for value, weight in pairs:
        seen += weight
        if seen >= half:
            return value
    return pairs[-1][0]


def _project(places: list[Place], title: str, hidden_labels: set[int]) -> dict[str, Any]:
    """Equirectangular projection, x scaled by cos(mid latitude), fitted to the places' bounding box."""
    lat_mid = (max(p.lat for p in places) + min(p.lat for p in places)) / 2
    kx = math.cos(math.radians(lat_mid))
    xs = [p.lon * kx for p in places]
    ys = [-p.lat for p in places]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(x1 - x0, 1e-3), max(y1 - y0, 1e-3)
    inner_w = MAP_WIDTH - 2 * MAP_PAD - 120  # room for labels on the right of the easternmost place
    scale = min(inner_w / span_x, (MAP_MAX_HEIGHT - 2 * MAP_PAD) / span_y)
    width = MAP_WIDTH
    height = round(min(MAP_MAX_HEIGHT, max(span_y * scale + 2 * MAP_PAD, 160)))
    off_x = MAP_PAD + 40 + (inner_w - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return off_x + (lon * kx - x0) * scale, off_y + (-lat - y0) * scale

    markers, occupied = [], []
    for place in places:
        px, py = xy(place.lat, place.lon)
        kinds = sorted(place.types, key=type_rank)
        ring = 0 if len(kinds) == 1 else 6 + len(kinds)
        for i, kind in enumerate(kinds):
            angle = 2 * math.pi * i / len(kinds) - math.pi / 2
            mx, my = px + ring * math.cos(angle), py + ring * math.sin(angle)
            r = 3.5 + 1.6 * math.sqrt(place.types[kind])
            colour, shape = type_style(kind)
            n = place.types[kind]
            markers.append({"x": round(mx, 1), "y": round(my, 1), "r": round(r, 1), "fill": colour,
                            "points": shape_points(shape, mx, my, r), "type": kind,
                            "title": f"{place.name}: {n} event{'s' if n > 1 else ''} of type {kind}"
                                     + _other_names(place)})
            occupied.append((mx - r, my - r, mx + r, my + r))
    labels, crowded = _place_labels(places, xy, occupied, hidden_labels, width, height)
    grid = _graticule(places, xy, width, height)
    return {"title": title, "width": width, "height": height, "markers": markers, "labels": labels,
            "unlabelled": crowded, "graticule": grid, "xy": xy, "detail_box": None}


def _other_names(place: Place) -> str:
    others = [n for n in place.names if n != place.name]
    return f" (also written {', '.join(others)})" if others else ""


def _place_labels(places: list[Place], xy: Callable[[float, float], tuple[float, float]],
                  occupied: list[tuple[float, float, float, float]], hidden: set[int], width: int,
                  height: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Greedy placement, busiest place first: right, left, above, below; a name that fits nowhere is listed."""
    labels, unlabelled, boxes = [], [], list(occupied)
    for place in places:
        if id(place) in hidden:
            continue
        px, py = xy(place.lat, place.lon)
        text = place.name
        w, h = LABEL_CHAR_PX * len(text), LABEL_FONT_PX + 2
        gap = 8 + (6 + len(place.types) if len(place.types) > 1 else 0)
        candidates = [(px + gap, py + 4, "start"), (px - gap, py + 4, "end"), (px, py - gap - 2, "middle"),
                      (px, py + gap + h - 2, "middle"), (px + gap, py - gap, "start"), (px - gap, py - gap, "end"),
                      (px + gap, py + gap + 6, "start"), (px - gap, py + gap + 6, "end")]
        for tx, ty, anchor in candidates:
            left = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
            box = (left, ty - h + 2, left + w, ty + 3)
            if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
                continue
            if any(_overlaps(box, other) for other in boxes):
                continue
            boxes.append(box)
            labels.append({"x": round(tx, 1), "y": round(ty, 1), "anchor": anchor, "text": text})
            break
        else:
            unlabelled.append(text)
    return labels, unlabelled


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_of(places: list[Place], view: dict[str, Any]) -> dict[str, float]:
    points = [view["xy"](p.lat, p.lon) for p in places]
    x0, y0 = min(p[0] for p in points) - 12, min(p[1] for p in points) - 12
    x1, y1 = max(p[0] for p in points) + 12, max(p[1] for p in points) + 12
    return {"x": round(x0, 1), "y": round(y0, 1), "w": round(x1 - x0, 1), "h": round(y1 - y0, 1),
            "label_x": round(x0, 1), "label_y": round(y1 + 12, 1)}


def _graticule(places: list[Place], xy: Callable[[float, float], tuple[float, float]], width: int,
               height: int) -> list[dict[str, Any]]:
    """Faint lines at round degrees (or tenths of a degree up close), so distances can be judged."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.01)
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 45) if span / s <= 6)
    lines = []
    # Extend one margin's worth beyond the places, as the panel does.
    lat0, lat1 = min(lats) - span, max(lats) + span
    lon0, lon1 = min(lons) - span, max(lons) + span
    v = math.floor(lon0 / step) * step
    while v <= lon1:
        x, _ = xy(lats[0], v)
        if 0 <= x <= width:
            lines.append({"x1": round(x, 1), "y1": 0, "x2": round(x, 1), "y2": height, "text": _degrees(v, "E", "W"),
                          "tx": round(x + 2, 1), "ty": height - 3})
        v += step
    v = math.floor(lat0 / step) * step
    while v <= lat1:
        _, y = xy(v, lons[0])
        if 0 <= y <= height:
            lines.append({"x1": 0, "y1": round(y, 1), "x2": width, "y2": round(y, 1), "text": _degrees(v, "N", "S"),
                          "tx": 2, "ty": round(y - 2, 1)})
        v += step
    return lines


def _degrees(value: float, positive: str, negative: str) -> str:
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    return f"{text}°{positive if value >= 0 else negative}"

