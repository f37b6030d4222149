"""Find counts in English news text: "at least 82 civilians", "hundreds of families", "two tanks".

Regex and tables only, no spaCy: this runs on every sentence that passes the cheap trigger
filter, so it must stay fast. A `Quantity` keeps the phrase as written (qualifier included),
its value as a `Range` in the export contract's convention, and the words it counts, so the
extractor can decide later that "two factions" are not people.

Values (../shared/eval/CONTRACT.md; the word lists and their reasons are in
data/quantity_words.tsv):

* plain or approximate ("47", "about 8,000", "some 150"): low = best = high = N;
* a floor ("more than 50", "at least 82", "50 or more"): low = best = N, high None;
* a ceiling ("almost 3,000", "up to 65", "fewer than 10"): low None, best = high = N;
* a range ("between 30 and 50", "30-50", "two or three"): low and high, best None, since
  the text commits to no point within it;
* vague ("hundreds", "dozens of", "several"): best None, bounds from the table.

Not counts, so not returned: decimals without "million" and the like (measures and rates, never
people), percentages, money, distances, weights and durations, clock times, dates and years,
ages, ordinals, fractions, hyphenated adjectives ("three-week", "12-year-old"), designations
("Resolution 2254", "T-72", "Su-24"), phone numbers and URLs. A lone "a", "an", "one" or "no"
is a count only when a listed noun follows ("one child", "a tank", "no civilians").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from typing import NamedTuple

from .model import Range

__all__ = ["Quantity", "breakdowns", "find_quantities"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count as written and the words it counts; offsets index the text given to `find_quantities`."""

    start: int
    end: int
    text: str  # the phrase with its qualifier: "more than 50", "hundreds", "between 30 and 50"
    value: Range
    is_vague: bool = False  # a word, not a number: "hundreds", "several", "100s"
    head: str | None = None  # the counted words that follow: "pro-Assad troops"; a cheap guess
    head_start: int | None = None
    head_end: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"quantity span {self.start}:{self.end} is empty or negative")
        if len(self.text) != self.end - self.start:
            raise ValueError("quantity text does not have the length of its span")
        if (self.head is None) != (self.head_start is None) or (self.head is None) != (self.head_end is None):
            raise ValueError("a quantity's head needs its text and both offsets, or none of them")


def _load_lexicon() -> dict[str, list[list[str]]]:
    """Rows of data/quantity_words.tsv by kind; the tables live there so they can be tuned without code.

    A malformed row raises ValueError naming its line: it is a bug in the package, not bad input.
    """
    kinds: dict[str, list[list[str]]] = {k: [] for k in _LEXICON_KINDS}
    lines = (files("sitrep") / "data" / "quantity_words.tsv").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, *rest = line.split("\t")
        bounds = [v for v in rest[1:] if v]
        numbers_ok = all(v.isdigit() for v in bounds) and len(bounds) >= {"vague": 2, "several": 1}.get(kind, 0)
        if kind not in kinds or not rest or not rest[0] or not numbers_ok:
            raise ValueError(f"quantity_words.tsv line {number}: expected kind, phrase[, low, high], got {line!r}")
        kinds[kind].append(rest)
    return kinds


_LEXICON_KINDS = ("vague", "several", "lower", "upper", "approx", "exact", "noun")


def _plurals(noun: str) -> set[str]:
    if noun.endswith("man"):
        return {noun[:-3] + "men"}
    if noun.endswith("y") and noun[-2:-1] not in set("aeiou"):
        return {noun[:-1] + "ies"}
    if noun.endswith(("s", "sh", "ch", "x")):
        return {noun + "es"}
    return {noun + "s"}


_LEXICON = _load_lexicon()
# Two of the unit up to just below the next order: see data/quantity_words.tsv.
VAGUE_PLURALS = {p: (int(lo), int(hi)) for p, lo, hi in _LEXICON["vague"]}
VAGUE_DETERMINERS = {p: (int(lo), int(rest[0]) if rest and rest[0] else None) for p, lo, *rest in _LEXICON["several"]}
QUALIFIERS = {tuple(p.split()): kind for kind in ("lower", "upper", "approx", "exact") for (p, *_) in _LEXICON[kind]}
SINGULAR_NOUNS = frozenset(n for (n, *_) in _LEXICON["noun"])
PLURAL_NOUNS = frozenset({p for n in SINGULAR_NOUNS for p in _plurals(n)} | {"people", "children"}) - SINGULAR_NOUNS
COUNT_NOUNS = SINGULAR_NOUNS | PLURAL_NOUNS

UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
TEENS = {w: i + 10 for i, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: (i + 2) * 10 for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
BIG = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
MULTIPLIERS = {"hundred": 100, "dozen": 12, **BIG}
NUMBER_WORDS = UNITS.keys() | TEENS.keys() | TENS.keys() | MULTIPLIERS.keys()
NEEDS_OF = frozenset({"tens", "scores", "a handful"})  # "the scores were level", "tens" alone: not counts
MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
# Words before a number that make it a label, not a count: "Resolution 2254", "UPDATE 1850", "No. 5".
# Kept to words that rarely end a clause, so "at one point 50 people fled" still counts.
LABELS = frozenset(
    "resolution resolutions article articles paragraph chapter section clause page pages no nos number "
    "route highway flight apartment sector phase round brigade division regiment battalion squadron corps "
    "checkpoint exit kilometre kilometer km decree protocol annex version channel episode season update "
    "tel phone fax ext vol volume".split())
# After "from": a change, not a range ("the toll rose from 30 to 50" is two figures).
CHANGE_VERBS = frozenset(
    "rose risen rises rising increased increases increasing climbed climbing jumped grew growing up "
    "raised raising revised lifted fell fallen falls falling dropped dropping down decreased declined "
    "lowered reduced cut went".split())
YEAR_CONTEXT = frozenset(
    "in since by until till from of during early late mid the year before after through between and to "
    "summer winter spring autumn fall ending end beginning start".split())
# Words that end a counted-noun phrase: function words, auxiliaries, frequent verbs, time words.
HEAD_STOPS = frozenset(
    """a an the this that these those there here who whom whose which what when where while as at by for
    from in into on onto of off out over under with within without to toward towards near across after
    before during since until till against among amongst amid amidst between through throughout inside
    outside around about along behind beyond via per including excluding plus and or but nor so yet if
    than because though although whether not no never only just even also still now then all both each
    either neither yesterday today tonight tomorrow last next earlier later ago overnight again too very
    more most some many several few other another such own same their its his her our your my they them
    he she it we you i us is are was were be been being am has have had having will would could can may
    might must should shall did do does done said says say told according reportedly allegedly reported
    claimed left fled flee flees died die dies fell lost fought held hit shot struck taken took came
    come went go got get made make seen saw see remain remains stay stayed live face faces need fear
    wait include includes return leave leaves arrive cross join escape await continue suffer lack lay lie
    lies sat sit stood stand gave give began begin become became kept keep met meet ran run knew know
    found find put set let led lead sent send brought bring built caught drove ate hurt whereas
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december""".split())
AUXILIARIES = frozenset("were are was is have had has remain remained will would could may might died fled".split())
_PREFIXES = ("$", "£", "€", "¥", "#", "+", "№")
_SENTENCE_OPENERS = frozenset('.!?:;"“”‘’\'([—–-•*')

_STARTERS = frozenset(
    {words[0] for words in QUALIFIERS} | NUMBER_WORDS | VAGUE_PLURALS.keys()
    | {p.split()[0] for p in VAGUE_DETERMINERS} | {"a", "an", "no", "between", "from"})
# Capitalised verbs that still end a head, for title-case headlines: "5 Civilians Killed in ...".
_TITLE_VERBS = frozenset(
    "killed injured wounded executed detained arrested abducted kidnapped displaced evacuated missing trapped "
    "captured freed released rescued dying dead died".split())
_QUOTES = frozenset('"“”‘’\'')
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|\S")
_COMMA_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
_MASKS = re.compile(
    r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+"  # URLs and e-mail addresses
    r"|(?<![\w.,])(?:\+|00)\d[\d\s().-]{6,}\d"  # international phone numbers
    r"|(?<![\w.,])\(?\d{3}\)?[\s.-]\d{3}[-.]\d{4}\b",  # North American phone numbers
    re.IGNORECASE)
# What follows a number and makes it a measure, not a count: units, durations, percentages, money, times.
_NOT_COUNT_AFTER = re.compile(
    r"\s*(?:%|°)|\s*(?:of\s+(?:US\s+)?)?(?:percent|per\s*cent|pc|percentage"
    r"|(?:square\s+|sq\.?\s+|cubic\s+|nautical\s+)?(?:km2?|kms|kilomet(?:er|re)s?|miles?|mi|met(?:er|re)s?|m|cm|mm"
    r"|yards?|y(?:ar)?ds|f(?:ee|oo)t|ft|inch(?:es)?|hectares?|ha|acres?|kg|kilo(?:gram)?s?|grams?|g|tonnes?|tons?"
    r"|lbs?|pounds?|lit(?:er|re)s?|gallons?|barrels?|bpd|degrees?|knots?|mph|kph|km/h|calibre|caliber"
    r"|megatons?|kilotons?|[kmg]w|[kmg]wh|volts?|calories|bytes?|[kmgt]b"
    r"|seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|nights?|weeks?|months?|years?|yrs?|decades?"
    r"|centuries|century|times|thirds?|quarters?|halves|fifths?|tenths?"
    r"|dollars?|euros?|sterling|rubles?|roubles?|liras?|lira|riyals?|rials?|dinars?|dirhams?"
    r"|yuan|yen|rupees?|shekels?|pesos?|francs?|cents?|usd|eur|gbp|syp|a\.m\.?|p\.m\.?|am|pm|o['’]clock"
    r"|gmt|utc|bst|cet|cest|eet|eest|est|edt|pst|pdt|msk|ast|local\s+time)\b)",
    re.IGNORECASE)
_AGE_BEFORE = re.compile(
    r"\b(?:aged?|ages(?:\s+of)?|age\s+of"  # "aged 12", "between the ages of 30 and 50"
    r"|(?:children|boys|girls|kids|minors|infants|youths|men|women|people|those|anyone)"
    r"\s+(?:under|over|below|above|younger\s+than|older\s+than))\s*$",  # "children under five"
    re.IGNORECASE)
_MONTH_AFTER = re.compile(r"\s+(?:of\s+)?(?:%s)\b" % "|".join(sorted(MONTHS, key=len, reverse=True)))
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*$")
_LIST_CONTINUES = re.compile(r"(?:,\s*[A-Z][\w'’-]*)*,?\s+(?:and|or)\s+")


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str


class _Num(NamedTuple):
    value: int | None  # None: a number, but not a count ("2.5", "14:32", "3rd")
    end: int  # index of the token after it
    scale: int  # the multiplier applied: 1, 12, 100, 1000...
    is_one: bool  # the word "one" alone, which is often a pronoun


class _Found(NamedTuple):
    first: int  # token index where the phrase starts (qualifier included)
    number: int  # token index where the number itself starts
    end: int  # token index after the phrase
    value: Range | None  # None: matched, but not a count; skip the whole span
    is_vague: bool = False
    needs_noun: str = ""  # "singular": a lone a/an/one (or "one of its colonels"); "any": "no"; "head": "several"
    is_year_like: bool = False


def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Every count in `text`, in order, each with its value, its phrase and the words it counts.

    >>> [(q.text, q.value, q.head) for q in find_quantities("at least 82 civilians were killed")]
    [('at least 82', Range(low=82, best=82, high=None), 'civilians')]
    """
    return _Scanner(text).scan()


def breakdowns(text: str, quantities: tuple[Quantity, ...]) -> tuple[tuple[int, int], ...]:
    """Pairs (total, part) of indexes into `quantities`, so a part is not counted again on top of its total.

    Catches "127 people, including 23 children and 17 women", "among them", "of whom", and the
    inverted "40 people, 12 of them children".
    """
    pairs: list[tuple[int, int]] = []
    for i in range(len(quantities) - 1):
        total, part = quantities[i], quantities[i + 1]
        if _PART_CUE.fullmatch(text, _end_of(total), part.start) and _fits(total, part):
            pairs.append((i, i + 1))
            j = i + 1
            while j + 1 < len(quantities) and _PART_LIST.fullmatch(text, _end_of(quantities[j]), quantities[j + 1].start):
                if _fits(total, quantities[j + 1]):
                    pairs.append((i, j + 1))
                j += 1
        elif _INVERTED_PART.match(text, part.end) and _PART_SEPARATOR.fullmatch(text, _end_of(total), part.start):
            if _fits(total, part):
                pairs.append((i, i + 1))
    return tuple(pairs)


_PART_CUE = re.compile(
    r"[^.;!?\n]{0,60}?\b(?:including|includ(?:es|ed)|among\s+(?:them|whom|those|the\s+\w+)|of\s+(?:whom|them|which))"
    r"(?:\s*[,:])?\s+(?:were\s+|are\s+)?", re.IGNORECASE)
_PART_LIST = re.compile(r"\s*(?:,|,?\s*and|,?\s*as\s+well\s+as|,?\s*plus)\s*", re.IGNORECASE)
_INVERTED_PART = re.compile(r"\s+(?:of|among)\s+(?:them|whom)\b", re.IGNORECASE)
_PART_SEPARATOR = re.compile(r"[^.;!?\n]{0,40}?[,(—–-]\s*")


def _end_of(q: Quantity) -> int:
    return q.head_end if q.head_end is not None else q.end


def _fits(total: Quantity, part: Quantity) -> bool:
    """A part can't exceed its total; vague totals take anything."""
    top = total.value.high if total.value.high is not None else total.value.best
    least = part.value.low if part.value.low is not None else part.value.best
    return top is None or least is None or least <= top


class _Scanner:
    """One pass over the tokens of a text; private, so the state stays out of the public API."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = [_Tok(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN.finditer(text)]
        self.starts = [t.start for t in self.toks]
        self.masks = [m.span() for m in _MASKS.finditer(text)]
        # "10.724" is ten thousand only in a text that doesn't write thousands as "10,724".
        self.dot_is_decimal = bool(_COMMA_THOUSANDS.search(text))

    def scan(self) -> tuple[Quantity, ...]:
        found: list[Quantity] = []
        i = 0
        while i < len(self.toks):
            hit = self._match(i)
            if hit is None:
                i += 1
                continue
            quantity = self._accept(hit)
            if quantity is not None:
                found.append(quantity)
            i = max(hit.end, i + 1)
        return tuple(found)

    # -- tokens ------------------------------------------------------------------------------
    def _tok(self, i: int) -> _Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def _low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def _glued(self, i: int) -> bool:
        """Token i touches token i-1: no space between, as in "T-72", "100s", "75%"."""
        return 0 < i < len(self.toks) and self.toks[i].start == self.toks[i - 1].end

    def _is_word(self, i: int) -> bool:
        t = self._tok(i)
        return t is not None and t.text[0].isalpha()

    # -- matching ----------------------------------------------------------------------------
    def _match(self, i: int) -> _Found | None:
        low = self.toks[i].low
        if low not in _STARTERS and not low[0].isdigit():
            return None  # most tokens: skip the slower checks
        if low == "between" or low == "from":
            return self._between(i)
        qualifier, j = self._qualifier(i)
        if qualifier:
            hit = self._exact(i, j, qualifier)
            if hit is not None:
                return hit
        return self._vague(i) or self._exact(i, i, "") or self._determiner(i)

    def _qualifier(self, i: int) -> tuple[str, int]:
        """The longest bound word(s) starting at i: ("lower", index after) for "no fewer than"."""
        for size in (3, 2, 1):
            words = tuple(self._low(k) for k in range(i, i + size))
            if words in QUALIFIERS and all(self._is_word(k) for k in range(i, i + size)):
                return QUALIFIERS[words], i + size
        return "", i

    def _between(self, i: int) -> _Found | None:
        """ "between 30 and 50", "from 30 to 50"; "rose from 30 to 50" is a change, left to the plain pass."""
        link = "and" if self.toks[i].low == "between" else "to"
        if link == "to" and self._low(i - 1) in CHANGE_VERBS:
            return None
        a = self._number(i + 1)
        if a is None or a.value is None or self._low(a.end) != link:
            return None
        b = self._number(a.end + 1)
        if b is None or b.value is None:
            return None
        low = _range_low(a, b)
        if not low < b.value:
            return None
        if self._year_like(i + 1) and self._year_like(a.end + 1):
            return _Found(i, i + 1, b.end, None)  # "from 2011 to 2016"
        return _Found(i, i + 1, b.end, Range(low, None, b.value))

    def _exact(self, first: int, i: int, qualifier: str) -> _Found | None:
        """A number at i, with what may follow it: a range ("30-50", "two or three") or a bound ("or more")."""
        a = self._number(i)
        if a is None:
            return None
        if a.value is None:
            return _Found(first, i, a.end, None)
        k, low, high, kind = a.end, a.value, a.value, qualifier
        t = self._tok(k)
        links = ("to", "or", "and") if self._in_age_context(first) else ("to", "or")  # "aged 30 and 50"
        if self._low(first - 1) == "from" and self._low(first - 2) in CHANGE_VERBS:
            links = ("or",)  # "rose from 30 to 50": two figures, not a range
        if t is not None and t.text in ("-", "–"):
            b = self._number(k + 1)
            if b is not None:
                if b.value is None or not a.value < b.value:
                    return _Found(first, i, b.end, None)  # a code, a score or a date: "2016-12-09", "2-1"
                if self._year_like(i) and self._year_like(k + 1):
                    return _Found(first, i, b.end, None)  # "2011-2016"
                low, high, kind, k = a.value, b.value, "range", b.end
            elif self._glued(k) and self._low(k + 1) in ("odd", "plus") and self._glued(k + 1):
                kind, k = "lower", k + 2  # "50-odd", "40-plus"
            elif self._glued(k) and self._low(k + 1) == "strong" and self._glued(k + 1):
                k += 2  # "a 300-strong force" counts the force's members
            elif self._glued(k) and self._glued(k + 1) and self._is_word(k + 1):
                return _Found(first, i, k + 2, None)  # an adjective: "three-week", "5-day", "12-year-old"
        elif self._low(k) in links and self._low(k + 1) not in ("more", "so", "over"):
            b = self._number(k + 1)
            if b is not None and b.value is not None:
                scaled = _range_low(a, b)
                if scaled < b.value and not (self._year_like(i) and self._year_like(k + 1)):
                    low, high, kind, k = scaled, b.value, "range", b.end
        if kind != "range":
            if self._low(k) == "or" and self._low(k + 1) == "more":
                kind, k = "lower", k + 2
            elif self._low(k) == "or" and self._low(k + 1) == "so":
                kind, k = "approx", k + 2
            elif self._tok(k) is not None and self.toks[k].text == "+" and self._glued(k):
                kind, k = "lower", k + 1
        value = {
            "range": Range(low, None, high),
            "lower": Range(low, low, None),
            "upper": Range(None, high, high),
        }.get(kind, Range(low, low, low))
        needs = "singular" if a.is_one and kind != "range" else ""
        return _Found(first, i, k, value, needs_noun=needs, is_year_like=kind != "range" and self._year_like(i))

    def _number(self, i: int) -> _Num | None:
        """A number at token i, in digits, words or both ("1.5 million"), or None if there is none."""
        t = self._tok(i)
        if t is None:
            return None
        if t.text[0].isdigit():
            return self._digits(i)
        if t.low == "a" and self._low(i + 1) == "couple" and self._low(i + 2) == "of":
            return _Num(2, i + 2, 1, False)
        if t.low in NUMBER_WORDS or t.low in ("a", "an") and self._low(i + 1) in MULTIPLIERS:
            return self._words(i)
        return None

    def _digits(self, i: int) -> _Num | None:
        t = self.toks[i]
        after = self._tok(i + 1)
        if after is not None and self._glued(i + 1) and after.text[0].isalnum():
            return _Num(None, i + 2, 1, False)  # "3rd", "5km", "10am", "1990s", "F16"-style suffixes
        s, end = t.text, i + 1
        if re.fullmatch(r"[1-9]\d{0,2}", s) and not (i and self.toks[i - 1].text in MONTHS):  # "May 5 100 people"
            while self._is_spaced_group(end):  # "200 000", or "10\u202f724" in SI style
                s, end = s + self.toks[end].text, end + 1
        scale_word = self._low(end) if self._low(end) in MULTIPLIERS else ""
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+|[1-9]\d*|0", s):
            value = Decimal(s.replace(",", ""))
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s) and not self.dot_is_decimal and not scale_word:
            value = Decimal(s.replace(".", ""))  # European thousands: "10.724"
        elif re.fullmatch(r"\d+\.\d+", s) and scale_word:
            value = Decimal(s)  # "1.5 million"
        else:
            return _Num(None, end, 1, False)  # "2.5", "14:32", "1/2", "1,5", "007"
        scale = 1
        if scale_word:
            scale = MULTIPLIERS[scale_word]
            value, end = value * scale, end + 1
        if value != int(value):
            return _Num(None, end, scale, False)
        return _Num(int(value), end, scale, False)

    def _is_spaced_group(self, j: int) -> bool:
        """Token j continues a number grouped by spaces: three digits, then a noun or another group.

        A plain space needs the noun ("over 1 000 civilians"), so "fields 101 102 and 103" stays three
        numbers; a no-break or thin space is a separator by itself.
        """
        t = self._tok(j)
        if t is None or len(t.text) != 3 or not t.text.isdigit() or self._tok(j + 1) and self._glued(j + 1):
            return False
        space = self.text[self.toks[j - 1].end:t.start]
        if space in ("\u00a0", "\u202f", "\u2009"):
            return True
        return space == " " and (self._is_spaced_group(j + 1) or self._is_word(j + 1) and self._low(j + 1) not in HEAD_STOPS)

    def _words(self, i: int) -> _Num | None:
        """Spelled-out numbers: "eight", "twenty-five", "two hundred and fifty", "four hundred thousand"."""
        total, current, last, scale, last_big, k = 0, 0, "", 1, 0, i
        if self.toks[i].low in ("a", "an"):  # "a dozen", "a hundred and fifty", "a million"
            current, last, k = 1, "unit", i + 1
        while k < len(self.toks):
            w = self.toks[k].low
            if w in UNITS and last in ("", "tens", "hundred", "big"):
                current, last = current + UNITS[w], "unit"
            elif w in TEENS and last in ("", "hundred", "big"):
                current, last = current + TEENS[w], "teen"
            elif w in TENS and last in ("", "hundred", "big"):
                current, last = current + TENS[w], "tens"
            elif w == "hundred" and last in ("unit", "teen"):
                current, last, scale = current * 100, "hundred", 100
            elif w in BIG and last in ("unit", "teen", "tens", "hundred") and (not last_big or BIG[w] < last_big):
                total, current, last, scale, last_big = total + current * BIG[w], 0, "big", BIG[w], BIG[w]
            elif w == "dozen" and last in ("unit", "teen", "tens"):
                current, last, scale = current * 12, "dozen", 12
            else:
                break
            k += 1
            nxt = self._low(k + 1)
            if last == "tens" and self._low(k) == "-" and self._glued(k) and self._glued(k + 1) and nxt in UNITS:
                k += 1  # "twenty-five"
            elif last in ("hundred", "big") and self._low(k) == "and" and (nxt in UNITS or nxt in TEENS or nxt in TENS):
                k += 1  # "two hundred and fifty"
            if last == "dozen":
                break
        if k == i or last == "unit" and self.toks[k - 1].low in ("a", "an"):
            return None
        return _Num(total + current, k, scale, k == i + 1 and self.toks[i].low == "one")

    def _vague(self, i: int) -> _Found | None:
        """ "hundreds", "tens of thousands", "several hundred", "a few", "100s"."""
        t = self.toks[i]
        nxt = self._tok(i + 1)
        if t.text[0].isdigit() and nxt is not None and nxt.text == "s" and self._glued(i + 1):
            if not re.fullmatch(r"10{2,}|10{0,2}(?:,000)+", t.text):
                return None  # "1990s", "30s": decades and ages
            unit = int(t.text.replace(",", ""))
            return _Found(i, i, i + 2, Range(2 * unit, None, 10 * unit - 1), is_vague=True)
        k, det = i, ""
        pair = " ".join((t.low, self._low(i + 1)))
        if pair in VAGUE_DETERMINERS:
            det, k = pair, i + 2
        elif t.low in VAGUE_DETERMINERS and self._low(i - 1) not in ("how", "so", "too", "as", "very"):
            det, k = t.low, i + 1
        if self._low(k) in VAGUE_PLURALS:  # "many thousands", "several hundreds of": the plural decides
            word = self._low(k)
            if word in NEEDS_OF and self._low(k + 1) != "of":
                return None
            low, high = VAGUE_PLURALS[word]
            k += 1
            if self._low(k) == "of" and self._low(k + 1) in ("thousands", "millions"):
                scale = 1000 if self._low(k + 1) == "thousands" else 10**6
                low, high, k = low * scale, (high + 1) * scale - 1, k + 2  # "tens of thousands"
            return _Found(i, i, k, Range(low, None, high), is_vague=True)
        if not det or (det in NEEDS_OF and self._low(k) != "of"):
            return None
        low, high = VAGUE_DETERMINERS[det]
        scale = 1
        while self._low(k) in MULTIPLIERS:  # "several hundred", "a few thousand", "several hundred thousand"
            scale, k = scale * MULTIPLIERS[self._low(k)], k + 1
        top = None if high is None else (high + 1) * scale - 1
        return _Found(i, i, k, Range(low * scale, None, top), is_vague=True, needs_noun="" if scale > 1 else "head")

    def _determiner(self, i: int) -> _Found | None:
        """A lone "a"/"an" (1) or "no" (0), kept only if a listed noun follows."""
        low = self.toks[i].low
        if low in ("a", "an"):
            return _Found(i, i, i + 1, Range(1, 1, 1), needs_noun="singular")
        if low == "no":
            return _Found(i, i, i + 1, Range(0, 0, 0), needs_noun="any")
        return None

    def _year_like(self, i: int) -> bool:
        t = self._tok(i)
        return t is not None and re.fullmatch(r"\d{4}", t.text) is not None and not self._low(i + 1) in MULTIPLIERS

    # -- filtering ---------------------------------------------------------------------------
    def _accept(self, hit: _Found) -> Quantity | None:
        """The Quantity for a match, or None when its context shows it isn't a count."""
        if hit.value is None:
            return None
        toks, text = self.toks, self.text
        first, num, last = toks[hit.first], toks[hit.number], toks[hit.end - 1]
        start, end = first.start, last.end
        if any(s <= start < e for s, e in self.masks) or not self._plausible_before(hit):
            return None
        if _NOT_COUNT_AFTER.match(text, end):
            return None
        value = hit.value
        small = all(v is None or v <= 31 for v in (value.low, value.best, value.high))
        if small and not hit.is_vague and num.text[0].isdigit() and _MONTH_AFTER.match(text, end):
            return None  # "26 November", "8-9 December"
        if num.text[0].isalpha() and num.text[0].isupper() and hit.first == hit.number and not self._opens_sentence(hit.number):
            return None  # a capitalised number word mid-sentence is a name: "the Big Three", "Group of Seven"
        head = self._head(hit.end)
        if hit.needs_noun and not self._has_noun(hit, head):
            return None
        if hit.is_year_like and not self._year_is_count(hit, head):
            return None
        if head is None and num.text[0].isdigit() and hit.first == hit.number and self._is_list_marker(hit):
            return None
        head_text = head and text[head[0]:head[1]]
        return Quantity(start, end, text[start:end], value, hit.is_vague, head_text,
                        head and head[0], head and head[1])

    def _plausible_before(self, hit: _Found) -> bool:
        """False for "$5", "F16", "T-72", "Resolution 2254", "November 26", "aged 30": labels, money, ages."""
        i, toks = hit.number, self.toks
        before = toks[i - 1] if i > 0 else None
        if before is not None and self._glued(i):
            if before.text in _PREFIXES or before.text[0].isalnum():
                return False
            if before.text in ("-", "–") and i > 1 and self._glued(i - 1) and toks[i - 2].text[0].isalnum():
                return False  # "T-72", "Su-24", "COVID-19"
        if self._in_age_context(hit.first) or self._in_age_context(i):
            return False
        if not toks[i].text[0].isdigit():
            return not (self._low(hit.first - 1) in LABELS and toks[i].low not in ("a", "an", "no"))
        label = hit.first - 1
        if self._low(label) == "." and self._glued(label):
            label -= 1  # "No. 5"
        if self._low(label) in LABELS and hit.first == hit.number:
            return False
        month = i - 2 if self._low(i - 1) == "." and self._glued(i - 1) else i - 1
        if 0 <= month and toks[month].text in MONTHS and hit.first == hit.number and hit.value is not None:
            if (hit.value.high or hit.value.best or 0) <= 31:
                return False  # "November 26", "Dec. 8"
        return True

    def _in_age_context(self, i: int) -> bool:
        """ "aged 12", "ages 5 to 12", "children under five": ages, not counts."""
        start = self.toks[i].start
        return _AGE_BEFORE.search(self.text, max(0, start - 40), start) is not None

    def _opens_sentence(self, i: int) -> bool:
        if i == 0:
            return True
        between = self.text[self.toks[i - 1].end:self.toks[i].start]
        return "\n" in between or self.toks[i - 1].text in _SENTENCE_OPENERS

    def _is_list_marker(self, hit: _Found) -> bool:
        """ "1. Aleppo" at the start of a line, or a bracketed "(2)" or "[3]": numbering, not counts."""
        first, after = self.toks[hit.first], self._tok(hit.end)
        if after is None or not self._glued(hit.end):
            return False
        if after.text in ").]" and _LIST_MARKER.search(self.text, 0, first.start):
            return True
        before = self._tok(hit.first - 1)
        return before is not None and self._glued(hit.first) and before.text in "([" and after.text in ")]"

    def _has_noun(self, hit: _Found, head: tuple[int, int, list[str]] | None) -> bool:
        """A lone a/one/no needs a listed noun ("one child", "no civilians"); "several" needs some noun."""
        if hit.needs_noun == "head":  # "many civilians", "several have", not "many believe"
            if head is None:
                return self._low(hit.end) in AUXILIARIES
            last = self.text[head[0]:head[1]].split()[-1]
            return head[2][-1] in COUNT_NOUNS or _is_plural(head[2][-1]) or last[0].isupper()
        if head is None:
            return False
        if hit.needs_noun == "singular" and self._low(hit.end) == "of":
            return head[2][-1] in COUNT_NOUNS  # "one of its colonels"; "one of the worst days" is nothing
        nouns = SINGULAR_NOUNS if hit.needs_noun == "singular" else COUNT_NOUNS
        return head[2][-1] in nouns

    def _year_is_count(self, hit: _Found, head: tuple[int, int, list[str]] | None) -> bool:
        """A bare four-digit number is a year or a time ("in 2016", "at 1850") unless people follow it."""
        if head is None:
            return False
        value = hit.value.best if hit.value is not None else None
        if value is None or not 1900 <= value <= 2099:
            return True
        if hit.first == hit.number and self._low(hit.first - 1) in YEAR_CONTEXT:
            return False
        noun = head[2][-1]
        return noun in COUNT_NOUNS or (noun.endswith("s") and self.text[head[0]].islower())

    # -- counted noun ------------------------------------------------------------------------
    def _head(self, k: int) -> tuple[int, int, list[str]] | None:
        """The words a count counts, up to a verb, preposition or punctuation: "pro-Assad troops".

        Returns the character span and the lower-cased words. Cheap on purpose: the extractor
        refines it with the parse; this only has to be right for the common "N noun(s) verb".
        """
        if self._low(k) == "of":  # "hundreds of civilians", "one of its colonels"
            k += 1
            if self._low(k) in ("the", "its", "their", "his", "her", "our", "these", "those", "my", "your",
                                "them", "whom", "which"):
                k += 1  # "23 of them children"
        if self._low(k) in ("more", "other", "additional", "further") and self._is_word(k + 1):
            k += 1  # "15 more troops", "12 other civilians"
        if self._low(k) in _QUOTES:
            k += 1  # 14 “rebels”
        words: list[tuple[int, int, str]] = []
        while k < len(self.toks) and len(words) < 6:
            word = self._compound(k)
            if word is None:
                break
            start, end, k_next = word
            w = self.text[start:end]
            lw = w.lower()
            if lw in HEAD_STOPS or lw in NUMBER_WORDS or w in MONTHS or self._is_verb_like(w, words):
                break
            words.append((start, end, lw))
            k = k_next
            if lw in PLURAL_NOUNS or (w.islower() and _is_plural(lw)):
                break  # a plural ends an English noun phrase: "fighters" in "fighters dead"
            if w[0].isupper():  # "25 Afghan, Iranian, and regime militiamen"
                m = _LIST_CONTINUES.match(self.text, end)
                if m and (nxt := self._compound(bisect_left(self.starts, m.end()))) is not None:
                    if self.text[nxt[0]:nxt[1]].lower() not in HEAD_STOPS:
                        k = bisect_left(self.starts, m.end())
        while words and _is_participle(self.text[words[-1][0]:words[-1][1]]):
            words.pop()  # "a doctor wounded", "two people missing"
        if not words:
            return None
        return words[0][0], words[-1][1], [w for (_, _, w) in words]

    def _compound(self, k: int) -> tuple[int, int, int] | None:
        """A word at token k with its hyphenated parts: "pro-Assad", "12-year-old", "T-72"."""
        t = self._tok(k)
        if t is None or not t.text[0].isalnum():
            return None
        end, j = t.end, k + 1
        while self._low(j) in ("-", "–") and self._glued(j) and self._glued(j + 1) and self.toks[j + 1].text[0].isalnum():
            end, j = self.toks[j + 1].end, j + 2
        if t.text[0].isdigit() and j == k + 1:
            return None  # another number, not a noun
        return t.start, end, j

    @staticmethod
    def _is_verb_like(word: str, words: list[tuple[int, int, str]]) -> bool:
        """A participle right after a noun is its verb: "civilians killed", "troops trapped"."""
        if not words or not _is_participle(word):
            return False
        previous = words[-1][2]
        return previous in COUNT_NOUNS or previous.endswith("s")


def _range_low(a: _Num, b: _Num) -> int:
    """The low end of "a to b", sharing b's multiplier when a has none: "two to three million"."""
    low, high = a.value or 0, b.value or 0  # callers pass counts, never None
    return low * b.scale if a.scale == 1 < b.scale and low * b.scale < high else low


def _is_plural(word: str) -> bool:
    """Shaped like a regular plural: "strikes", "sorties"; not "gas", "bus", "crisis", "press"."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os"))


def _is_participle(word: str) -> bool:
    """ "killed", "fleeing", "reportedly": endings that close a noun phrase (but not "Mohammed", "building")."""
    low = word.lower()
    if word[0].isupper():
        return low in _TITLE_VERBS
    if low in COUNT_NOUNS or "-" in low:
        return False
    if low.endswith("ed"):
        return len(low) > 3 and not low.endswith("eed")  # "used", not "need"
    return len(low) > 4 and (low.endswith("ing") or low.endswith("ly") and low not in ("family", "rally"))
