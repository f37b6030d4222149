"""Actors, sources and event triggers: the data files in sitrep/data, loaded once and looked up.

    data/actors.tsv    who fights or suffers: "pro-Assad forces" -> Syrian government forces
    data/sources.tsv   who reports or claims: "Britain-based monitor" -> Syrian Observatory for Human Rights
    data/triggers.tsv  which words report which ACLED event type: "barrel bomb" -> Air/drone strike

The files carry their own documentation in '#' comment lines at the top, including how `priority`
encodes ACLED's precedence rules. This module only parses and looks up: lookups are pure and
cached per process, and a data file that breaks a rule raises ValueError naming its line, since
it is a bug in the package, not bad input.

    >>> normalise_actor("regime troops").name
    'Syrian government forces'
    >>> normalise_source("The Russian Defense Ministry spokesman Igor Konashenkov").name
    'Russian Ministry of Defence'
    >>> event_type_of("barrel bomb").sub_event_type
    'Air/drone strike'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Callable, Generic, TypeVar

__all__ = [
    "ACTOR_KINDS",
    "EVENT_TYPES",
    "SOURCE_KINDS",
    "Actor",
    "Source",
    "Trigger",
    "event_type_of",
    "load_actors",
    "load_sources",
    "load_triggers",
    "normalise_actor",
    "normalise_source",
]

# ACLED's taxonomy (codebook 2023/2024) plus our Humanitarian extension (../shared/eval/CONTRACT.md).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other",
    ),
    "Humanitarian": ("Evacuation", "Displacement", "Aid delivery", "Aid obstruction"),
}

# ACLED's 'inter' codes; "government" is a state acting politically, which ACLED files under state forces.
ACTOR_KINDS: dict[str, int] = {
    "state forces": 1, "government": 1, "rebel group": 2, "political militia": 3, "identity militia": 4,
    "rioters": 5, "protesters": 6, "civilians": 7, "external/other forces": 8,
}
SOURCE_KINDS = frozenset({
    "UN agency", "international organisation", "NGO", "monitor", "activists", "government", "military", "media",
    "armed group", "official", "anonymous",
})
_STATE_KINDS = frozenset({"state forces", "government", "external/other forces"})
_POS = frozenset({"noun", "verb", "any"})
_CONDITIONS = frozenset({"", "actor=government", "actor=non-government", "actor=state", "actor=non-state",
                         "target=civilians"})
_FAMILIES = {
    "Battles": "combat", "Explosions/Remote violence": "combat", "Violence against civilians": "civilians",
    "Protests": "demonstrations", "Riots": "demonstrations", "Strategic developments": "developments",
    "Humanitarian": "humanitarian",
}
def family_of(event_type: str) -> str:
    """The family an ACLED event type belongs to: combat, civilians, demonstrations, developments, humanitarian."""
    return _FAMILIES[event_type]


WEAK_PRIORITY = 30  # below this a trigger stands only when its clause has no other trigger (see triggers.tsv)
LOOKUP_CACHE = 1 << 16  # mentions repeat across a corpus ("regime forces"); their lookups are pure


@dataclass(frozen=True, slots=True)
class Actor:
    """An armed group, state, force or population, as one row of data/actors.tsv."""

    name: str
    kind: str
    country: str = ""
    active_in: tuple[str, ...] = ()
    government_side: tuple[str, ...] = ()  # "*": the government of whatever country the event is in
    aliases: tuple[str, ...] = ()
    cased_aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def inter(self) -> int:
        """ACLED's actor type code (1 state forces ... 8 external/other forces)."""
        return ACTOR_KINDS[self.kind]

    @property
    def is_state(self) -> bool:
        return self.kind in _STATE_KINDS

    def is_government_side(self, country: str | None = None) -> bool:
        """Whether it is, or fights for, the government of `country` (its own country if None)."""
        if "*" in self.government_side:
            return True
        return (country or self.country) in self.government_side

    def fits(self, country: str) -> bool:
        return country == self.country or country in self.active_in


