"""Figures in a sentence: what each counts (killed, fled, ...), of whom, and who says so.

The measure comes from the word that governs the counted noun, read from the parse: the
object of an active verb or the subject of a passive one ("killed four men", "four men were
killed"), the subject of an intransitive one ("200 fled", "150 remain"), or a nominal ("the
killing of 47 people"). The subject of an active "kill" is the killer, not the killed, so it
is not counted as killed. The table of words is data (sitrep/data/measures.tsv).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Token

from ..nlp import text_of
from ..quantities import Quantity, breakdowns, find_quantities

RAISING = {"believe", "say", "report", "estimate", "think", "expect", "fear", "feared", "thought", "know",
           "seem", "appear", "continue", "begin", "start", "help", "force", "allow", "let", "make", "see"}
PATIENT_DEPS = {"dobj", "nsubjpass", "obj", "attr", "oprd"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
MAX_HOPS = 4


@dataclass(frozen=True, slots=True)
class Figure:
    """A count found in a sentence, before attribution: offsets are into the sentence text."""

    quantity: Quantity
    measure: str
    subject: str | None
    part_of: int | None  # index of the total this figure breaks down
    token: int  # the number's token in the sentence Doc, for attribution


@lru_cache(maxsize=1)
def measure_words() -> dict[tuple[str, str], str]:
    """(lemma, role) -> measure, from data/measures.tsv."""
    with files("sitrep.data").joinpath("measures.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {(row["lemma"], row["role"]): row["measure"] for row in rows}


def find_figures(doc: Doc) -> list[Figure]:
    """Every count in a parsed sentence with its measure and counted subject."""
    quantities = find_quantities(text_of(doc))
    links = dict((part, total) for total, part in breakdowns(text_of(doc), quantities))
    figures: list[Figure] = []
    for index, quantity in enumerate(quantities):
        span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        if span is None:
            continue
        number = span[-1]
        noun = _counted_noun(number, quantity, doc)
        # "thousands of civilians": what happened is said of the number, what was counted is the noun
        measure = _measure(noun, number if noun.dep_ == "pobj" and noun.head.head.i == number.i else noun)
        total = links.get(index)
        if total is not None and measure == "other" and figures and total < len(figures):
            measure = figures[total].measure  # "127 killed, including 23 children": parts share the measure
        subject = quantity.head or (figures[-1].subject if figures else None)
        figures.append(Figure(quantity, measure, subject, total, number.i))
    return figures


def _counted_noun(number: Token, quantity: Quantity, doc: Doc) -> Token:
    """The noun a number counts: "four [men]", "hundreds of [men]", or the number itself when alone."""
    if quantity.head_end is not None:
        head = doc.char_span(quantity.head_start, quantity.head_end, alignment_mode="expand")
        if head is not None and not _is_partitive(head.root, number):
            return head.root
    if number.dep_ in ("nummod", "quantmod") and number.head.pos_ in ("NOUN", "PROPN"):
        return number.head
    return number


def _is_partitive(noun: Token, number: Token) -> bool:
    """"one of its colonels": the number, not the noun, heads the phrase (unlike "thousands of civilians")."""
    return (noun.dep_ == "pobj" and noun.head.head.i == number.i
            and any(c.dep_ in ("det", "poss") for c in noun.children))


def _measure(noun: Token, start: Token) -> str:
    """What happened to the counted people: the governing word first ("wounded patients were evacuated"
    were evacuated), then the noun's own modifiers ("a doctor wounded"), then the noun itself ("45 bodies")."""
    words = measure_words()
    measure = _governing_measure(start, noun, words)
    if measure != "other":
        return measure
    for child in noun.children:  # "a doctor wounded", "civilians killed in"
        if child.dep_ in ("acl", "amod", "relcl") and (child.lemma_, "patient") in words and child.tag_ == "VBN":
            return words[(child.lemma_, "patient")]
        if child.dep_ in ("acl", "relcl") and (child.lemma_, "subject") in words and child.tag_ == "VBG":
            return words[(child.lemma_, "subject")]  # "50,000 civilians fleeing to"
        if child.dep_ == "amod" and (child.lemma_, "subject") in words:
            return words[(child.lemma_, "subject")]
    return words.get((noun.lemma_.lower(), "noun"), "other")


def _governing_measure(start: Token, noun: Token, words: dict[tuple[str, str], str]) -> str:
    token = start
    for _ in range(MAX_HOPS):
        head, dep = token.head, token.dep_
        if head.i == token.i:
            break
        if dep == "conj" or dep == "appos":
            token = head
            continue
        if dep == "pobj":
            prep = head
            if prep.lower_ in ("of", "at", "to") and (prep.head.lemma_, "noun") in words:
                return words[(prep.head.lemma_, "noun")]  # "the killing of 47 people", "toll rose to 40"
            if prep.lower_ == "including":
                token = prep.head
                continue
            return "other"
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            measure = _verb_measure(head, dep, words)
            if measure:
                return measure
            return _complement_measure(head, noun, words) or "other"
        if (head.lemma_, "noun") in words and dep in ("compound", "nmod"):
            return words[(head.lemma_, "noun")]
        token = head
    return "other"


def _complement_measure(verb: Token, noun: Token, words: dict[tuple[str, str], str], depth: int = 2) -> str | None:
    """The counted people do what a complement says: "were able to leave", "are believed to remain",
    "helped 8,000 flee"."""
    for child in verb.children:
        if child.i < noun.i:
            continue
        if child.dep_ in ("xcomp", "acomp") or (child.dep_ == "ccomp" and verb.lemma_ in RAISING):
            measure = _verb_measure(child, "nsubj", words) if child.pos_ in ("VERB", "AUX") else None
            if measure or depth == 0:
                return measure
            measure = _complement_measure(child, noun, words, depth - 1)
            if measure:
                return measure
    return None


def _verb_measure(verb: Token, dep: str, words: dict[tuple[str, str], str]) -> str | None:
    lemma = verb.lemma_.lower()
    for child in verb.children:  # "gone missing", "were left dead", "shot down", "laid down their arms"
        if child.dep_ in ("acomp", "oprd", "prt") and (f"{lemma} {child.lower_}", "patient") in words:
            return words[(f"{lemma} {child.lower_}", "patient")]
        if child.dep_ == "prt" and dep in SUBJECT_DEPS and (f"{lemma} {child.lower_}", "subject") in words:
            return words[(f"{lemma} {child.lower_}", "subject")]
        if child.dep_ in ("acomp", "oprd") and (child.lemma_, "subject") in words and dep in SUBJECT_DEPS:
            return words[(child.lemma_, "subject")]
    is_passive = dep == "nsubjpass" or any(c.dep_ == "auxpass" for c in verb.children) or (
        verb.tag_ == "VBN" and not any(c.lemma_ == "have" for c in verb.children))  # "and a doctor wounded"
    if (dep in PATIENT_DEPS or (dep == "nsubj" and is_passive)) and (lemma, "patient") in words:
        return words[(lemma, "patient")]
    if dep in SUBJECT_DEPS and (lemma, "subject") in words:
        return words[(lemma, "subject")]
    if dep in SUBJECT_DEPS and is_passive and verb.tag_ == "VBN" and (lemma, "subject") in words:
        return words[(lemma, "subject")]
    return None
