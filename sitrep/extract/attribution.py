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
from ..nlp import text_of

PRONOUNS = {"he", "she", "they", "it", "we", "i"}
# Bare nouns that refer back to a speaker already named rather than name a new one.
ANAPHORS = {"group", "organisation", "organization", "agency", "ministry", "monitor", "military", "army",
            "committee", "network", "body", "office", "watchdog", "charity", "force", "forces", "spokesman",
            "spokeswoman", "spokesperson", "official", "officials"}
SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "official", "representative", "director", "head",
                "chief", "minister", "envoy", "commander", "coordinator", "officer", "adviser", "advisor"}
UNCONFIRMED = re.compile(
    r"could ?n[o']t (?:be )?(?:independently )?(?:verif|confirm)|can ?n[o']t (?:be )?(?:independently )?"
    r"(?:verif|confirm)|\bunconfirmed\b|\bunverified\b|no (?:corroborat|independent confirmation|evidence)"
    r"|not (?:been )?(?:independently )?(?:verified|confirmed)", re.IGNORECASE)
HEDGES = {"reportedly": "reported", "allegedly": "alleged", "purportedly": "claimed", "apparently": "reported"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Nouns that carry what someone says: "the UN's comments that ...", "amid reports that ...", "allegations that".
REPORT_NOUNS = {"report": "reported", "comment": "reported", "statement": "reported", "account": "reported",
                "estimate": "reported", "figure": "reported", "testimony": "reported", "warning": "reported",
                "claim": "claimed", "assertion": "claimed", "allegation": "alleged", "accusation": "alleged",
                "rumour": "unconfirmed", "rumor": "unconfirmed", "denial": "denied"}
# Words with which a speaker dismisses what it quotes: "tales ... were Russophobic chatter".
DISMISSALS = re.compile(r"\b(chatter|lies|lying|fabricat\w*|propaganda|fake|baseless|unfounded|nonsense|hoax|"
                        r"false|untrue|not true|misinformation|disinformation|slander\w*|absurd)\b", re.IGNORECASE)
# A speaker after a closing quote: “...,” Barnard reports. / “...,” said the spokesman.
QUOTE_TAIL = re.compile(r"[”\"’]\s*,?\s*(?:(?P<who>[A-Z][^,“”\"]{1,60}?)\s+(?P<verb>said|says|reports|reported|"
                        r"told \w+|added|claimed|claims|wrote|explained|stated)"
                        r"|(?P<verb2>said|says|added|claimed|wrote)\s+(?P<who2>[^,“”\"]{2,60}?))\s*\.?\s*$")
LEADING = re.compile(r"^(?:the|a|an|its|their|his|her|another|other)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    claimant: str  # normalised name
    raw: str  # as written
    modality: str
    token: int  # the reporting verb or "according", whose subtree the attribution covers
    span: tuple[int, int]  # token range of the claimant phrase, which is not itself attributed
    is_generic: bool = False  # "reports that ...", "according to the statement": says how, not who


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, str]:
    with files("sitrep.data").joinpath("reporting.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {row["lemma"]: row["modality"] for row in rows}


def find_attributions(doc: Doc, previous: Attribution | None = None, country: str | None = None) -> list[Attribution]:
    """Every explicit attribution in a parsed sentence; a pronoun speaker is the nearest one named before it.

    `country` (the document's) picks between sources sharing a name ("Red Crescent").
    """
    verbs = reporting_verbs()
    found: list[Attribution] = []
    for token in doc:
        before = next((a for a in reversed(found) if not a.is_generic), previous)
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            to = next(c for c in token.children if c.lower_ == "to")
            objects = [c for c in to.children if c.dep_ == "pobj"]
            if objects and objects[0].lemma_.lower() in REPORT_NOUNS and not _owners(objects[0]):
                found.append(_generic(objects[0], "reported", token.i))  # "according to the statement"
            elif objects:
                found.append(_make(doc, _phrase(objects[0]), "reported", token.i, before, country))
        elif token.pos_ in ("VERB", "AUX") and token.lemma_ in verbs:
            speaker = _speaker(token)
            if speaker is not None:
                found.append(_make(doc, speaker, verbs[token.lemma_], token.i, before, country))
        elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in REPORT_NOUNS and _has_clause(token):
            found.append(_nominal(doc, token, before, country))
    if not found:
        found.extend(_quote_tail(doc, previous, country))
    return [a for a in found if a.claimant]


def _has_clause(noun: Token) -> bool:
    """"reports that ...", "allegations that ...": the noun introduces what is said."""
    return any(c.dep_ in ("acl", "ccomp", "relcl") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
               for c in noun.children) or any(c.dep_ == "prep" and c.lower_ == "of" and c.i == noun.i + 1
                                             and noun.lemma_.lower() in ("report", "allegation", "claim")
                                             for c in noun.children)


def _nominal(doc: Doc, noun: Token, previous: Attribution | None, country: str | None) -> Attribution:
    """The owner of a report noun speaks ("the UN's comments that"); with none, the noun itself does."""
    modality = REPORT_NOUNS[noun.lemma_.lower()]
    owners = _owners(noun)
    if owners:
        phrase = doc[owners[0].left_edge.i:owners[0].i + 1]
        return _make(doc, phrase, modality, noun.i, previous, country)
    return _generic(noun, modality, noun.i)


def _owners(noun: Token) -> list[Token]:
    return [c for c in noun.children if c.dep_ in ("poss", "compound") and c.pos_ in ("PROPN", "NOUN")]


def _generic(noun: Token, modality: str, token: int) -> Attribution:
    raw = noun.text.lower()
    return Attribution(raw, raw, modality, token, (noun.i, noun.i + 1), is_generic=True)


def _quote_tail(doc: Doc, previous: Attribution | None, country: str | None) -> list[Attribution]:
    m = QUOTE_TAIL.search(text_of(doc))
    if not m:
        return []
    who = m.group("who") or m.group("who2")
    start = m.start("who") if m.group("who") else m.start("who2")
    span = doc.char_span(start, start + len(who), alignment_mode="expand")
    if span is None:
        return []
    return [_make(doc, span, "reported", doc[0].sent.root.i, previous, country)]


def _speaker(verb: Token) -> Span | None:
    """The subject of an active reporting verb, or the agent of a passive one."""
    quoting = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "as" else verb.head
    if verb.dep_ in ("advcl", "xcomp", "pcomp") and quoting.lemma_ in ("quote", "cite"):
        quoted = [c for c in quoting.children if c.dep_ == "dobj"]
        if quoted:  # "quoted a military source as saying": the source speaks, not the one quoting it
            return _phrase(quoted[0])
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _phrase(child)
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return _phrase(objects[0])
    if verb.dep_ in ("conj", "advcl", "xcomp"):
        # "the ministry said ... and added that ...", "the military appears to agree, claiming ...":
        # the speaker of a participle or a second verb is that of the nearest reporting verb above it,
        # else of the main clause ("Lavrov admitted that the offensive had resumed, claiming" is Lavrov's)
        head = verb.head
        while head.lemma_ not in reporting_verbs() and head.dep_ != "ROOT" and head.head.i != head.i:
            head = head.head
        if head.i != verb.i:
            return _speaker(head) if head.lemma_ in reporting_verbs() else _subject(head)
    return None


def _subject(verb: Token) -> Span | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return _phrase(subjects[0]) if subjects else None


def _phrase(head: Token) -> Span:
    """The noun phrase a head word stands for, without relative clauses or trailing appositions."""
    doc = head.doc
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("compound", "flat", "poss", "amod", "nummod") or (
                child.dep_ == "prep" and child.lower_ == "of") or _is_name_part(child):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "appos" and child.ent_type_ in ("PERSON", "ORG"):
            right = max(right, child.right_edge.i)
    return doc[left:right + 1]


def _is_name_part(prep: Token) -> bool:
    """"for Migration", "for Human Rights": a preposition inside an organisation's capitalised name."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return (prep.dep_ == "prep" and prep.lower_ in ("for", "on", "against") and prep.head.pos_ == "PROPN"
            and bool(objects) and objects[0].pos_ == "PROPN")


def _make(doc: Doc, phrase: Span, modality: str, token: int, previous: Attribution | None,
          country: str | None = None) -> Attribution:
    organisation = _spoken_for(phrase.root)
    if organisation is not None:  # "Marta Ruiz, a spokeswoman for the WFP": the WFP speaks; the person is kept
        raw = LEADING.sub("", phrase.text.strip(" ,;:—–-\"“”'"))
        claimant = normalise_claimant(LEADING.sub("", organisation.text), country)
        return Attribution(claimant, raw, modality, token, (phrase.start, phrase.end))
    raw = LEADING.sub("", phrase.text.strip(" ,;:—–-\"“”'"))
    if raw.lower() in ANAPHORS and previous is not None:
        # "The group added that ...", "the military claimed ...": the speaker named before
        return Attribution(previous.claimant, previous.raw, modality, token, (phrase.start, phrase.end))
    if raw.lower() in PRONOUNS and previous is not None:
        return Attribution(previous.claimant, previous.raw, modality, token, (phrase.start, phrase.end))
    if raw.lower() in PRONOUNS:
        raw = ""
    return Attribution(normalise_claimant(raw, country), raw, modality, token, (phrase.start, phrase.end))


def _spoken_for(person: Token) -> Span | None:
    """The organisation a person speaks for, from an apposition: "X, a spokesman for the UN", "X, UNICEF's head"."""
    for appos in (c for c in person.children if c.dep_ == "appos"):
        if appos.lemma_.lower() not in SPOKESPEOPLE:
            continue
        for child in appos.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return _phrase(objects[0])
            if child.dep_ == "poss":
                return child.doc[child.left_edge.i:child.i + 1]
    return None


def normalise_claimant(raw: str, country: str | None = None) -> str:
    """The source list's name for a speaker, or the words as written when it is not listed."""
    if not raw:
        return ""
    source = normalise_source(raw, country)
    if source is None or source.is_anonymous:  # "a source within the opposition", "Journalist Rami Jarrah"
        return raw
    return source.name


def hedge_of(doc: Doc) -> str | None:
    """The modality a sentence's hedges give: denied, unconfirmed, alleged, reported."""
    if DISMISSALS.search(text_of(doc)):
        return "denied"
    if UNCONFIRMED.search(text_of(doc)):
        return "unconfirmed"
    for token in doc:
        if token.lower_ in HEDGES:
            return HEDGES[token.lower_]
        if token.lemma_ == "allege" and token.tag_ == "VBN":  # "are alleged to have abducted"
            return "alleged"
    return None


def covering(attributions: list[Attribution], doc: Doc, index: int) -> Attribution | None:
    """The attribution whose verb governs token `index` (nearest first), else the sentence's first.

    A named speaker wins over a generic one ("the UN had received reports of ..." is the UN's).
    """
    candidates = [a for a in attributions if not a.span[0] <= index < a.span[1]]
    named = [a for a in candidates if not a.is_generic]
    candidates = named or candidates
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
