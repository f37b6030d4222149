"""Claims (issue #4): figures, what they count, who says so and how sure, from passages in our own words.

As in test_extract.py, each passage in tests/data/extract/ is ingested with a publication date and
an outlet and run through `analyse_document`. A case names a sentence by a phrase it holds and a
figure by a number it states (matched on any bound, as the scorer matches values). Rows marked
xfail are gaps the extractor has today; strict, so a fix shows up as XPASS.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sitrep.ingest import read_document, sources_from_paths
from sitrep.model import Analysis, Claim, Range
from sitrep.pipeline import analyse_document

DATA = Path(__file__).resolve().parent / "data" / "extract"
OUTLET = "Desk"
PUBLISHED = {
    "claims-quantities.txt": date(2016, 12, 9),
    "claims-attribution.txt": date(2016, 12, 9),
    "claims-quotes.txt": date(2016, 12, 12),
    "claims-negatives.txt": date(2016, 12, 9),
    "syria-humanitarian.txt": date(2016, 12, 16),
    "taiz.txt": date(2018, 1, 22),
    "kharkiv.txt": date(2022, 9, 12),
    "el-fasher.txt": date(2024, 5, 13),
    "gaza.txt": date(2023, 12, 12),
}


def xfail(*values, reason: str):
    """A case the extractor does not meet yet; strict, so the lead sees it pass when it is fixed."""
    return pytest.param(*values, marks=pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(scope="module")
def analyse(nlp, gazetteer):
    """Analyse each passage once for the whole module."""
    cache: dict[str, Analysis] = {}

    def run(name: str) -> Analysis:
        if name not in cache:
            (source,) = sources_from_paths([str(DATA / name)], published=PUBLISHED[name], outlet=OUTLET)
            cache[name] = analyse_document(read_document(source), nlp, gazetteer)
        return cache[name]

    return run


def in_sentence(analysis: Analysis, quote: str) -> list[Claim]:
    """The claims of the sentence holding `quote`."""
    assert any(quote in s for s in re.split(r"(?<=[.!?])\s+", analysis.document.text)), f"no sentence has {quote!r}"
    return [c for c in analysis.claims if any(quote in ev.text for ev in c.evidence)]


def bounds(claim: Claim) -> set[int]:
    return {v for v in (claim.value.low, claim.value.best, claim.value.high) if v is not None}


def the_claim(analysis: Analysis, quote: str, n: int) -> Claim:
    """The one claim of the sentence with `n` as a bound."""
    claims = in_sentence(analysis, quote)
    found = [c for c in claims if n in bounds(c)]
    assert len(found) == 1, describe(claims)
    return found[0]


def describe(claims: list[Claim]) -> list[tuple]:
    return [(c.measure, c.subject, c.value, c.claimant, c.modality) for c in claims]


# --- values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("passage, quote, n, value, is_vague", [
    ("claims-quantities.txt", "8,461 residents", 8461, Range(8461, 8461, 8461), False),
    ("claims-quantities.txt", "A dozen rebel fighters", 12, Range(12, 12, 12), False),
    ("claims-quantities.txt", "More than 50 people", 50, Range(50, 50, None), False),
    ("claims-quantities.txt", "At least 82 civilians", 82, Range(82, 82, None), False),
    ("claims-quantities.txt", "Almost 3,000 people", 3000, Range(None, 3000, 3000), False),
    ("claims-quantities.txt", "Up to 65 children", 65, Range(None, 65, 65), False),
    ("claims-quantities.txt", "Between 30 and 50 men", 30, Range(30, None, 50), False),
    ("claims-quantities.txt", "Twenty-three people", 23, Range(23, 23, 23), False),
    ("claims-attribution.txt", "about 8,000 people", 8000, Range(8000, 8000, 8000), False),
    # vague words keep their implied bounds and commit to no point
    ("claims-quantities.txt", "Hundreds of families", 200, Range(200, None, 999), True),
    ("claims-quantities.txt", "Dozens of wounded patients", 24, Range(24, None, 99), True),
    ("claims-quantities.txt", "Thousands of residents", 2000, Range(2000, None, 9999), True),
    ("claims-quantities.txt", "Tens of thousands of people", 20000, Range(20000, None, 99999), True),
])
def test_claims_value(analyse, passage, quote, n, value, is_vague):
    claim = the_claim(analyse(passage), quote, n)
    assert (claim.value, claim.is_vague) == (value, is_vague)


# --- measure and subject ------------------------------------------------------------------------

@pytest.mark.parametrize("passage, quote, n, measure, subject", [
    ("claims-quantities.txt", "left rebel-held territory", 8461, "fled", "residents"),
    ("claims-quantities.txt", "A dozen rebel fighters surrendered", 12, "surrendered", "fighters"),
    ("claims-quantities.txt", "civilians were executed", 82, "killed", "civilians"),
    ("claims-quantities.txt", "Eleven rebels were slain", 11, "killed", "rebels"),
    ("claims-quantities.txt", "Seven patients died", 7, "killed", "patients"),
    ("claims-quantities.txt", "people are still trapped", 3000, "remaining", "people"),
    ("claims-quantities.txt", "children have gone missing", 65, "missing", "children"),
    ("claims-quantities.txt", "men were detained", 30, "detained", "men"),
    ("claims-quantities.txt", "families were displaced", 200, "displaced", "families"),
    ("claims-quantities.txt", "Thousands of residents fled", 2000, "fled", "residents"),
    ("claims-quantities.txt", "captured 15 soldiers and two tanks", 15, "captured", "soldiers"),
    ("claims-quantities.txt", "captured 15 soldiers and two tanks", 2, "captured", "tanks"),
    ("claims-quantities.txt", "Forty government troops were wounded", 40, "injured", "troops"),
    ("kharkiv.txt", "destroyed 14 Russian tanks", 14, "destroyed", "tanks"),
    # the verb says what happened to the patients; "wounded" only says which patients
    ("claims-quantities.txt", "Dozens of wounded patients were evacuated", 24, "evacuated", "patients"),
    xfail("syria-humanitarian.txt", "Buses carried about 3,000 civilians", 3000, "evacuated", "civilians",
          reason="measure 'other': buses carrying people out of a besieged place is not read as evacuation"),
    ("claims-attribution.txt", "728 rebels had laid down their arms", 728, "surrendered", "rebels"),
    ("claims-attribution.txt", "We pulled 45 bodies from the rubble", 45, "killed", "bodies"),
])
def test_claims_measure_and_subject(analyse, passage, quote, n, measure, subject):
    claim = the_claim(analyse(passage), quote, n)
    assert claim.measure == measure
    assert subject in (claim.subject or "")


def test_claims_breakdown_parts_point_to_the_total(analyse):
    claims = in_sentence(analyse("claims-quantities.txt"), "127 people, including 23 children and 17 women")
    by_value = {c.value.best: c for c in claims}
    total, children, women = by_value[127], by_value[23], by_value[17]
    assert [c.measure for c in (total, children, women)] == ["killed"] * 3
    assert (total.subject, children.subject, women.subject) == ("people", "children", "women")
    assert total.part_of is None
    assert children.part_of == total.id and women.part_of == total.id


def test_claims_breakdown_of_them(analyse):
    claims = in_sentence(analyse("taiz.txt"), "killing four civilians, two of them children")
    by_value = {c.value.best: c for c in claims}
    assert by_value[2].part_of == by_value[4].id and by_value[2].measure == "killed"


# --- attribution and modality -------------------------------------------------------------------

@pytest.mark.parametrize("passage, quote, n, claimant, modality", [
    ("claims-attribution.txt", "According to the Syrian Observatory", 36,
     ["Syrian Observatory for Human Rights", "SOHR"], "reported"),
    ("claims-attribution.txt", "The Local Coordination Committees said 19", 19,
     ["Local Coordination Committees", "LCC"], "reported"),
    # the one who told, not the agency told
    ("claims-attribution.txt", "told Reuters that 14 patients", 14, ["surgeon", "surgeon at a field hospital"],
     "reported"),
    ("claims-attribution.txt", "Activists reported that 22 people", 22, ["activists"], "reported"),
    ("claims-attribution.txt", "The Syrian army claimed", 200, ["Syrian army", "Syrian Arab Army"], "claimed"),
    ("claims-quantities.txt", "activists claimed", 30, ["activists"], "claimed"),
    ("claims-attribution.txt", "The White Helmets confirmed", 9, ["White Helmets", "Syrian Civil Defence"],
     "confirmed"),
    ("claims-attribution.txt", "denied that its jets had killed", 30,
     ["Russian Ministry of Defence", "Russian Defence Ministry"], "denied"),
    ("claims-attribution.txt", "Activists alleged", 13, ["activists"], "alleged"),
    ("claims-attribution.txt", "could not be independently verified", 20,
     ["Syrian Observatory for Human Rights", "Observatory"], "unconfirmed"),
    # the organisation a named spokesperson speaks for
    ("claims-attribution.txt", "spokesperson, Lina Haddad, said", 8000, ["UNHCR", "UN refugee agency"],
     "reported"),
    ("claims-attribution.txt", "a White Helmets volunteer said", 45, ["White Helmets"], "reported"),
    # the outlet's own voice
    ("claims-attribution.txt", "Four people were killed", 4, [OUTLET], "asserted"),
    ("claims-attribution.txt", "Nine civilians were reportedly killed", 9, [OUTLET], "reported"),
    ("claims-attribution.txt", "it had verified the deaths of 31", 31,
          ["Local Coordination Committees", "LCC"], "confirmed"),
    ("claims-attribution.txt", "It said 16 children", 16, ["UNICEF"], "reported"),
    # a quoted paragraph belongs to the speaker whose "said:" introduced it
    ("claims-quotes.txt", "More than 2,000 families have fled", 2000, ["World Food Programme", "WFP"], "reported"),
    ("claims-quotes.txt", "About 300 are still trapped", 300, ["World Food Programme", "WFP"], "reported"),
    # nested: the wire service quotes a source; the innermost named speaker is the claimant
    ("claims-quotes.txt", "quoted a military source", 17, ["military source"], "reported"),
    # "the group" refers back to the speaker named before it
    ("claims-quotes.txt", "The group added that 12 others", 12, ["Syrian Network for Human Rights", "SNHR"],
     "reported"),
])
def test_claims_attribution(analyse, scorer, passage, quote, n, claimant, modality):
    claim = the_claim(analyse(passage), quote, n)
    assert scorer.name_match(claimant, claim.claimant), claim.claimant  # the contract's own matching
    assert claim.modality == modality


@pytest.mark.parametrize("passage, quote, n, claimant", [
    ("claims-quantities.txt", "The Russian Defense Ministry said", 8461, "Russian Ministry of Defence"),
    ("claims-attribution.txt", "The Russian Ministry of Defence denied", 30, "Russian Ministry of Defence"),
    ("claims-attribution.txt", "Russia's defense ministry said", 728, "Russian Ministry of Defence"),
    ("claims-quantities.txt", "the LCC reported", 2000, "Local Coordination Committees"),
    ("claims-quantities.txt", "the UN human rights office said", 82,
     "Office of the UN High Commissioner for Human Rights"),
    ("kharkiv.txt", "Ukraine's General Staff said", 14, "General Staff of the Armed Forces of Ukraine"),
    ("gaza.txt", "the Palestine Red Crescent said", 60, "Palestine Red Crescent Society"),
])
def test_claims_claimant_is_normalised(analyse, passage, quote, n, claimant):
    assert the_claim(analyse(passage), quote, n).claimant == claimant


# --- numbers that are not counts ----------------------------------------------------------------

@pytest.mark.parametrize("passage, quote, numbers", [
    ("claims-negatives.txt", "between the ages of 18 and 40", {18, 40}),
    ("claims-negatives.txt", "Around 80 percent of the old city", {80}),
    ("claims-negatives.txt", "Shells landed 5 kilometres", {5}),
    ("claims-negatives.txt", "at 6:30 on 3 December", {6, 30, 3}),
    ("claims-negatives.txt", "A 12-year-old girl", {12}),
    ("claims-negatives.txt", "a T-72 tank", {72}),
])
def test_claims_not_a_count(analyse, passage, quote, numbers):
    claims = in_sentence(analyse(passage), quote)
    assert not [c for c in claims if bounds(c) & numbers], describe(claims)


@pytest.mark.parametrize("passage, quote, killed", [
    ("claims-negatives.txt", "between two rebel factions killed nine people", 9),  # the two are the killers
    ("claims-negatives.txt", "at 6:30 on 3 December and killed 17 people", 17),
])
def test_claims_killed_counts_only_the_dead(analyse, passage, quote, killed):
    claims = [c for c in in_sentence(analyse(passage), quote) if c.measure == "killed"]
    assert [c.value for c in claims] == [Range(killed, killed, killed)], describe(claims)