@dataclass(frozen=True, slots=True)
class Source:
    """Who a report attributes something to, as one row of data/sources.tsv."""

    name: str
    kind: str
    country: str = ""
    parent: str = ""  # for officials and sub-units: the source they speak for
    aliases: tuple[str, ...] = ()
    cased_aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"

    def fits(self, country: str) -> bool:
        return country == self.country


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word or phrase that reports an event of one ACLED type, as one row of data/triggers.tsv."""

    trigger: str
    pos: str
    event_type: str
    sub_event_type: str
    priority: int
    condition: str = ""
    note: str = ""

    @property
    def family(self) -> str:
        """Triggers only outrank each other within a family (see triggers.tsv)."""
        return family_of(self.event_type)

    @property
    def is_weak(self) -> bool:
        return self.priority < WEAK_PRIORITY

    def outranks(self, other: Trigger) -> bool:
        """True if, describing the same occurrence, this trigger names the event and absorbs `other`."""
        return self.family == other.family and self.priority > other.priority


# ---- reading the files

def _rows(filename: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a TSV in sitrep/data; '#' lines are comments, the first other line the header."""
    text = (files("sitrep") / "data" / filename).read_text(encoding="utf-8")
    header: list[str] | None = None
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(header[: len(columns)]) != columns:
                raise ValueError(f"sitrep/data/{filename}:{number}: header should start {columns}, not {tuple(header)}")
            continue
        if len(cells) != len(header):
            raise ValueError(f"sitrep/data/{filename}:{number}: {len(cells)} cells for {len(header)} columns; "
                             "check for a stray or missing tab")
        out.append((number, dict(zip(header, (c.strip() for c in cells)))))
    return out


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@cache
def load_actors() -> tuple[Actor, ...]:
    """Every row of data/actors.tsv, in file order."""
    actors = []
    for number, row in _rows("actors.tsv", ("name", "kind", "country", "active_in", "government_side", "aliases",
                                            "cased_aliases", "note")):
        if row["kind"] not in ACTOR_KINDS:
            raise ValueError(f"sitrep/data/actors.tsv:{number}: kind {row['kind']!r} is not one of {sorted(ACTOR_KINDS)}")
        actors.append(Actor(row["name"], row["kind"], row["country"], _split(row["active_in"]),
                            _split(row["government_side"]), _split(row["aliases"]), _split(row["cased_aliases"]),
                            row["note"]))
    return tuple(actors)


@cache
def load_sources() -> tuple[Source, ...]:
    """Every row of data/sources.tsv, in file order."""
    sources = []
    for number, row in _rows("sources.tsv", ("name", "kind", "country", "parent", "aliases", "cased_aliases", "note")):
        if row["kind"] not in SOURCE_KINDS:
            raise ValueError(f"sitrep/data/sources.tsv:{number}: kind {row['kind']!r} is not one of {sorted(SOURCE_KINDS)}")
        sources.append(Source(row["name"], row["kind"], row["country"], row["parent"], _split(row["aliases"]),
                              _split(row["cased_aliases"]), row["note"]))
    names = {s.name for s in sources}
    for s in sources:
        if s.parent and s.parent not in names:
            raise ValueError(f"sitrep/data/sources.tsv: {s.name!r} has parent {s.parent!r}, which is not a source name")
    return tuple(sources)


@cache
def load_triggers() -> tuple[Trigger, ...]:
    """Every row of data/triggers.tsv, in file order (which is the order conditional rows are tried in)."""
    triggers = []
    for number, row in _rows("triggers.tsv", ("trigger", "pos", "event_type", "sub_event_type", "priority",
                                              "condition", "note")):
        where = f"sitrep/data/triggers.tsv:{number}"
        if row["sub_event_type"] not in EVENT_TYPES.get(row["event_type"], ()):
            raise ValueError(f"{where}: {row['event_type']!r} / {row['sub_event_type']!r} is not an ACLED or "
                             "Humanitarian pair; see EVENT_TYPES in sitrep/lexicon.py")
        if row["pos"] not in _POS or row["condition"] not in _CONDITIONS:
            raise ValueError(f"{where}: pos must be one of {sorted(_POS)} and condition one of {sorted(_CONDITIONS)}")
        if not row["priority"].isdigit() or not 1 <= int(row["priority"]) <= 99:
            raise ValueError(f"{where}: priority {row['priority']!r} should be a whole number from 1 to 99")
        if row["trigger"] != _lemma_key(row["trigger"]):
            raise ValueError(f"{where}: write the trigger {row['trigger']!r} as {_lemma_key(row['trigger'])!r}")
        triggers.append(Trigger(row["trigger"], row["pos"], row["event_type"], row["sub_event_type"],
                                int(row["priority"]), row["condition"], row["note"]))
    return tuple(triggers)


# ---- folding text so that aliases and mentions compare equal

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)")
_NON_WORD = re.compile(r"[^\w&]+")


