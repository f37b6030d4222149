"""Split how English reports name a place into the place and what the words around it add.

"eastern Aleppo", "east Aleppo city", "rebel-held Aleppo", "Idlib Province", "rural Damascus",
"northern Syria": a base name plus a direction and a level (city, province, neighbourhood).
"Aleppo's Old City", "the Old City of Aleppo", "Kafr Nabl, Idlib", "Mosul in Iraq": a place
and the place that contains it. Plain English word lists, not names from any one article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Level words -> which places they ask for (a precision or a kind).
TOWN = frozenset({"town"})
PROVINCE = frozenset({"province"})
LOCAL = frozenset({"neighbourhood", "district"})
CAMP = frozenset({"camp"})

_DIRECTION = (r"(?:(?:north|south)[- ]?(?:east|west)|north|south|east|west)(?:ern)?"
              r"|central|centre|center")
_LEADING = re.compile(
    rf"^(?:the|({_DIRECTION})|(rural)|greater|downtown|besieged|war-torn"
    r"|[a-z]+-(?:held|controlled|besieged|occupied))\s+", re.IGNORECASE)
_LEVELS = (
    (TOWN, r"city(?:\s+cent(?:re|er))?|town|village|downtown"),
    (PROVINCE, r"provinces?|governorate|countryside|region|oblast|state"),
    (LOCAL, r"districts?|neighbou?rhoods?|quarters?|areas?|suburbs?|outskirts"),
    (CAMP, r"(?:refugee\s+)?camp"),
)
_TRAILING = re.compile(r"\s+(?:" + "|".join(f"({p})" for _, p in _LEVELS) + r")$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(.+)$")
_OF = re.compile(r"^(.+?)\s+of\s+(.+)$", re.IGNORECASE)
_COMMA = re.compile(r"^(.+?)\s*,\s*(.+)$")
_IN = re.compile(r"^(.+?)\s+in\s+(.+)$", re.IGNORECASE)
_COMPASS = {"north": "Northern", "south": "Southern", "east": "Eastern", "west": "Western"}


@dataclass(frozen=True, slots=True)
class Phrase:
    """A base name with what the words around it asked for; base is "" when only modifiers."""

    base: str
    direction: str | None = None  # "Eastern", "Northeastern": UCDP-style region adjectives
    level: frozenset[str] | None = None


def clean(text: str) -> str:
    """Trim whitespace and the punctuation a span can drag along ("Aleppo," "(Homs)")."""
    return " ".join(text.split()).strip(" \t.,;:!?\"“”()[]")


def readings(text: str) -> list[Phrase]:
    """Ways to read a name, most literal first: leading words stripped, then trailing too.

    'rebel-held eastern Aleppo city' -> 'Aleppo city' (Eastern), then 'Aleppo' (Eastern, town);
    'the Old City' -> 'Old City' first, so a place whose name ends in a level word is found.
    """
    direction, level = None, None
    while m := _LEADING.match(text):
        if m.group(1):
            direction = direction_adjective(m.group(1))
        if m.group(2):
            level = PROVINCE  # "rural Damascus" is the countryside around it
        text = text[m.end():]
    if _LEADING.fullmatch(text + " "):
        return [Phrase("", direction, level)]  # "the north": nothing to look up
    found = [Phrase(text, direction, level)]
    text = " " + text  # a lone level word ("countryside") is a trailing one with no base
    while m := _TRAILING.search(text):
        level = next(want for (want, _), g in zip(_LEVELS, m.groups()) if g)
        text = text[:m.start()]
    if not text.strip():
        return [Phrase("", direction, level)]  # "the eastern countryside" qualifies another
    if text.strip() != found[0].base:
        found.append(Phrase(text.strip(), direction, level))
    return found


def direction_adjective(word: str) -> str | None:
    """'north-east' / 'northeastern' -> 'Northeastern'; 'central' -> None (no region rows)."""
    w = word.lower().replace("-", "").replace(" ", "").removesuffix("ern")
    if w in ("central", "centre", "center"):
        return None
    if len(w) > 5:  # a compound: north+east, south+west
        return w[:5].capitalize() + w[5:] + "ern"
    return _COMPASS[w]


def split_container(text: str) -> tuple[str, str] | None:
    """(place, container) for "Kafr Nabl, Idlib", "Mosul in Iraq", "Aleppo's Old City",
    "Old City of Aleppo"; commas bind loosest: "Tall Rifaat, north of Aleppo"."""
    for pattern in (_COMMA, _IN):
        if m := pattern.match(text):
            return m.group(1), m.group(2)
    if m := _POSSESSIVE.match(text):
        return m.group(2), m.group(1)
    if m := _OF.match(text):
        return m.group(1), m.group(2)
    return None
