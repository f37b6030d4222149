"""Event triggers in a sentence, typed by ACLED's rules, with negated and hypothetical ones left out.

Triggers come from the lexicon (sitrep/data/triggers.tsv) by lemma, longest phrase first
("barrel bomb" before "bomb"). Within a family (combat, civilians, demonstrations,
developments, humanitarian) one occurrence is one event named by its highest-priority trigger,
so an air strike inside a ground battle is one Battles event; weak triggers ("attack", "kill")
count only when nothing stronger is in the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from ..lexicon import Actor, Trigger, event_type_of, load_triggers
from ..nlp import IRREGULAR

MAX_PHRASE = 3
MAX_CLIMB = 6
NEGATORS = {"not", "no", "never", "n't", "without"}
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "must", "will", "shall", "can"}
HYPOTHETICAL_HEADS = {"threaten", "plan", "vow", "intend", "want", "prepare", "aim", "seek", "try", "hope",
                      "propose", "demand", "call", "urge", "fear", "expect", "consider", "discuss", "ask",
                      "prevent", "avoid", "allow", "let", "wait", "accept", "reject", "deny", "block", "oppose",
                      "brace", "warn", "risk", "threat", "plan", "proposal", "appeal"}
# Verbs after which an infinitive happened: "continued to shell", "managed to seize", "began to withdraw".
DONE_HEADS = {"continue", "manage", "succeed", "begin", "start", "resume", "go", "keep", "proceed", "use", "move",
              "come", "get", "happen", "appear", "seem", "help", "dare", "rush", "return", "force", "compel",
              "oblige", "make"}
# Nouns whose "of" names a habit rather than an occurrence: "a record of arbitrary detention".
HABIT_NOUNS = {"record", "history", "pattern", "policy", "practice", "culture", "legacy", "tactic", "strategy",
               "habit", "cycle"}
# An agreement is an event when it is made or takes effect, not when it is proposed, blocked or discussed.
AGREEMENT_VERBS = {"announce", "agree", "reach", "sign", "declare", "broker", "conclude", "seal", "accept", "begin",
                   "start", "take", "come", "hold", "enter", "go", "strike", "implement", "secure", "approve"}
CIVILIAN_WORDS = {"civilian", "resident", "people", "child", "woman", "family", "man", "patient", "worker",
                  "protester", "villager", "refugee", "student", "doctor", "journalist", "activist", "girl", "boy"}


@dataclass(frozen=True, slots=True)
class Found:
    trigger: Trigger
    start: int  # token range of the trigger phrase in the sentence Doc
    end: int


def find_triggers(doc: Doc, actor: Actor | None, country: str | None) -> list[Found]:
    """Event triggers of a sentence that report something that happened, strongest per family."""
    civilians = any(t.lemma_.lower() in CIVILIAN_WORDS for t in doc)
    found: list[Found] = []
    i = 0
    while i < len(doc):
        match = _match_at(doc, i, actor, country, civilians)
        if match is None:
            i += 1
            continue
        root = doc[match.start:match.end].root
        if _is_description(root):
            i = match.end
            continue
        if not _is_unreal(root) and (match.trigger.sub_event_type != "Agreement" or _is_made(root)):
            found.append(match)
        i = match.end
    strong = [f for f in found if not f.trigger.is_weak]
    found = strong or found
    # "struck a fuel station, killing six people": a weak trigger of another family in a clause a trigger
    # governs tells that event's outcome, not a second event (within a family, priority decides below)
    heads = [(doc[f.start:f.end].root, f.trigger.family) for f in found]
    found = [f for f, (root, family) in zip(found, heads)
             if not (f.trigger.is_weak and any(h is not root and other != family and h in root.ancestors
                                               for h, other in heads))]
    best: dict[str, Found] = {}
    for f in found:
        current = best.get(f.trigger.family)
        if current is None or f.trigger.outranks(current.trigger):
            best[f.trigger.family] = f
    return sorted(best.values(), key=lambda f: f.start)


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Lemmas a trigger phrase can start with: most tokens are not one, and are skipped at once."""
    words = set()
    for trigger in load_triggers():
        first = trigger.trigger.split()[0]
        words |= {first, first.split("-")[0]}
    return frozenset(words)


@lru_cache(maxsize=1)
def _irregular_lemmas() -> dict[str, str]:
    """Past forms the lemmatizer leaves alone ("retook", "overran") -> their lemma."""
    return {form: lemma for lemma, forms in IRREGULAR.items() for form in forms.split()}


