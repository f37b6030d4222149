"""Extract: events and claims from one parsed document, each with the words it came from.

Sentence by sentence, in reading order, keeping the context a reader keeps: the document's
focus city (the town it names most, through its neighbourhoods too), the speaker of the last
attributed sentence, the last date and place named in the paragraph, and the day a section's
lede gives its story and the one place it names ("In an offensive on Thursday, ISIS advanced on
Palmyra" under a heading dates and places the paragraphs that follow it).
"""
from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Token

from ..dates import DateResolution, find_date_expressions, resolve_date
from ..geo import Gazetteer, Place
from ..lexicon import Actor, family_of, load_actors, normalise_actor
from ..model import Claim, Event, Evidence, Location, Range
from ..nlp import ParsedDocument, Sentence, text_of
from .attribution import Attribution, covering, find_attributions, hedge_of, reporting_verbs
from .claims import Figure, find_figures
from .events import find_triggers
from .places import PlaceMention, event_places, find_places, focus_city

__all__ = ["extract"]

CASUALTY_MEASURES = ("killed", "injured")
RECENT_ADVERBS = {"just", "now", "recently", "today", "tonight"}
CLOSERS = " \t\"'”’»)]"  # what may follow a sentence's last mark
FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
GIVEN_DETERMINERS = {"the", "this", "that", "these", "those"}
# A place changes hands once: the same change of control told a day apart in one document (the original
# entry's "seized on Thursday", the evening update's "completed the capture today") is one event.
ONE_OFF_SUB_TYPES = frozenset({"Government regains territory", "Non-state actor overtakes territory",
                               "Non-violent transfer of territory"})


@dataclass(slots=True)
class _Context:
    """What carries from one sentence to the next."""

    paragraph: int = -1
    entry: int | None = None
    places: list[PlaceMention] = field(default_factory=list)
    speaker: Attribution | None = None
    speaker_paragraph: int = -1
    introduces_quote: bool = False  # the last sentence ended "X said:": the next paragraph is X's
    day: DateResolution | None = None  # the last date named in this paragraph
    section_day: DateResolution | None = None  # the day the lede under the last heading dates its story by
    section_places: list[PlaceMention] = field(default_factory=list)  # the one place that lede names
    awaiting_lede: bool = False  # a heading was read; the next untimed paragraph is its section's lede


def extract(parsed: ParsedDocument, gazetteer: Gazetteer) -> tuple[tuple[Event, ...], tuple[Claim, ...]]:
    """Events (one per type, place and day) and claims (one per figure) of one document."""
    document = parsed.document
    focus, country = _focus(parsed, gazetteer)
    focus_place = gazetteer.lookup(focus, country=country) if focus else None
    context = _Context()
    events: dict[str, Event] = {}
    claims: list[Claim] = []
    for sentence in parsed.sentences:
        if sentence.doc is None:
            continue
        timed = sentence.entry is not None and document.entries[sentence.entry].time is not None
        if sentence.paragraph != context.paragraph:
            # a timed update has its own moment; other paragraphs of a section follow its lede's day
            context.paragraph, context.day = sentence.paragraph, None if timed else context.section_day
            if not timed:  # a live-blog update keeps its place across paragraphs; an article's section its lede's
                context.places = list(context.section_places)
        if sentence.entry != context.entry:
            context.entry, context.speaker, context.places = sentence.entry, None, []
        _read_sentence(document, sentence, gazetteer, focus, country, focus_place, context, events, claims)
    return _fold_one_offs(list(events.values())), tuple(claims)


