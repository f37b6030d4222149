"""Fold place names so that transliteration variants meet: al-Ferdous = Fardos = Firdous.

Two keys per name. `fold` is exact-match strength: ASCII, lower case, no apostrophes or
hyphens, Arabic articles dropped ("Bustan al-Qasr" -> "bustan qasr"). `skeleton` is a
retrieval key only: consonants with spelling variants merged ("frds" for all three spellings
above), so it collides freely and every candidate it brings must be confirmed by a fuzzy
score on the folded forms (see `gazetteer.FUZZY_THRESHOLD`).

Loading folds ~150,000 names, so the work is done on all of them at once, one name per line
of one string (`fold_all`, `skeleton_all`): a handful of C-level passes instead of a dozen
Python calls per name. The one-name functions go through the same code, so keys always agree.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii

# The Arabic definite article as English spellings split it off: al-, el-, and the
# assimilated ad-, ash-, as-, at-, az- ... ("Deir ez-Zor", "aj-Jalloum").
ARTICLES = ("al", "el", "il", "ul", "l", "ad", "ed", "ar", "er", "as", "es", "ash", "esh",
            "at", "et", "ath", "az", "ez", "adh", "an", "en", "aj")

_APOSTROPHES = "'’‘`´ʿʾʼʻ′"  # dropped: "Shuja'iyya" = "Shujaiyya", "Ba`idin" = "Baidin"
_FOLD_TABLE = {c: " " for c in range(128) if not chr(c).isalnum() and chr(c) != "\n"}
_FOLD_TABLE.update({ord(c): None for c in _APOSTROPHES})
_FOLD_TABLE.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
_SPACES = re.compile(r" {2,}")
_EDGE_SPACES = re.compile(r"^ | $", re.MULTILINE)
# An article goes only before another word on its line: a place called "As" keeps its name.
_ARTICLE = re.compile(rf"(?:^|(?<= ))(?:{'|'.join(ARTICLES)}) (?=[a-z0-9])", re.MULTILINE)

# One Arabic consonant each, or letters English writers swap (Qasr = Kasr); uppercase
# placeholders keep them apart from the single letters that remain.
_DIGRAPHS = (("sh", "S"), ("ch", "S"), ("kh", "X"), ("gh", "G"), ("th", "t"), ("dh", "d"),
             ("ph", "f"), ("ck", "k"), ("q", "k"), ("c", "k"))
_FINAL_H = re.compile(r"(?<=[aeiouy])h\b")  # ta marbuta: Raqqah = Raqqa, Kalaseh = Kalasa
_VOWEL_W = re.compile(r"(?<=[aeiouy])w(?![aeiouy])")  # a diphthong: Zawr = Zor, Dawma = Douma
_DROP_VOWELS = str.maketrans("", "", "aeiouy ")
_DOUBLE = re.compile(r"(.)\1+")  # Kallaseh = Kalaseh, Jalloum = Jaloom ("." stops at "\n")


def fold(name: str) -> str:
    """Lower-case ASCII words without articles or punctuation: the exact-match key."""
    return fold_all([name])[0]


def skeleton(folded: str) -> str:
    """Consonant skeleton of an already folded name, the candidate-retrieval key.

    Vowels carry most transliteration noise (Firdous/Fardos/Ferdous) and doubled consonants
    the rest (Kallaseh/Kalaseh); names that are nearly all vowels ("Ain") keep their folded
    form rather than collapse to nothing.
    """
    return skeleton_all([folded])[0]


def fold_all(names: Iterable[str]) -> list[str]:
    """`fold` of each name, in order."""
    text = "\n".join((n if n.isascii() else anyascii(n)).replace("\n", " ") for n in names)
    text = _EDGE_SPACES.sub("", _SPACES.sub(" ", text.translate(_FOLD_TABLE)))
    return _ARTICLE.sub("", text).split("\n")


def skeleton_all(folded: Iterable[str]) -> list[str]:
    """`skeleton` of each folded name, in order."""
    originals = list(folded)
    text = "\n".join(originals)
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = _VOWEL_W.sub("", _FINAL_H.sub("", text))
    keys = _DOUBLE.sub(r"\1", text.translate(_DROP_VOWELS)).split("\n")
    return [k if len(k) >= 2 else o.replace(" ", "") for k, o in zip(keys, originals)]
