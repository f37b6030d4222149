"""Who says what, through the lexicon's alias data: one name per source, who is independent of whom,
whose figure counts as best, and which source speaks for a party to an event.

    >>> source_name("UN report")
    'United Nations'
    >>> source_key("Rupert Colville") == source_key("UN human rights office")  # a spokesman is his office
    True
"""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import Actor, Source, normalise_actor, normalise_source
from ..geo import fold

# Whose figure is the best estimate when reports differ (UCDP GED: best = the most reliable report).
# UN bodies and international organisations first: they count with a stated method and are not a party;
# then monitors, NGOs and activist networks that document casualties; media; and last the parties, unnamed
# sources and names the lexicon does not know.
TIER_NAMES = ("UN or international organisation", "monitor or NGO", "media", "party or other source")
_TIERS = {"UN agency": 0, "international organisation": 0, "monitor": 1, "NGO": 1, "activists": 1, "media": 2}
_PARTY_KINDS = frozenset({"military", "government"})


@cache
def _source(name: str) -> Source | None:
    return normalise_source(name)


@cache
def source_name(raw: str) -> str:
    """The lexicon's name for a source, or the string as given when no alias matches it."""
    row = _source(raw)
    return row.name if row else raw


@cache
def _top(name: str) -> Source | None:
    """The organisation a source speaks for: an official's office, a sub-unit's parent, up the chain."""
    row = _source(name)
    seen = set()
    while row is not None and row.parent and row.parent not in seen:
        seen.add(row.name)
        parent = _source(row.parent)
        if parent is None:
            break
        row = parent
    return row


@cache
def source_key(raw: str) -> str:
    """Who a source is, for counting independent sources: outlets or spokesmen repeating one
    organisation are that organisation; an unknown name is compared by its words, plural-blind."""
    row = _top(raw)
    return _plural_blind(row.name if row else raw)


@cache
def source_tier(raw: str) -> int:
    """0 for UN bodies and international organisations, 1 monitors and NGOs, 2 media, 3 the rest."""
    row = _top(raw)
    return _TIERS.get(row.kind, 3) if row else 3


@cache
def _plural_blind(name: str) -> str:
    """"United Nation's" and "United Nations" are one name: fold, then drop a final s from each word."""
    return " ".join(re.sub(r"(?<=[a-z]{3})s$", "", w) for w in fold(name).split())


@cache
def _actor(name: str) -> Actor | None:
    return normalise_actor(name)


@cache
def is_perpetrator(actor: str) -> bool:
    """Actors that act rather than suffer: everyone but civilians."""
    row = _actor(actor)
    return row is None or row.kind != "civilians"


@cache
def speaks_for(source: str, actor: str) -> bool:
    """Does this source speak for this party? The same organisation, an armed group's own outlet,
    or a state's military or government reporting what its state forces did."""
    row, party = _top(source), _actor(actor)
    if row is None or party is None or party.kind == "civilians":
        return False
    if row.kind != "anonymous" and _plural_blind(row.name) == _plural_blind(party.name):
        return True
    if row.kind in _PARTY_KINDS or row.kind == "armed group":  # not "military sources" or "activists"
        as_actor = _actor(row.name)
        if as_actor is not None and as_actor.name == party.name:
            return True
    return row.kind in _PARTY_KINDS and bool(row.country) and party.is_state and row.country == party.country