def _focus(parsed: ParsedDocument, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    towns: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for sentence in parsed.sentences:
        if sentence.doc is None:
            continue
        for mention in find_places(sentence.doc, gazetteer, None, None):
            place = mention.place
            if place.country:
                countries[place.country] += 1
            if place.precision == "town":
                towns[place.name] += 1
            elif place.precision in ("neighbourhood", "district") and place.parent:
                towns[place.parent] += 1
    country = countries.most_common(1)[0][0] if countries else None
    return focus_city(towns), country


def _read_sentence(document, sentence: Sentence, gazetteer: Gazetteer, focus: str | None, country: str | None,
                   focus_place: Place | None, context: _Context, events: dict[str, Event],
                   claims: list[Claim]) -> None:
    doc = sentence.doc
    if _is_heading(doc):
        context.day, context.section_day, context.section_places = None, None, []  # a new section starts afresh
        context.awaiting_lede = True
        return  # headlines repeat the story
    if text_of(doc).rstrip(CLOSERS).endswith("?"):
        return  # questions report nothing, quoted or not
    attributions = find_attributions(doc, previous=context.speaker, country=country)
    hedge = hedge_of(doc)
    timed_entry = sentence.entry is not None and document.entries[sentence.entry].time is not None
    inherited = None
    # the speaker carries on through its paragraph, and through a live-blog update when the text hedges
    if context.speaker is not None and (context.speaker_paragraph == sentence.paragraph or (hedge and timed_entry)
                                        or (context.introduces_quote and context.speaker_paragraph
                                            == sentence.paragraph - 1)):
        inherited = context.speaker
    mentions = find_places(doc, gazetteer, focus, country)
    dates = _sentence_dates(doc, sentence.anchor)
    news = [d for _, d in dates if not d.is_background]
    day = news[0] if news else None
    is_background = bool(dates) and not news
    if context.awaiting_lede and not timed_entry:
        context.awaiting_lede = False
        context.section_day = _lede_day(doc, dates)
        lede_places = event_places(mentions)
        context.section_places = lede_places if len(lede_places) == 1 else []
    if day is None and not is_background:
        day = context.day
    figures = find_figures(doc)
    evidence = Evidence(document.id, sentence.start, sentence.end, document.text[sentence.start:sentence.end])
    outlet = document.outlet or "the outlet"

    claim_ids: list[str] = []
    for figure in figures:
        if figure.measure == "other" and not figure.subject:
            claim_ids.append("")
            continue
        speaker = covering(attributions, doc, figure.token)
        if inherited is not None and (speaker is None or speaker.is_generic):
            speaker = inherited if speaker is None else _with_modality(inherited, speaker.modality)
        modality = _modality(speaker, hedge, [a for a in attributions if a is not speaker], doc, figure.token)
        q = figure.quantity
        claim_id = _hash(document.id, "claim", str(sentence.start + q.start), str(sentence.start + q.end))
        claim_ids.append(claim_id)
        place = next((m.text for m in mentions if not m.is_locator), None)
        claims.append(Claim(
            id=claim_id, document=document.id,
            claimant=speaker.claimant if speaker else outlet, claimant_raw=speaker.raw if speaker else outlet,
            measure=figure.measure, subject=figure.subject, value=q.value, is_vague=q.is_vague,
            modality=modality, date=day.start if day and not is_background else None, place=place,
            part_of=_total_id(claim_ids, figure.part_of),
            evidence=(evidence,)))

    if not is_background and not _is_caption(doc):
        _add_events(document, doc, sentence, mentions, dates, figures, attributions, inherited, country,
                    focus_place, context, events, evidence, gazetteer)
    named = [a for a in attributions if not a.is_generic]
    if named:
        context.speaker, context.speaker_paragraph = named[-1], sentence.paragraph
    elif inherited is not None:
        context.speaker_paragraph = sentence.paragraph
    context.introduces_quote = bool(named) and text_of(doc).rstrip().endswith(":")
    if day is not None and not is_background:
        context.day = day


def _add_events(document, doc: Doc, sentence: Sentence, mentions: list[PlaceMention],
                dates: list[tuple[int, DateResolution]],
                figures: list[Figure], attributions: list[Attribution], inherited: Attribution | None,
                country: str | None, focus_place: Place | None, context: _Context, events: dict[str, Event],
                evidence: Evidence, gazetteer: Gazetteer) -> None:
    actors = _actors(doc, country)
    triggers = find_triggers(doc, actors[0][0] if actors else None, country)
    if not triggers:
        return
    places = event_places(mentions)
    if places:
        context.places = places
    elif len(context.places) == 1:
        places = context.places  # "... in al-Bab. The rebels pulled back after two suicide bombs."
    locations = [_location(m.text, m.place) for m in places]
    if not locations:
        institution = _institution_place(text_of(doc), gazetteer)
        place = institution or focus_place
        locations = [_location(place.name, place)] if place is not None else []
    # ACLED places every event inside a country; a report naming only the country is too vague to code.
    locations = [loc for loc in locations if loc.precision != "country"]
    if not locations:
        return
    casualties = {m: next((f.quantity.value for f in figures if f.measure == m and f.part_of is None), None)
                  for m in CASUALTY_MEASURES}
    told = {family_of(e.event_type) for e in events.values()}
    for found in triggers:
        if found.trigger.is_weak and found.trigger.family in told and _is_given(doc, found.start, found.end):
            continue  # "No one was hurt in the attack": the strike told before, not another event
        day = _event_day(doc, found.start, dates, context.day)
        if day is not None and day.is_background:
            continue  # "has held the town since August": context, not news
        when, precision = (day.start, day.precision) if day else _undated(doc, sentence, found.start)
        speaker = covering(attributions, doc, found.start) or inherited
        for location in locations:
            key = _hash(document.id, found.trigger.event_type, _place_of(location), str(when))
            single = len(locations) == 1
            event = Event(
                id=key, document=document.id, event_type=found.trigger.event_type,
                sub_event_type=found.trigger.sub_event_type, date=when, date_precision=precision,
                location=location, actors=tuple(dict.fromkeys(a.name for a, _ in actors)),
                actors_raw=tuple(dict.fromkeys(raw for _, raw in actors)),
                killed=casualties["killed"] if single else None, injured=casualties["injured"] if single else None,
                sources=(speaker.claimant,) if speaker else (), evidence=(evidence,))
            events[key] = _merge(events.get(key), event)


def _fold_one_offs(events: list[Event]) -> tuple[Event, ...]:
    """Changes of control at one place told on days one apart fold into the earliest (see ONE_OFF_SUB_TYPES)."""
    kept: list[Event] = []
    for event in sorted(events, key=lambda e: (e.date is None, e.date or date.min)):
        twin = next((i for i, k in enumerate(kept) if event.sub_event_type in ONE_OFF_SUB_TYPES
                     and k.sub_event_type == event.sub_event_type and _place_of(k) == _place_of(event)
                     and k.date is not None and event.date is not None and abs((event.date - k.date).days) <= 1),
                    None)
        if twin is None:
            kept.append(event)
        else:
            kept[twin] = _merge(kept[twin], event)
    order = {e.id: n for n, e in enumerate(events)}
    return tuple(sorted(kept, key=lambda e: order[e.id]))


def _place_of(where: Event | Location | None) -> str | None:
    """The gazetteer place a location stands for, however it was written."""
    location = where.location if isinstance(where, Event) else where
    if location is None:
        return None
    return location.aliases[0] if location.aliases else location.name


def _merge(old: Event | None, new: Event) -> Event:
    """The same event told twice in one document: one record, every quote."""
    if old is None:
        return new
    return Event(
        id=old.id, document=old.document, event_type=old.event_type, sub_event_type=old.sub_event_type,
        date=old.date, date_precision=old.date_precision, location=old.location,
        actors=tuple(dict.fromkeys(old.actors + new.actors)),
        actors_raw=tuple(dict.fromkeys(old.actors_raw + new.actors_raw)),
        killed=old.killed or new.killed, injured=old.injured or new.injured,
        sources=tuple(dict.fromkeys(old.sources + new.sources)),
        evidence=old.evidence + tuple(e for e in new.evidence if e not in old.evidence))


def _modality(speaker: Attribution | None, hedge: str | None, others: list[Attribution], doc: Doc,
              index: int) -> str:
    """How sure the text is of a figure: its speaker's verb, sharpened by hedges and report nouns around it."""
    modality = speaker.modality if speaker else "asserted"
    if hedge in ("denied", "unconfirmed") and speaker is not None or (speaker is None and hedge):
        return hedge
    generic = [a for a in others if a.is_generic]
    inner = covering(generic, doc, index)  # "the UN said ... allegations that 'hundreds have gone missing'"
    if inner is not None and inner.modality in ("alleged", "claimed", "unconfirmed") and modality == "reported":
        return inner.modality
    if hedge in ("alleged", "reported") and modality == "reported":
        return hedge
    return modality


def _with_modality(attribution: Attribution, modality: str) -> Attribution:
    return Attribution(attribution.claimant, attribution.raw, modality, attribution.token, attribution.span)


def _total_id(claim_ids: list[str], total: int | None) -> str | None:
    return claim_ids[total] or None if total is not None and total < len(claim_ids) else None


def _location(written: str, place: Place) -> Location:
    return Location(name=written.removeprefix("the ").strip(), admin1=place.admin1, country=place.country,
                    lat=place.lat, lon=place.lon, precision=place.precision,
                    aliases=tuple(dict.fromkeys((place.name, *place.aliases))))


@lru_cache(maxsize=1)
def _actor_words() -> frozenset[str]:
    """Every word of every actor alias: a phrase with none of them names no actor."""
    return frozenset(w for actor in load_actors() for alias in actor.aliases for w in alias.lower().split())


def _actors(doc: Doc, country: str | None) -> list[tuple[Actor, str]]:
    found: dict[str, tuple[Actor, str]] = {}
    words = _actor_words()
    for span in list(doc.ents) + list(doc.noun_chunks):
        if not any(t.lower_ in words for t in span):
            continue
        actor = normalise_actor(span.text, country)
        if actor is not None and actor.name not in found:
            found[actor.name] = (actor, span.text)
    return sorted(found.values(), key=lambda pair: text_of(doc).find(pair[1]))


def _sentence_dates(doc: Doc, anchor: date | datetime | None) -> list[tuple[int, DateResolution]]:
    """Every date a sentence gives, with the token it hangs on, resolved against the anchor.

    Found by the dates module's own scanner rather than the statistical NER, which splits
    "since August" and "Tuesday night" and reads "UPDATE 1850 GMT" as a date.
    """
    if anchor is None:
        return []
    future = any(t.tag_ == "MD" and t.lower_ in ("will", "shall", "'ll") for t in doc)
    found = []
    for start, end, text in find_date_expressions(text_of(doc)):
        resolution = resolve_date(text, anchor, future=future)
        span = doc.char_span(start, end, alignment_mode="expand")
        if resolution is not None and span is not None:
            found.append((span.root.i, resolution))
    return found


def _event_day(doc: Doc, trigger: int, dates: list[tuple[int, DateResolution]],
               carried: DateResolution | None) -> DateResolution | None:
    """The date of the trigger's own clause: one it governs, or one on the main clause it belongs to.

    "a report published today describes allegations that hundreds have gone missing": "today" dates
    the report, not the disappearances.
    """
    verb = doc[trigger] if doc[trigger].pos_ in ("VERB", "AUX") else doc[trigger].head
    if (when := _when_day(doc, _clause_head(doc[trigger]), dates)) is not None:
        return when
    governing = _governing_clauses(verb)
    for index, resolution in dates:
        token = doc[index]
        if verb in token.ancestors or doc[trigger] in token.ancestors or _clause_head(token) in governing:
            return resolution
        if _clause_head(token) == _clause_head(verb) or _clause_head(token).dep_ == "ROOT" and verb.dep_ in (
                "ROOT", "ccomp", "conj", "advcl"):
            return resolution
    return carried if not dates else None


def _when_day(doc: Doc, verb: Token, dates: list[tuple[int, DateResolution]]) -> DateResolution | None:
    """"on June 19, when six people were killed": a clause opened by "when" right after a date is that day's,
    however the parser attached it."""
    when = next((c for c in verb.children if c.lower_ == "when" and c.dep_ == "advmod"), None)
    if when is None or when.i == 0:
        return None
    before = doc[when.i - 1] if doc[when.i - 1].text != "," or when.i < 2 else doc[when.i - 2]
    return next((resolution for index, resolution in dates if before in doc[index].subtree), None)


def _is_caption(doc: Doc) -> bool:
    """A line with no finite verb that ends in a colon introduces a picture or a video ("Sounds of bombardment:",
    "Footage of the fighting, with fighters running across a field:"): it shows, it does not report."""
    return text_of(doc).rstrip(CLOSERS).endswith(":") and not any(t.tag_ in FINITE_TAGS for t in doc)


def _is_given(doc: Doc, start: int, end: int) -> bool:
    """Is a trigger noun phrase definite ("the attack", "this explosion"), so an occurrence already told? Not
    when its own words make it definite ("the killing of 127 people", "the attack that hit the market")."""
    root = doc[start:end].root
    if root.pos_ not in ("NOUN", "PROPN"):
        return False
    children = list(root.children)
    if any(c.dep_ in ("acl", "relcl") or (c.dep_ == "prep" and c.lower_ in ("of", "on", "against")) for c in children):
        return False
    return any(c.dep_ == "det" and c.lower_ in GIVEN_DETERMINERS for c in children)


def _lede_day(doc: Doc, dates: list[tuple[int, DateResolution]]) -> DateResolution | None:
    """The day a section's first sentence gives its main clause ("In a sudden offensive on Thursday, ISIS
    has defeated ..."), which the section's later paragraphs elaborate; not a day of a side clause ("the
    opposition, which proposed a ceasefire on Wednesday") nor a vaguer period."""
    for index, resolution in dates:
        if (resolution.precision == "day" and not resolution.is_background
                and _clause_head(doc[index]).dep_ == "ROOT"):
            return resolution
    return None


def _governing_clauses(verb: Token) -> list[Token]:
    """The clauses a verb's time comes from: those it is an adverbial or coordinated part of ("struck the
    market on Tuesday, killing six"; "attacked the town on Monday and seized the bridge")."""
    found = []
    while verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
        found.append(verb)
    return found


def _clause_head(token: Token) -> Token:
    """The verb a word's clause hangs on: climb through prepositions and noun phrases."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def _undated(doc: Doc, sentence: Sentence, trigger: int) -> tuple[date | None, str | None]:
    """No date in the clause: the day of the live-blog update or of publication, except for the perfect
    ("hundreds have disappeared", "had been abducted"), which places an act before the report but on no
    day, unless an adverb brings it to the moment of writing ("have just seized", "has now surrounded")."""
    anchor = _day(sentence.anchor)
    if anchor is None or _is_perfect(doc, trigger):
        return None, None
    return anchor, "day"


@lru_cache(maxsize=1)
def _institutions() -> tuple[tuple[re.Pattern[str], str], ...]:
    with files("sitrep.data").joinpath("institutions.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return tuple((re.compile(row["pattern"], re.IGNORECASE), row["place"]) for row in rows)


def _institution_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """Where a body that acts in one city acts: a Security Council veto happens in New York."""
    for pattern, name in _institutions():
        if pattern.search(text):
            return gazetteer.lookup(name)
    return None


def _is_perfect(doc: Doc, index: int) -> bool:
    """Is the trigger's clause in the perfect ("have seized", "had been killed") in the writer's own voice,
    with no "just" or "now"?"""
    verb = doc[index] if doc[index].pos_ in ("VERB", "AUX") else doc[index].head
    if any(c.lower_ in RECENT_ADVERBS for c in verb.children):
        return False
    if verb.dep_ == "ccomp" and verb.head.lemma_ in reporting_verbs():
        return False  # reported speech shifts tenses back: "the military claimed 30 had surrendered"
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve", "had", "'d") for c in verb.children)


def _is_heading(doc: Doc) -> bool:
    """A title-case line without a full stop: "Regime Bombing Destroys Civil Defense Center"."""
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return (not text_of(doc).rstrip().endswith((".", "”", '"', "’", ":"))
            and len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words))


def _day(anchor: date | datetime | None) -> date | None:
    return anchor.date() if isinstance(anchor, datetime) else anchor


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
