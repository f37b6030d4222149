"""The situation report: one self-contained HTML file that opens offline, by double-click.

Sections: a headline (period, documents, outlets, events, killed by day), a timeline (events per
day by type and the day's killed figures, inline SVG), a map (inline SVG: events projected to their
bounding box, markers by type, place names as text, no basemap), the contested figures side by side
with a reconciliation line, conflicts (when the store has a `conflicts` table), an events table
(filter and sort with a little vanilla JS, complete without it) and the quotes every row links to.

Every string from an article goes through Jinja2's autoescaping, and a Content-Security-Policy
allows only this page's own script and style (by hash): no external load, no injected handler.
Figures are grouped and reconciled in `figures`, SVG geometry comes from `charts`, and the page
is `templates/report.html.j2` with `static/report.css` and `static/report.js` inlined.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from ..errors import SitrepError
from ..model import Event, Evidence
from ..store import Store
from .charts import collect_places, map_views, shape_points, time_bins, timeline_chart, type_rank, type_style
from .figures import (NOT_COUNTED, format_day, format_range, format_triple, group_figures, killed_by_day,
                      lower_bound)

T = TypeVar("T")
Progress = Callable[[Iterable[T], int], Iterable[T]]

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
REPORT_MODE = 0o644  # mkstemp's 0600 would keep a report meant for sharing from others on the machine


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a written report holds, for the end-of-run message."""

    path: Path
    documents: int
    events: int
    claims: int
    contested: int

    def describe(self) -> str:
        return (f"Wrote {self.path}: {self.documents} documents, {self.events} events, {self.claims} figures "
                f"({self.contested} groups contested by two or more sources).")



# ---------------------------------------------------------------- quotes, conflicts, the page


@dataclass(slots=True)
class Quote:
    anchor: str
    evidence: Evidence
    supports: list[dict[str, str]] = field(default_factory=list)


def quote_anchor(e: Evidence) -> str:
    return f"q-{e.document[:16]}-{e.start}-{e.end}"


def read_conflicts(store: Store) -> list[dict[str, Any]] | None:
    """The store's `conflicts` rows as dicts, or None when the store has no such table (before the resolver)."""
    conn = store.conn
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'conflicts'").fetchone():
        return None
    cursor = conn.execute("SELECT * FROM conflicts")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]


def conflict_items(row: dict[str, Any]) -> list[str]:
    """Record ids a conflict names: an `items` JSON list (the contract's shape) or `*_id`/`item*` columns."""
    items = row.get("items")
    if isinstance(items, str):
        try:
            parsed = json.loads(items)
        except ValueError:
            parsed = [i.strip() for i in items.split(",")]
        if isinstance(parsed, list):
            return [str(i) for i in parsed]
    return [str(v) for k, v in row.items() if v is not None and (k.endswith("_id") or k.startswith("item"))
            and k != "id"]


