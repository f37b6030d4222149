"""Places a sentence names, resolved through the gazetteer, and which of them are where things happen.

Candidates are named entities and runs of proper nouns, widened to take in the words reports
put around a place ("eastern Aleppo city", "Idlib Province", "the Jaloom district"). A place
that only locates another ("northwest of Aleppo city", "near Palmyra") is kept as a locator,
and a city is dropped when one of its own neighbourhoods is named beside it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..geo import Gazetteer, Place
from ..lexicon import load_triggers, normalise_actor, normalise_source
from .attribution import reporting_verbs

PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAYBE_PLACE_LABELS = {"ORG", "PERSON", "NORP"}  # the small model's usual mistakes for towns and districts
SPANS_KEY = "sitrep.place_spans"  # where _named_spans keeps its answer, in Doc.user_data
BEFORE = {"eastern", "western", "northern", "southern", "east", "west", "north", "south", "central", "rural",
          "northeastern", "northwestern", "southeastern", "southwestern", "besieged", "greater"}
AFTER = {"city", "province", "provinces", "governorate", "district", "neighbourhood", "neighborhood", "countryside",
         "town", "village", "camp", "area", "region", "suburb", "quarter"}
LOCATOR_HEADS = {"near", "outside", "towards", "toward", "beyond", "around", "nearby"}
DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "km", "kilometres",
              "kilometers", "miles", "edge", "outskirts"}
# Words that name a kind of place, not a place, even when capitalised in a headline.
GENERIC = AFTER | {"center", "centre", "airport", "base", "hospital", "square", "street", "road", "highway", "bridge",
                   "market", "mosque", "school", "university", "front", "old", "new", "the", "time"}
# Where a report is made, not where its news happened.
FRAME_NOUNS = {"report", "statement", "meeting", "conference", "summit", "interview", "briefing", "talks", "speech",
               "session", "hearing", "forum", "visit", "trip"}
FRAME_VERBS = {"speak", "publish", "issue", "meet", "visit", "hold", "brief", "address", "interview", "travel"}
PERSON_TITLES = {"spokesperson", "spokesman", "spokeswoman", "minister", "president", "official", "director",
                 "commander", "general", "colonel", "doctor", "dr", "dr.", "journalist", "reporter", "activist",
                 "resident", "envoy", "ambassador", "secretary", "chief", "head", "mayor", "governor", "mr", "mrs",
                 "ms", "mr.", "mrs.", "ms.", "correspondent", "analyst", "researcher", "coordinator", "leader",
                 "gen", "gen.", "col", "col.", "maj", "maj.", "lt", "lt.", "brig", "brig.", "capt", "capt.", "sgt",
                 "sgt.", "major", "captain", "lieutenant", "brigadier", "prof", "prof."}
PRECISION_RANK = {"neighbourhood": 0, "district": 1, "town": 2, "province": 3, "country": 4}


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int  # token offsets into the sentence Doc
    end: int
    text: str
    place: Place
    is_locator: bool
    container: int | None = None  # token inside this mention that another mention qualifies ("district of X")


def candidate_spans(doc: Doc) -> list[Span]:
    """Stretches of a sentence that may name a place."""
    spans = [e for e in doc.ents if e.label_ in PLACE_LABELS | MAYBE_PLACE_LABELS]
    taken = {i for span in spans for i in range(span.start, span.end)}
    i = 0
    while i < len(doc):  # proper nouns the NER left out: "Kalaseh, Firdous, Maadi"
        if doc[i].pos_ == "PROPN" and i not in taken and doc[i].text[:1].isupper():
            j = i
            while j + 1 < len(doc) and j + 1 not in taken and (
                    doc[j + 1].pos_ == "PROPN" or doc[j + 1].text in ("-", "al", "el")):
                j += 1
            end = j
            while end > i and doc[end].text in ("-", "al", "el"):
                end -= 1  # "the Mosul-Baghdad road": the run stops at a name already found, not at its hyphen
            spans.append(doc[i:end + 1])
            i = j + 1
        else:
            i += 1
    return [_widen(span) for span in spans]


def _widen(span: Span) -> Span:
    doc = span.doc
    start, end = span.start, span.end
    if start > 0 and doc[start - 1].lower_ in BEFORE:
        start -= 1
    if end < len(doc) and doc[end].lower_ in AFTER:
        end += 1
    return doc[start:end]


def _is_actor_or_source(span: Span) -> bool:
    """An armed group, a speaker or a person named like a place: "Free Syrian Army", "Lina Haddad"."""
    doc = span.doc
    beside = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    if any(t.ent_type_ == "PERSON" and not t.is_punct for t in beside):
        return True  # part of a person's name the entity ruler knows
    if any(t.ent_type_ in ("DATE", "TIME") for t in span) or span[-1].lower_ == "time":
        return True  # "Eastern Time"
    if span[0].lower_ in PERSON_TITLES:
        return True  # "Maj. Hassan", "Gen. Ahmad al-Shaar": a title opens a name, even one a place shares
    if span.label_ in PLACE_LABELS:
        return False
    if _is_person(span):
        return True
    text = span.text
    return normalise_actor(text) is not None or normalise_source(text) is not None


def _is_frame(span: Span) -> bool:
    """Is the place that of the telling (a press conference, a report, a speech) rather than of the event?"""
    token = span.root
    while token.dep_ in ("pobj", "prep", "compound", "appos") and token.head.i != token.i:
        token = token.head
        if token.dep_ == "prep" and token.pos_ == "ADP" and token.lower_ not in ("in", "at"):
            return False  # only "in"/"at" locate the telling; "by ... bombing of X" is the news
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in FRAME_NOUNS:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_.lower() in reporting_verbs() or token.lemma_.lower() in FRAME_VERBS
    return False


def _is_word(span: Span) -> bool:
    """A single ordinary word that happens to be capitalised ("Kills" in a headline) is not a town."""
    return len(span) == 1 and span.label_ not in PLACE_LABELS and span[0].lower_ in _lexicon_words()


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    words = set(reporting_verbs())
    for trigger in load_triggers():
        for word in trigger.trigger.split():
            words |= {word, word + "s", word + "ed", word + "d", word + "ing"}
    return frozenset(words)


def _is_person(span: Span) -> bool:
    """Named as a person: the speaker of a reporting verb, or beside a title ("spokesperson Lina Haddad")."""
    root = span.root
    if root.dep_ in ("nsubj", "agent") and root.head.lemma_ in reporting_verbs():
        return True
    neighbours = [span.doc[span.start - 1]] if span.start > 0 else []
    neighbours += [c for c in root.children if c.dep_ in ("appos", "compound")]
    if root.dep_ in ("appos", "compound"):
        neighbours.append(root.head)
    return any(t.lemma_.lower() in PERSON_TITLES for t in neighbours)


def _is_acronym_of_no_place(span: Span) -> bool:
    """Short capitals ("UN", "EU", "IS") are bodies or groups, not towns, unless our own table says so."""
    return span.label_ not in PLACE_LABELS and len(span) == 1 and span.text.isupper() and len(span.text) <= 4


def find_places(doc: Doc, gazetteer: Gazetteer, focus: str | None, country: str | None) -> list[PlaceMention]:
    """Places named in a parsed sentence, in order, with locators flagged."""
    mentions = []
    for span in _named_spans(doc):
        place = gazetteer.lookup(span.text, focus=focus, country=country)
        if place is None:
            continue
        if _is_frame(span):
            continue  # where it was said, not where it happened: "speaking in Hamburg", "a report issued in Geneva"
        mentions.append(PlaceMention(span.start, span.end, span.text, place, _is_locator(span),
                                     _qualified(span)))
    return sorted(mentions, key=lambda m: m.start)


def _named_spans(doc: Doc) -> list[Span]:
    """The spans that may name a place, whatever the document's focus: kept in the Doc, since extraction
    reads each sentence twice (once to find the focus city, once with it)."""
    found = doc.user_data.get(SPANS_KEY)
    if found is None:
        found = doc.user_data[SPANS_KEY] = [
            (span.start, span.end) for span in candidate_spans(doc)
            if not (_is_actor_or_source(span) or all(t.lower_ in GENERIC for t in span)
                    or _is_acronym_of_no_place(span) or _is_word(span))]
    return [doc[start:end] for start, end in found]


def _qualified(span: Span) -> int | None:
    """"the Saltivka district of Kharkiv": Kharkiv is said of the district, so it contains the event place."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        return root.head.head.i
    return None