def _lemma(token: Token) -> str:
    return _irregular_lemmas().get(token.lower_, token.lemma_.lower())


def _match_at(doc: Doc, i: int, actor: Actor | None, country: str | None, civilians: bool) -> Found | None:
    token = doc[i]
    if _lemma(token) not in _first_words() and token.lower_ not in _first_words():
        return None
    for size in range(MAX_PHRASE, 0, -1):
        tokens = [t for t in doc[i:i + size + 1] if t.text != "-"][:size]
        if len(tokens) < size or (size > 1 and tokens[-1].i - i >= size + 1):
            continue
        phrase = " ".join(_lemma(t) for t in tokens)
        # a phrase is a verb phrase if it opens with a verb ("threw stones"), else a noun phrase ("air strike")
        head = tokens[0] if tokens[0].pos_ == "VERB" else tokens[-1]
        pos = head.pos_ if head.pos_ in ("NOUN", "PROPN", "VERB") else None
        if size == 1 and pos is None:
            continue
        variants = [phrase]
        if size > 1:  # "air strike" / "airstrike"; "gone missing" lemmatises its last word to "miss"
            variants += ["".join(_lemma(t) for t in tokens),
                         " ".join([*(_lemma(t) for t in tokens[:-1]), tokens[-1].lower_])]
        trigger = None
        for variant in variants:
            trigger = event_type_of(variant, pos, actor=actor, country=country, civilians=civilians)
            if trigger is not None:
                break
        if trigger is not None:
            return Found(trigger, i, tokens[-1].i + 1)
    return None


def _is_description(token: Token) -> bool:
    """A participle that describes a noun ("displaced families", "besieged districts", "wounded fighters")
    says what state people or places are in, not that something happened to them then."""
    return token.dep_ == "amod" and token.pos_ == "VERB" and token.head.i > token.i


def _is_made(token: Token) -> bool:
    """Is an agreement announced, reached or in force, rather than proposed, vetoed or mentioned?"""
    if token.pos_ == "VERB":
        return True  # "halted military operations", "agreed to a truce"
    head = token
    while head.dep_ in ("conj", "compound", "appos") and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj":  # "agreed on a ceasefire", "signed up to a truce"
        head = head.head
        return head.head.lemma_.lower() in AGREEMENT_VERBS
    return head.head.lemma_.lower() in AGREEMENT_VERBS and head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")


def _is_purpose(verb: Token) -> bool:
    """An infinitive of purpose ("launched a battle to seize Aleppo", "an offensive to retake Mosul") says what
    was aimed at, not what happened; after a verb of carrying on or achieving ("continued to shell", "managed
    to seize") it happened."""
    if verb.pos_ != "VERB" or not any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return False
    return verb.dep_ in ("advcl", "acl", "relcl", "xcomp") and verb.head.lemma_.lower() not in DONE_HEADS


def _is_habitual(token: Token) -> bool:
    """What "a record of arbitrary detention" or "a policy of sieges" names is a habit, not an occurrence."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "a record of detention, torture and disappearances"
    return (token.dep_ == "pobj" and token.head.lower_ == "of"
            and token.head.head.lemma_.lower() in HABIT_NOUNS)


def _is_unreal(token: Token) -> bool:
    """Negated, hypothetical or future: "did not strike", "could attack", "threatened to bomb"."""
    verb = token
    if token.pos_ in ("NOUN", "PROPN") and token.head.pos_ in ("VERB", "AUX") and token.dep_ in (
            "dobj", "nsubj", "nsubjpass", "attr"):
        verb = token.head  # "carried out air strikes": judge the verb that carries the noun
    for t in (token, verb):
        for child in t.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return True
            if child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX:
                return True
    if _is_purpose(verb) or _is_habitual(token):
        return True
    head = verb
    for _ in range(MAX_CLIMB):  # "called for a halt to the bombing", "will meet to sign a ceasefire"
        if head.dep_ in ("xcomp", "ccomp", "pobj", "pcomp", "advcl", "prep", "dobj", "acl") and head.head.i != head.i:
            head = head.head
            if head.lemma_.lower() in HYPOTHETICAL_HEADS:
                return True
            if head.pos_ in ("VERB", "AUX") and any(
                    c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX for c in head.children):
                return True
        else:
            break
    return False