def build_context(store: Store, progress: Progress[Event] | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """Everything the template shows, computed from the store; no strings escaped yet (Jinja2 does that)."""
    documents = {d.id: d for d in store.documents()}
    all_events = list(store.events())
    events: list[Event] = list(progress(all_events, len(all_events)) if progress else all_events)
    events.sort(key=lambda e: (e.date is None, e.date or date.min, type_rank(e.event_type)))
    claims = list(store.claims())
    groups = group_figures(claims)
    killed = killed_by_day(events)
    types = sorted({e.event_type for e in events}, key=type_rank)
    unit, bins = time_bins(events, killed)
    places, no_coordinates = collect_places(events)
    views, outside = map_views(places)
    for view in views:
        view.pop("xy")

    quotes: dict[tuple[str, int, int], Quote] = {}

    def cite(evidence: tuple[Evidence, ...], kind: str, anchor: str, label: str) -> list[dict[str, str]]:
        links = []
        for i, e in enumerate(evidence, 1):
            quote = quotes.setdefault((e.document, e.start, e.end), Quote(quote_anchor(e), e))
            quote.supports.append({"anchor": anchor, "label": label, "kind": kind})
            links.append({"anchor": quote.anchor, "n": str(i)})
        return links

    rows = []
    for e in events:
        loc = e.location
        doc = documents.get(e.document)
        place = loc.name if loc else ""
        rows.append({
            "anchor": f"e-{e.id}", "id": e.id, "date": e.date.isoformat() if e.date else "",
            "date_text": format_day(e.date) + (f" ({e.date_precision})" if e.date and e.date_precision
                                               not in (None, "day") else ""),
            "type": e.event_type, "sub_type": e.sub_event_type, "colour": type_style(e.event_type)[0],
            "place": place, "admin1": loc.admin1 if loc and loc.admin1 and loc.admin1 != place else "",
            "has_coordinates": bool(loc and loc.lat is not None and loc.lon is not None),
            "actors": ", ".join(e.actors), "killed": format_range(e.killed), "injured": format_range(e.injured),
            "killed_sort": lower_bound(e.killed) if e.killed else -1,
            "sources": ", ".join(e.sources), "outlet": (doc.outlet if doc else None) or "",
            "quotes": cite(e.evidence, "event", f"e-{e.id}",
                           f"{e.sub_event_type} at {place or 'no place'}, {format_day(e.date)}"),
        })
    figure_groups = []
    for group in groups:
        items = []
        for c in group.claims:
            items.append({"anchor": f"c-{c.id}", "claimant": c.claimant, "claimant_raw": c.claimant_raw,
                          "modality": c.modality, "date": format_day(c.date) if c.date else "",
                          "value": format_range(c.value) + (" (vague)" if c.is_vague else ""),
                          "counted": c.modality not in NOT_COUNTED,
                          "text": " ".join(c.evidence[0].text.split()) if c.evidence else "",
                          "outlet": (documents[c.document].outlet if c.document in documents else None) or "",
                          "quotes": cite(c.evidence, "claim", f"c-{c.id}",
                                         f"{c.claimant}: {c.measure} {format_range(c.value)} {c.subject or ''}")})
        figure_groups.append({"measure": group.measure, "subject": group.subject or "", "place": group.place or "",
                              "claims": items, "sources": group.sources, "contested": group.is_contested,
                              "figure": format_triple(group.reconciled.figure) if group.reconciled else "",
                              "rule": group.reconciled.rule if group.reconciled else ""})
    conflicts = read_conflicts(store)
    known = {f"e-{e.id}" for e in events} | {f"c-{c.id}" for c in claims}
    conflict_rows = None
    if conflicts is not None:
        conflict_rows = []
        for row in conflicts:
            ids = conflict_items(row)
            links = [{"id": i, "anchor": next((a for a in (f"c-{i}", f"e-{i}") if a in known), "")} for i in ids]
            extra = {k: v for k, v in row.items() if k not in ("items", "reason") and v is not None
                     and not (k.endswith("_id") or k.startswith("item"))}
            conflict_rows.append({"reason": row.get("reason") or "", "records": links,
                                  "extra": [(k, str(v)) for k, v in extra.items()]})

    by_document: dict[str, list[Quote]] = defaultdict(list)
    for q in sorted(quotes.values(), key=lambda q: q.evidence.start):
        by_document[q.evidence.document].append(q)
    sources = [{"anchor": f"d-{doc.id[:16]}", "title": doc.title or doc.path or doc.url or doc.id,
                "outlet": doc.outlet or "outlet unknown", "published": format_day(doc.published) if doc.published
                else "", "url": doc.url if _is_web_url(doc.url) else "", "path": doc.path or "",
                "quotes": [{"anchor": q.anchor, "text": q.evidence.text, "start": q.evidence.start,
                            "end": q.evidence.end, "supports": q.supports} for q in by_document.get(doc.id, [])]}
               for doc in documents.values()]

    dated = sorted(e.date for e in events if e.date)
    published = sorted(d.published for d in documents.values() if d.published)
    outlets = Counter(d.outlet or "outlet unknown" for d in documents.values())
    return {
        "generated": (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC"),
        "period": (format_day(dated[0]), format_day(dated[-1])) if dated else None,
        "published": (format_day(published[0]), format_day(published[-1])) if published else None,
        "documents": len(documents), "outlets": sorted(outlets.items()), "events": len(events),
        "undated": sum(1 for e in events if e.date is None), "claims": sum(len(g.claims) for g in groups),
        "types": [{"name": t, "colour": type_style(t)[0], "shape": type_style(t)[1],
                   "swatch": shape_points(type_style(t)[1], 8, 8, 5), "count": sum(1 for e in events
                                                                                   if e.event_type == t)}
                  for t in types],
        "killed_days": [{"day": format_day(d), "figure": format_triple(k.figure), "rule": k.rule}
                        for d, k in killed.items()],
        "unit": unit, "bins": [{"label": b.label, "total": sum(b.counts.values()),
                                "counts": ", ".join(f"{n} {t}" for t, n in sorted(b.counts.items(),
                                                                                  key=lambda x: type_rank(x[0]))),
                                "killed": format_triple(b.killed.figure) if b.killed else ""}
                               for b in bins if b.counts or b.killed],
        "chart": timeline_chart(bins, types), "maps": views,
        "outside": [{"name": p.name, "events": p.events, "lat": round(p.lat, 3), "lon": round(p.lon, 3)}
                    for p in outside],
        "no_coordinates": no_coordinates, "no_place": sum(1 for e in events if e.location is None),
        "figure_groups": figure_groups, "contested": sum(1 for g in figure_groups if g["contested"]),
        "conflicts": conflict_rows, "rows": rows, "sources": sources,
    }


def _is_web_url(url: str | None) -> bool:
    """Only http(s) links: a `javascript:` URL in a manifest must not become a live link."""
    return bool(url) and url.split(":", 1)[0].lower() in ("http", "https")


def _environment() -> jinja2.Environment:
    # Autoescape every template whatever its name: each string from an article passes through here.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def render_report(store: Store, progress: Progress[Event] | None = None, now: datetime | None = None) -> str:
    """The report as one HTML string: inline CSS, JS and SVG, nothing fetched from anywhere.

    >>> with Store("sitrep.db") as store:  # doctest: +SKIP
    ...     Path("report.html").write_text(render_report(store), encoding="utf-8")
    """
    return _render(build_context(store, progress, now))


def _render(context: dict[str, Any]) -> str:
    style = (STATIC / "report.css").read_text(encoding="utf-8")
    script = (STATIC / "report.js").read_text(encoding="utf-8")
    # Only this page's own style and script, by hash: an injected <script> or onerror= cannot run
    # even if something escaped the escaping, and nothing is loaded from elsewhere.
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; img-src data:; "
           f"base-uri 'none'; form-action 'none'")
    return _environment().get_template("report.html.j2").render(**context, style=style, script=script, csp=csp)


def write_report(db: str | Path, out: str | Path, progress: Progress[Event] | None = None,
                 now: datetime | None = None) -> ReportSummary:
    """Render the store at `db` to the HTML file `out`.

    The file is written beside `out` and renamed over it, so an interrupted run can't leave half a report.

    >>> write_report("sitrep.db", "report.html").describe()  # doctest: +SKIP
    'Wrote report.html: 5 documents, 86 events, 46 figures (5 groups contested by two or more sources).'
    """
    out = Path(out)
    with Store(db) as store:
        context = build_context(store, progress, now)
    html = _render(context)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(html)
            os.chmod(tmp, REPORT_MODE)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise SitrepError(f"{out}: cannot write the report ({e.strerror or e}). Check that the folder exists "
                          f"and that you may write there.") from e
    return ReportSummary(out, context["documents"], context["events"], context["claims"], context["contested"])
