"""A plain-text overview of the store, for people at a terminal."""
from __future__ import annotations

from collections import Counter

from ..store import Store


def describe_store(store: Store) -> str:
    """Documents by outlet, the period they cover, and each live blog's updates."""
    docs = list(store.documents())
    if not docs:
        return "The store is empty: ingest some articles first (sitrep ingest --help)."
    entries_by_doc = Counter(e.document for e in store.entries() if e.time is not None)
    days = sorted(d.published for d in docs if d.published)
    lines = [f"{len(docs)} documents from {len({d.outlet for d in docs})} outlets"
             + (f", published {days[0]} to {days[-1]}" if days else "") + "."]
    for outlet, n in sorted(Counter(d.outlet or "(outlet unknown)" for d in docs).items()):
        lines.append(f"  {outlet}: {n}")
    blogs = [d for d in docs if entries_by_doc[d.id]]
    if blogs:
        lines.append(f"{len(blogs)} live blogs, {sum(entries_by_doc.values())} timestamped updates:")
        for doc in blogs:
            times = [e.time for e in store.entries() if e.document == doc.id and e.time is not None]
            lines.append(f"  {doc.title or doc.path or doc.url}: {entries_by_doc[doc.id]} updates, "
                         f"{min(times):%Y-%m-%d %H:%M} to {max(times):%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)