def _fold(text: str, *, keep_case: bool = False) -> str:
    """Accents, apostrophes, possessive 's, dots (U.S.) and punctuation away; a leading 'the' dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _POSSESSIVE.sub("", text).replace("'", "").replace(".", "")
    text = " ".join(_NON_WORD.sub(" ", text.replace("&", " and ")).split())
    if text[:4].lower() == "the ":
        text = text[4:]
    return text if keep_case else text.lower()


def _number_variants(alias: str) -> tuple[str, ...]:
    """The other grammatical number of a common-noun alias ("activists" <-> "activist"); none for names."""
    *head, last = alias.split(" ")
    if not last.isalpha() or not last.islower() or len(last) <= 3:
        return ()
    if last.endswith("ies"):
        other = last[:-3] + "y"
    elif last.endswith("men"):
        other = last[:-3] + "man"
    elif last.endswith("man"):
        other = last[:-3] + "men"
    elif last.endswith("s") and not last.endswith("ss"):
        other = last[:-1]
    elif last.endswith("y") and last[-2] not in "aeiou":
        other = last[:-1] + "ies"
    else:
        other = last + "s"
    return (" ".join([*head, other]),)


Row = TypeVar("Row", Actor, Source)


class _Index(Generic[Row]):
    """Alias lookup over one file's rows: exact first, then the longest alias inside a longer mention."""

    def __init__(self, rows: tuple[Row, ...], is_generic: Callable[[Row], bool]) -> None:
        self.rows = rows
        self.is_generic = is_generic
        self.folded: dict[str, list[int]] = {}  # folded alias -> row numbers, file order
        self.cased: dict[str, list[int]] = {}
        variants: list[tuple[str, int]] = []
        for i, row in enumerate(rows):
            for alias in (row.name, *row.aliases):
                key = _fold(alias)
                if key:
                    _append(self.folded, key, i)
                    variants.extend((v, i) for v in _number_variants(_fold(alias, keep_case=True)))
            for alias in row.cased_aliases:
                _append(self.cased, _fold(alias, keep_case=True), i)
        explicit = set(self.folded)
        for variant, i in variants:  # an explicit alias of another row beats a generated plural
            if variant.lower() not in explicit:
                _append(self.folded, variant.lower(), i)
        self.folded_re = _alternation(self.folded, re.IGNORECASE)
        self.cased_re = _alternation(self.cased, 0)

    def lookup(self, raw: str, country: str | None) -> Row | None:
        folded, cased = _fold(raw), _fold(raw, keep_case=True)
        if not folded:
            return None
        if cased in self.cased:
            return self._pick(self.cased[cased], country)
        if folded in self.folded:
            return self._pick(self.folded[folded], country)
        # (start, end, row numbers) of the longest alias starting at each word of the mention
        spans = [(m.start(), m.end(), self.folded[m.group().lower()]) for m in _matches(self.folded_re, folded)]
        spans += [(m.start(), m.end(), self.cased[m.group()]) for m in _matches(self.cased_re, cased)]
        # an alias inside a longer one is part of it: "opposition" in "opposition activists"
        spans = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[:2] != s[:2] for o in spans)]
        if not spans:
            return None
        # a named source beats an unnamed one beside it ("LCC activists"), then the longest, then the first
        def rank(span: tuple[int, int, list[int]]) -> tuple[bool, int, int]:
            generic = all(self.is_generic(self.rows[i]) for i in span[2])
            return (generic, -(span[1] - span[0]), span[0])
        return self._pick(min(spans, key=rank)[2], country)

    def _pick(self, candidates: list[int], country: str | None) -> Row:
        """Among rows sharing an alias: the event's country, then a row without one, then file order."""
        rows = [self.rows[i] for i in candidates]
        if country:
            for row in rows:
                if row.fits(country):
                    return row
        for row in rows:
            if not row.country:
                return row
        return rows[0]


def _append(index: dict[str, list[int]], key: str, i: int) -> None:
    numbers = index.setdefault(key, [])
    if i not in numbers:
        numbers.append(i)


def _alternation(keys: dict[str, list[int]], flags: int) -> re.Pattern[str] | None:
    if not keys:
        return None
    ordered = sorted(keys, key=len, reverse=True)  # the longest alternative wins at each start
    return re.compile(r"(?:%s)(?!\w)" % "|".join(re.escape(k) for k in ordered), flags)


def _matches(pattern: re.Pattern[str] | None, text: str) -> list[re.Match[str]]:
    """The longest alias starting at each word of `text`, overlaps included."""
    if pattern is None:
        return []
    found = []
    for word in re.finditer(r"\w+", text):
        m = pattern.match(text, word.start())
        if m:
            found.append(m)
    return found


