"""A plain-text overview of the store, for people at a terminal."""
from __future__ import annotations

from collections import Counter

from ..store import Store

TOP_PLACES = 8


def describe_store(store: Store) -> str:
    """Documents by outlet, live blogs, events by type and place, and the figures with their speakers."""
    docs = list(store.documents())
    if not docs:
        return "The store is empty: ingest some articles first (sitrep ingest --help)."
    entries = [e for e in store.entries() if e.time is not None]
    days = sorted(d.published for d in docs if d.published)
    lines = [f"{len(docs)} documents from {len({d.outlet for d in docs})} outlets"
             + (f", published {days[0]} to {days[-1]}" if days else "") + "."]
    for outlet, n in sorted(Counter(d.outlet or "(outlet unknown)" for d in docs).items()):
        lines.append(f"  {outlet}: {n}")
    by_doc = Counter(e.document for e in entries)
    if by_doc:
        lines.append(f"{len(by_doc)} live blogs, {len(entries)} timestamped updates:")
        for doc in docs:
            times = [e.time for e in entries if e.document == doc.id]
            if times:
                lines.append(f"  {doc.title or doc.path or doc.url}: {len(times)} updates, "
                             f"{min(times):%Y-%m-%d %H:%M} to {max(times):%Y-%m-%d %H:%M} UTC")
    events = list(store.events())
    lines.append(f"{len(events)} events:")
    for (kind, sub), n in sorted(Counter((e.event_type, e.sub_event_type) for e in events).items()):
        lines.append(f"  {kind} / {sub}: {n}")
    places = Counter(e.location.name for e in events if e.location)
    if places:
        lines.append("  most reported places: " + ", ".join(f"{p} ({n})" for p, n in places.most_common(TOP_PLACES)))
    claims = [c for c in store.claims() if c.measure != "other"]
    lines.append(f"{len(claims)} figures attributed to their sources:")
    for claim in claims:
        value = claim.value
        figure = (f"{value.best:,}" if value.best is not None else
                  f"{value.low or '?'}-{value.high or '?'}" if value.high else f"{value.low}+")
        lines.append(f"  {claim.measure} {figure} {claim.subject or ''}".rstrip()
                     + f" — {claim.claimant} ({claim.modality})")
    return "\n".join(lines)