def _is_locator(span: Span) -> bool:
    """Does the phrase only say where something else is ("northwest of Aleppo", "near Palmyra")?"""
    head = span.root
    if head.dep_ == "pobj":
        prep = head.head
        if prep.lower_ in LOCATOR_HEADS:
            return True
        if prep.lower_ == "of" and (prep.head.lower_ in DIRECTIONS or prep.head.lower_.endswith(("ern", "west",
                                                                                              "east"))):
            return True
    return head.dep_ == "appos" and span.start > 0 and span.doc[span.start - 1].text == ","


def event_places(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Where things happen: not locators, and no city whose own neighbourhood is also named."""
    kept = [m for m in mentions if not m.is_locator]
    kept = [m for m in kept if not any(o is not m and m.container is not None and o.start <= m.container < o.end
                                       for o in kept)]
    result, seen = [], set()
    for m in kept:
        inner = [o for o in kept if o is not m and _is_inside(o.place, m.place)]
        if inner or m.place.name in seen:
            continue
        seen.add(m.place.name)
        result.append(m)
    # only a locator named ("clashes near Azaz"): ACLED codes the event there, at a coarser precision
    return result if result else [m for m in mentions if m.is_locator][:1]


def _is_inside(inner: Place, outer: Place) -> bool:
    if inner.name == outer.name:
        return False
    if inner.parent and inner.parent == outer.name:
        return True
    rank_in, rank_out = PRECISION_RANK.get(inner.precision, 9), PRECISION_RANK.get(outer.precision, 9)
    if outer.precision == "province" and rank_in < rank_out and inner.admin1 and inner.admin1 == outer.admin1:
        return True
    return outer.precision == "country" and rank_in < rank_out and inner.country == outer.country


def focus_city(place_names: Counter[str]) -> str | None:
    """The city a document is about: the town named (itself or through its neighbourhoods) most often."""
    return place_names.most_common(1)[0][0] if place_names else None
