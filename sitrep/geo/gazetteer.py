"""Look place names up: exact folded match first, then skeleton candidates confirmed by fuzzy score.

Ranking among namesakes uses the document's context: a neighbourhood of the focus city beats a
place of the same name elsewhere, then places in the focus city's province, then the most
prominent (population, or town over village). All indexes are dicts, so a lookup costs a few
dict probes plus a fuzzy score per skeleton candidate, whatever the size of the gazetteer.
"""
from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from sitrep.geo import phrases, sources
from sitrep.geo.folding import fold, fold_all, skeleton, skeleton_all
from sitrep.geo.place import Place
from sitrep.geo.phrases import PROVINCE, Phrase

log = logging.getLogger(__name__)

# Minimum fuzz.ratio between folded forms that share a skeleton. Calibrated as a pair on the
# default gazetteer (2026-11): each of 919 variant spellings of our table rows was held out
# and looked up fuzzily; and 6,000 GeoNames towns of 5,000-15,000 people (not in the default
# gazetteer) were looked up as names we do not know, where any answer is wrong.
#   threshold              75     80     85     90
#   held-out found       .462   .442   .380   .318   (within the place's country)
#   held-out misplaced   .042   .037   .025   .017
#   unknown misplaced    .054   .041   .023   .013
#   same, no country known: found .447/.428/.367/.311, unknown misplaced .210/.159/.082/.042
# Most held-out spellings not found share no skeleton (Muhammad Bek / Bab al-Nairab): other
# names, not other spellings. A wrong coordinate is worse than none, so: 85 among the places
# of the document's country (from `country` or the focus), 90 when no country is known.
# Reproduce with scripts/build-gazetteer --calibrate.
FUZZY_THRESHOLD = 85.0
FUZZY_THRESHOLD_WORLDWIDE = 90.0
# Score bonuses, on the prominence scale (log10 population, see sources.prominence):
FOCUS_CHILD = 10.0  # a neighbourhood of the focus city always wins
FOCUS_ADMIN1 = 2.5  # a village in the focus province beats a namesake town under ~30,000
FOCUS_NEAR = 1.0  # up to this for closeness to the focus, fading to 0 at NEAR_KM: it breaks
NEAR_KM = 100.0  # ties among namesakes in one province, and where admin1 names differ by source
FOCUS_COUNTRY = 1.0
COUNTRY_PARAM = 5.0  # the caller's country beats a namesake city 100,000 times bigger
ALIAS_ONLY = 1.5  # GeoNames alternate names include other languages' and historical names
MIN_FUZZY_LENGTH = 4  # shorter queries match too much to be guessed at
ANSWER_CACHE = 100_000  # remembered lookups: a few tens of megabytes at most


@dataclass(frozen=True, slots=True)
class _Context:
    focus: Place | None = None
    focus_keys: frozenset[str] = field(default_factory=frozenset)  # skeletons of its names
    country: str | None = None