@cache
def _actor_index() -> _Index[Actor]:
    return _Index(load_actors(), is_generic=lambda actor: False)


@cache
def _source_index() -> _Index[Source]:
    return _Index(load_sources(), is_generic=lambda source: source.is_anonymous)


@lru_cache(maxsize=LOOKUP_CACHE)
def normalise_actor(raw: str, country: str | None = None) -> Actor | None:
    """The actor a mention names, or None if no alias is in it.

    Case, accents, hyphens, a leading "the", a possessive 's and the number of a common noun
    are ignored; cased aliases ("IS", "US") match only as written. In a longer mention the
    longest alias wins. `country`, the country of the event, picks between rows that share an
    alias ("government forces" in Sudan is the Sudanese Armed Forces).

        >>> normalise_actor("the Assad regime's forces").name
        'Syrian government forces'
        >>> normalise_actor("government forces", country="Sudan").name
        'Sudanese Armed Forces'
    """
    return _actor_index().lookup(raw, country)


@lru_cache(maxsize=LOOKUP_CACHE)
def normalise_source(raw: str, country: str | None = None) -> Source | None:
    """The source a mention names, or None; matching as for `normalise_actor`.

    A named source beats an anonymous one beside it ("LCC activists" -> Local Coordination
    Committees), and an official is returned as themself: `Source.parent` says whom they
    speak for.

        >>> normalise_source("Britain-based monitor").name
        'Syrian Observatory for Human Rights'
        >>> normalise_source("Rupert Colville").parent
        'Office of the UN High Commissioner for Human Rights'
    """
    return _source_index().lookup(raw, country)


# ---- triggers

def _lemma_key(lemma: str) -> str:
    return " ".join(lemma.lower().replace("_", " ").split())


@cache
def _trigger_index() -> dict[str, tuple[Trigger, ...]]:
    index: dict[str, list[Trigger]] = {}
    for trigger in load_triggers():
        index.setdefault(trigger.trigger, []).append(trigger)
    return {key: tuple(rows) for key, rows in index.items()}


def _holds(trigger: Trigger, actor: Actor | None, country: str | None, civilians: bool | None) -> bool | None:
    """Whether a row's condition holds; None when the caller did not give what it depends on."""
    condition = trigger.condition
    if not condition:
        return True
    if condition == "target=civilians":
        return civilians
    if actor is None:
        return None
    if condition in ("actor=government", "actor=non-government"):
        return actor.is_government_side(country) == (condition == "actor=government")
    return actor.is_state == (condition == "actor=state")


def event_type_of(trigger_lemma: str, pos: str | None = None, *, actor: Actor | None = None,
                  country: str | None = None, civilians: bool | None = None) -> Trigger | None:
    """The trigger row a lemma (or lemma phrase) selects, or None if it is not a trigger.

    `pos` ("noun", "verb"; spaCy's NOUN/PROPN/VERB also work) narrows the rows; `actor`,
    `country` (of the event) and `civilians` (are the people acted on civilians?) decide
    conditional rows. A row whose condition is false is skipped; one whose condition cannot be
    judged from what was given is returned only if nothing surer applies, so check
    `Trigger.condition` when you pass less.

        >>> event_type_of("capture", actor=normalise_actor("rebels")).sub_event_type
        'Non-state actor overtakes territory'
        >>> event_type_of("recapture", actor=normalise_actor("Syrian Army")).sub_event_type
        'Government regains territory'
    """
    key = _lemma_key(trigger_lemma)
    wanted = {"propn": "noun", "noun": "noun", "verb": "verb"}.get((pos or "").lower())
    for candidate in dict.fromkeys((key, key.replace("-", " "), key.replace("-", ""), _singular(key))):
        rows = [t for t in _trigger_index().get(candidate, ()) if wanted is None or t.pos in (wanted, "any")]
        if not rows:
            continue
        verdicts = [(t, _holds(t, actor, country, civilians)) for t in rows]
        for preferred in (lambda t, v: v is True and bool(t.condition), lambda t, v: v is True,
                          lambda t, v: v is None):
            for t, verdict in verdicts:
                if preferred(t, verdict):
                    return t
        return None
    return None


def _singular(key: str) -> str:
    """Tolerate a surface plural passed for a lemma: "air strikes" -> "air strike"."""
    *head, last = key.split(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return " ".join([*head, last])
