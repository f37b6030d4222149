"""Who says so, and how sure: the speaker and modality of what a sentence reports.

Attribution comes from reporting verbs with a subject ("the LCC verified", "Lavrov said",
"the military claimed"), from "according to X", from the agent of a passive ("was reported by
X"), and from hedges ("reportedly", "allegedly", "could not be independently verified"). A
sentence with none keeps the speaker of the sentence before it in the same paragraph, or
of the entry when it hedges; otherwise it is the outlet's own voice.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span, Token

from ..lexicon import normalise_source

PRONOUNS = {"he", "she", "they", "it", "we", "i"}
UNCONFIRMED = re.compile(
    r"could ?n[o']t (?:be )?(?:independently )?(?:verif|confirm)|can ?n[o']t (?:be )?(?:independently )?"
    r"(?:verif|confirm)|\bunconfirmed\b|\bunverified\b|no (?:corroborat|independent confirmation|evidence)"
    r"|not (?:been )?(?:independently )?(?:verified|confirmed)", re.IGNORECASE)
HEDGES = {"reportedly": "reported", "allegedly": "alleged", "purportedly": "claimed", "apparently": "reported"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
LEADING = re.compile(r"^(?:the|a|an|its|their|his|her|another|other)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    claimant: str  # normalised name
    raw: str  # as written
    modality: str
    token: int  # the reporting verb or "according", whose subtree the attribution covers
    span: tuple[int, int]  # token range of the claimant phrase, which is not itself attributed


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, str]:
    with files("sitrep.data").joinpath("reporting.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {row["lemma"]: row["modality"] for row in rows}


def find_attributions(doc: Doc, previous: Attribution | None = None) -> list[Attribution]:
    """Every explicit attribution in a parsed sentence; pronoun speakers take `previous`'s name."""
    verbs = reporting_verbs()
    found = []
    for token in doc:
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            to = next(c for c in token.children if c.lower_ == "to")
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if objects:
                found.append(_make(doc, _phrase(objects[0]), "reported", token.i, previous))
        elif token.pos_ in ("VERB", "AUX") and token.lemma_ in verbs:
            speaker = _speaker(token)
            if speaker is not None:
                found.append(_make(doc, speaker, verbs[token.lemma_], token.i, previous))
    return [a for a in found if a.claimant]


def _speaker(verb: Token) -> Span | None:
    """The subject of an active reporting verb, or the agent of a passive one."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _phrase(child)
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _phrase(objects[0])
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _speaker(verb.head)  # "the ministry said ... and added that ..."
    return None


def _phrase(head: Token) -> Span:
    """The noun phrase a head word stands for, without relative clauses or trailing appositions."""
    doc = head.doc
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("compound", "flat", "poss", "amod", "nummod") or (
                child.dep_ == "prep" and child.lower_ == "of"):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "appos" and child.ent_type_ in ("PERSON", "ORG"):
            right = max(right, child.right_edge.i)
    return doc[left:right + 1]


def _make(doc: Doc, phrase: Span, modality: str, token: int, previous: Attribution | None) -> Attribution:
    raw = LEADING.sub("", phrase.text.strip(" ,;:—–-\"“”'"))
    if raw.lower() in PRONOUNS and previous is not None:
        return Attribution(previous.claimant, previous.raw, modality, token, (phrase.start, phrase.end))
    if raw.lower() in PRONOUNS:
        raw = ""
    return Attribution(normalise_claimant(raw), raw, modality, token, (phrase.start, phrase.end))


def normalise_claimant(raw: str) -> str:
    """The source list's name for a speaker, or the words as written when it is not listed."""
    if not raw:
        return ""
    source = normalise_source(raw)
    if source is None or source.is_anonymous:  # "a source within the opposition", "Journalist Rami Jarrah"
        return raw
    return source.name


def hedge_of(doc: Doc) -> str | None:
    """The modality a sentence's hedges give, with no named speaker: unconfirmed, alleged, reported."""
    if UNCONFIRMED.search(doc.text):
        return "unconfirmed"
    for token in doc:
        if token.lower_ in HEDGES:
            return HEDGES[token.lower_]
        if token.lemma_ == "allege" and token.tag_ == "VBN":  # "are alleged to have abducted"
            return "alleged"
    return None


def covering(attributions: list[Attribution], doc: Doc, index: int) -> Attribution | None:
    """The attribution whose verb governs token `index` (nearest first), else the sentence's first."""
    candidates = [a for a in attributions if not a.span[0] <= index < a.span[1]]
    if not candidates:
        return None
    by_token = {a.token: a for a in candidates}
    token = doc[index]
    while True:
        if token.i in by_token:
            return by_token[token.i]
        if token.head.i == token.i:
            break
        token = token.head
    return candidates[0]