class Gazetteer:
    """Places indexed by folded name and by consonant skeleton.

    Build a small one from `Place`s (tests, other regions) or load the default:

    >>> gaz = Gazetteer([Place("al-Firdous", "neighbourhood", "neighbourhood", parent="Aleppo",
    ...                        lat=36.187, lon=37.151, aliases=("Fardos",))])
    >>> gaz.lookup("Firdous").name
    'al-Firdous'
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._places: tuple[Place, ...] = tuple(places)
        self._prominence = tuple(sources.prominence(p) for p in self._places)
        self._name_folds = tuple(fold_all(p.name for p in self._places))
        owners = [i for i, p in enumerate(self._places) for _ in p.aliases]
        alias_folds = fold_all(a for p in self._places for a in p.aliases)
        self._exact: dict[str, list[int]] = {}  # folded name or alias -> places
        # dict.fromkeys drops a place's repeated forms ("Aleppó", "Aleppo") in C, in order.
        for key, i in dict.fromkeys(zip((*self._name_folds, *alias_folds),
                                        (*range(len(self._places)), *owners))):
            self._exact.setdefault(key, []).append(i)
        self._exact.pop("", None)
        self._skeletons: dict[str, list[str]] | None = None  # see _skeleton_index
        self._countries = {  # folded name or alias -> country name
            key: p.name for p in self._places if p.precision == "country"
            for key in fold_all((p.name, *p.aliases))}
        self._focus_cache: dict[str, _Context] = {}
        self._answers: dict[tuple[str, str | None, str | None], tuple[Place, ...]] = {}  # see candidates

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]],
                  countries: Mapping[str, str] | None = None) -> Gazetteer:
        """From places.tsv-shaped rows (name, aliases, kind, precision, parent, admin1, …)."""
        return cls(sources.places_from_rows(rows, countries or {}))

    @classmethod
    def load(cls) -> Gazetteer:
        """The default gazetteer (our tables, GeoNames cities and countries), once per process."""
        return _load_default()

    def __len__(self) -> int:
        return len(self._places)

    def names(self) -> Iterator[str]:
        """Every surface form once, names and aliases, for a spaCy EntityRuler phrase list."""
        seen: set[str] = set()
        for place in self._places:
            for form in (place.name, *place.aliases):
                if form not in seen:
                    seen.add(form)
                    yield form

    def lookup(self, name: str, focus: str | None = None, country: str | None = None) -> Place | None:
        """The place a report most likely means by `name`, or None if it is not in the gazetteer.

        `focus` is the document's focus city ("Aleppo"): its neighbourhoods and province win
        over namesakes. `country` (a name or alias: "Syria", "UK") is preferred when given.

        >>> Gazetteer.load().lookup("Fardos", focus="Aleppo").name
        'al-Firdous'
        """
        ranked = self.candidates(name, focus=focus, country=country)
        return ranked[0] if ranked else None

    def candidates(self, name: str, focus: str | None = None,
                   country: str | None = None) -> tuple[Place, ...]:
        """Every place `name` may mean, most likely first.

        Answers are remembered (the gazetteer never changes once built, and news repeats its names),
        up to ANSWER_CACHE of them, after which the memory is cleared and starts again."""
        question = (name, focus, country)
        if (answer := self._answers.get(question)) is None:
            if len(self._answers) >= ANSWER_CACHE:
                self._answers.clear()
            context = self._context(focus, country)
            answer = self._answers[question] = tuple(dict.fromkeys(self._resolve(phrases.clean(name), context)))
        return answer

    # -- resolution ---------------------------------------------------------------------

    def _resolve(self, text: str, context: _Context) -> list[Place]:
        """Whole name, then container phrases, then modifiers; exact before fuzzy throughout."""
        if not text:
            return []
        if hits := self._exact.get(key := fold(text)):
            return self._focus_spellings(key, context) + self._rank(hits, key, context)
        if parts := phrases.split_container(text):
            if found := self._resolve_within(*parts, context):
                return found
        for fuzzy in (False, True):
            for phrase in phrases.readings(text):
                if found := self._resolve_phrase(phrase, context, fuzzy):
                    return found
        return []

    def _resolve_phrase(self, phrase: Phrase, context: _Context, fuzzy: bool) -> list[Place]:
        if not phrase.base:
            return []
        key = fold(phrase.base)
        if phrase.direction and phrase.level == PROVINCE:
            # UCDP's region rows: "Eastern Aleppo Province" (see scripts/build-gazetteer)
            region = fold(f"{phrase.direction} {phrase.base} province")
            if hits := self._exact.get(region):
                return self._rank(hits, region, context)
        closeness, preferred = None, []
        if hits := self._exact.get(key):
            preferred = self._focus_spellings(key, context)
        elif fuzzy:
            hits = closeness = self._fuzzy(key, context)
        if not hits:
            return []
        ranked = preferred + self._rank(hits, key, context, phrase.level, closeness)
        if phrase.level == PROVINCE and ranked[0].precision in ("neighbourhood", "town", "district"):
            return [self._province_of(ranked[0], phrase.base), *ranked]
        return ranked

    def _resolve_within(self, inner: str, outer: str, context: _Context) -> list[Place]:
        """A place named inside another: "Aleppo's Old City", "Kafr Nabl, Idlib".

        Falls back to the container ("the outskirts of Aleppo" -> Aleppo), carrying over
        any level or direction the inner words gave ("eastern countryside of Aleppo").
        """
        containers = self._resolve(outer, context)
        if not containers:
            return []
        container = containers[0]
        inner_phrase = phrases.readings(inner)[-1]
        if not inner_phrase.base:
            modified = Phrase(phrases.clean(outer), inner_phrase.direction, inner_phrase.level)
            return self._resolve_phrase(modified, context, fuzzy=False) or containers
        within = self._context_of(container, outer, context.country)
        for place in self._resolve(inner, within):
            if self._is_within(place, container, within):
                return [place]
        return containers

    def _fuzzy(self, key: str, context: _Context) -> dict[int, float]:
        """Skeleton candidates whose folded spelling is close enough, with their fuzz.ratio.

        Only places in the document's country when it is known (see FUZZY_THRESHOLD)."""
        if len(key.replace(" ", "")) < MIN_FUZZY_LENGTH:
            return {}
        country = context.country or (context.focus.country if context.focus else None)
        threshold = FUZZY_THRESHOLD if country else FUZZY_THRESHOLD_WORLDWIDE
        scored: dict[int, float] = {}
        for form in self._skeleton_index().get(skeleton(key), ()):
            score = fuzz.ratio(key, form)
            if score >= threshold:
                for i in self._exact[form]:
                    if country is None or self._places[i].country == country:
                        scored[i] = max(score, scored.get(i, 0.0))
        return scored

    def _focus_spellings(self, key: str, context: _Context) -> list[Place]:
        """Neighbourhoods of the focus city spelled nearly like `key`, when every exact
        match lies in another country: in a report from Aleppo, "Firdaus" is al-Firdous,
        not Ferdows in Iran (whose GeoNames alternate name it is)."""
        focus = context.focus
        if focus is None:
            return []
        country = context.country or focus.country
        if any(self._places[i].country == country for i in self._exact[key]):
            return []
        near = {i: score for i, score in self._fuzzy(key, context).items()
                if self._is_focus_child(self._places[i], context)}
        return self._rank(near, key, context, closeness=near) if near else []

    @staticmethod
    def _is_focus_child(place: Place, context: _Context) -> bool:
        return place.parent is not None and skeleton(fold(place.parent)) in context.focus_keys

    def _skeleton_index(self) -> dict[str, list[str]]:
        """Skeleton -> folded forms, built on the first fuzzy lookup: it would add a third to
        loading (~0.3 s of ~1 s for the default gazetteer) and exact matches never need it."""
        if self._skeletons is None:
            index: dict[str, list[str]] = {}
            for key, skel in zip(self._exact, skeleton_all(self._exact)):
                index.setdefault(skel, []).append(key)
            self._skeletons = index
        return self._skeletons

    def _rank(self, hits: Iterable[int], key: str, context: _Context,
              level: frozenset[str] | None = None,
              closeness: Mapping[int, float] | None = None) -> list[Place]:
        def score(i: int) -> tuple[bool, float]:
            place = self._places[i]
            value = self._prominence[i]
            if closeness:  # 10 points of fuzz.ratio weigh as much as 10x the population
                value -= (100.0 - closeness[i]) / 10.0
            if place.population and self._name_folds[i] != key:
                value -= ALIAS_ONLY
            focus = context.focus
            if focus is not None:
                if self._is_focus_child(place, context):
                    value += FOCUS_CHILD
                elif _same_admin1(place, focus):
                    value += FOCUS_ADMIN1
                if place.lat is not None and focus.lat is not None:
                    value += FOCUS_NEAR * max(0.0, 1.0 - _km(place, focus) / NEAR_KM)
                if place.country and place.country == focus.country:
                    value += FOCUS_COUNTRY
            if context.country and place.country == context.country:
                value += COUNTRY_PARAM
            wanted = level is None or place.precision in level or place.kind in level
            return wanted, value

        return [self._places[i] for i in sorted(dict.fromkeys(hits), key=score, reverse=True)]

    # -- context ------------------------------------------------------------------------

    def _context(self, focus: str | None, country: str | None) -> _Context:
        country_name = self._countries.get(fold(country), country) if country else None
        if not focus:
            return _Context(country=country_name)
        cache_key = f"{focus}\t{country_name}"
        if cache_key not in self._focus_cache:
            found = self._resolve(phrases.clean(focus), _Context(country=country_name))
            self._focus_cache[cache_key] = (
                self._context_of(found[0], focus, country_name) if found else _Context(country=country_name))
        return self._focus_cache[cache_key]

    @staticmethod
    def _context_of(place: Place, text: str, country: str | None) -> _Context:
        names = {text, place.name}
        if place.precision == "neighbourhood" and place.parent:
            names = {place.parent}
        return _Context(focus=place, focus_keys=frozenset(skeleton(fold(n)) for n in names),
                        country=country)

    @staticmethod
    def _is_within(place: Place, container: Place, context: _Context) -> bool:
        if place == container:
            return False
        if container.precision == "country":
            return place.country == container.country
        if Gazetteer._is_focus_child(place, context):
            return True
        if place.admin1 and container.admin1:
            return _same_admin1(place, container)
        return place.country is not None and place.country == container.country

    @staticmethod
    def _province_of(base: Place, written: str) -> Place:
        """A province named after a town ("Kharkiv Oblast") we hold no row for: no coordinate."""
        name = phrases.clean(written)
        return replace(
            base, name=f"{name} Province", kind="province", precision="province", parent=None,
            admin1=name, lat=None, lon=None, aliases=(), population=None,
            source=f"named after {base.name} ({base.source}); no sourced coordinate")


def _km(a: Place, b: Place) -> float:
    """Equirectangular distance: exact enough within NEAR_KM, and cheap."""
    dx = (a.lon - b.lon) * 111.32 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, (a.lat - b.lat) * 110.57)


def _same_admin1(a: Place, b: Place) -> bool:
    return (a.admin1 is not None and b.admin1 is not None and a.country == b.country
            and fold(a.admin1) == fold(b.admin1))


@functools.lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    gazetteer = Gazetteer(sources.load_places())
    log.debug("gazetteer loaded: %d places", len(gazetteer))
    return gazetteer
