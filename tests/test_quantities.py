"""Counts found in invented sentences: what must be read, what must not, and offsets that round-trip."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model import Range
from sitrep.quantities import Quantity, breakdowns, find_quantities


def only(text: str) -> Quantity:
    (quantity,) = find_quantities(text)
    assert text[quantity.start:quantity.end] == quantity.text  # offsets round-trip
    return quantity


@pytest.mark.parametrize("text, phrase, value, head", [
    # digits
    ("Officials said 10,724 residents had crossed by noon.", "10,724", Range(10724, 10724, 10724), "residents"),
    ("The agency counted 1,500 families in the camp.", "1,500", Range(1500, 1500, 1500), "families"),
    ("Some 200,000 civilians are trapped.", "Some 200,000", Range(200000, 200000, 200000), "civilians"),
    ("Monitors recorded 10724 departures overnight.", "10724", Range(10724, 10724, 10724), "departures"),  # commas stripped
    ("About 1500 people queued for bread.", "About 1500", Range(1500, 1500, 1500), "people"),
    ("There are 10.724 displaced people here.", "10.724", Range(10724, 10724, 10724), "displaced people"),  # European
    ("Over 1 000 civilians were trapped.", "Over 1 000", Range(1000, 1000, None), "civilians"),  # grouped by spaces
    ("Officials said 10\u202f724 residents left.", "10\u202f724", Range(10724, 10724, 10724), "residents"),  # thin space
    # number words
    ("Two nurses were hurt in the blast.", "Two", Range(2, 2, 2), "nurses"),
    ("Rebels said eight soldiers surrendered.", "eight", Range(8, 8, 8), "soldiers"),
    ("The raid left twenty-five fighters dead.", "twenty-five", Range(25, 25, 25), "fighters"),
    ("A dozen villagers were detained.", "A dozen", Range(12, 12, 12), "villagers"),
    ("Four hundred men were taken away.", "Four hundred", Range(400, 400, 400), "men"),
    ("Two hundred and fifty families arrived.", "Two hundred and fifty", Range(250, 250, 250), "families"),
    ("The war has displaced 1.5 million people.", "1.5 million", Range(1500000, 1500000, 1500000), "people"),
    ("Nearly two million refugees crossed.", "Nearly two million", Range(None, 2000000, 2000000), "refugees"),
    ("They shelled the town with a couple of mortars.", "a couple", Range(2, 2, 2), "mortars"),
    # a lone one / a / no needs a noun from the lexicon
    ("Only one child survived the strike.", "Only one", Range(1, 1, 1), "child"),
    ("The ministry said one of its pilots died.", "one", Range(1, 1, 1), "pilots"),
    ("A paramedic was wounded by shrapnel.", "A", Range(1, 1, 1), "paramedic"),
    ("Gunmen shot a 14-year-old boy.", "a", Range(1, 1, 1), "14-year-old boy"),
    ("No civilians were harmed, the army said.", "No", Range(0, 0, 0), "civilians"),
    # lower bounds: low = best = N, no high
    ("At least 82 villagers were killed.", "At least 82", Range(82, 82, None), "villagers"),
    ("Witnesses saw more than 50 militiamen retreat.", "more than 50", Range(50, 50, None), "militiamen"),
    ("Over 300 houses were flattened.", "Over 300", Range(300, 300, None), "houses"),
    ("No fewer than 12 journalists are held.", "No fewer than 12", Range(12, 12, None), "journalists"),
    ("Shelling killed least 9 farmers.", "least 9", Range(9, 9, None), "farmers"),  # "at" dropped in hurried copy
    ("Well over 40 bodies were recovered.", "Well over 40", Range(40, 40, None), "bodies"),
    ("Medics treated 30 or more patients.", "30 or more", Range(30, 30, None), "patients"),
    ("A 50-odd convoy of trucks left.", "50-odd", Range(50, 50, None), "convoy"),
    ("It wounded 20+ bystanders.", "20+", Range(20, 20, None), "bystanders"),
    # upper bounds: no low, best = high = N
    ("Almost 3,000 children were evacuated.", "Almost 3,000", Range(None, 3000, 3000), "children"),
    ("Nearly 40 guards deserted.", "Nearly 40", Range(None, 40, 40), "guards"),
    ("Up to 65 prisoners may have escaped.", "Up to 65", Range(None, 65, 65), "prisoners"),
    ("Fewer than 10 doctors remain in the city.", "Fewer than 10", Range(None, 10, 10), "doctors"),
    ("As many as 400 detainees were freed.", "As many as 400", Range(None, 400, 400), "detainees"),
    # approximate: N, N, N as "about 8,000" in the contract
    ("About 8,000 people waited at the crossing.", "About 8,000", Range(8000, 8000, 8000), "people"),
    ("Around 70 trucks entered.", "Around 70", Range(70, 70, 70), "trucks"),
    ("Roughly 600 students fled.", "Roughly 600", Range(600, 600, 600), "students"),
    ("An estimated 50,000 residents left.", "An estimated 50,000", Range(50000, 50000, 50000), "residents"),
    ("They brought 40 or so ambulances.", "40 or so", Range(40, 40, 40), "ambulances"),
    # ranges: low and high, no best (the text commits to no point)
    ("Between 30 and 50 fighters were captured.", "Between 30 and 50", Range(30, None, 50), "fighters"),
    ("Raids killed 30 to 50 shepherds.", "30 to 50", Range(30, None, 50), "shepherds"),
    ("Raids killed 30-50 shepherds.", "30-50", Range(30, None, 50), "shepherds"),
    ("Raids killed 30–50 shepherds.", "30–50", Range(30, None, 50), "shepherds"),  # en dash
    ("Two or three tanks were seen.", "Two or three", Range(2, None, 3), "tanks"),
    ("From 200 to 300 families sheltered there.", "From 200 to 300", Range(200, None, 300), "families"),
    ("Two to three million people lack water.", "Two to three million", Range(2000000, None, 3000000), "people"),
    ("About 30 to 40 volunteers helped.", "About 30 to 40", Range(30, None, 40), "volunteers"),
    # "-strong" counts members
    ("A 300-strong militia entered the valley.", "300-strong", Range(300, 300, 300), "militia"),
])
def test_quantities_value(text, phrase, value, head):
    quantity = only(text)
    assert (quantity.text, quantity.value, quantity.head, quantity.is_vague) == (phrase, value, head, False)
    assert text[quantity.head_start:quantity.head_end] == head


@pytest.mark.parametrize("text, phrase, value, head", [
    ("Hundreds of families slept outside.", "Hundreds", Range(200, None, 999), "families"),
    ("Dozens were arrested at dawn.", "Dozens", Range(24, None, 99), None),
    ("Thousands of residents fled north.", "Thousands", Range(2000, None, 9999), "residents"),
    ("Tens of thousands of people marched.", "Tens of thousands", Range(20000, None, 99999), "people"),
    ("Hundreds of thousands of refugees wait.", "Hundreds of thousands", Range(200000, None, 999999), "refugees"),
    ("Millions of children are out of school.", "Millions", Range(2000000, None, 9999999), "children"),
    ("Scores of homes burned.", "Scores", Range(40, None, 99), "homes"),
    ("Tens of soldiers surrendered.", "Tens", Range(20, None, 99), "soldiers"),
    ("She guided 100s of families out.", "100s", Range(200, None, 999), "families"),
    ("Several hundred protesters gathered.", "Several hundred", Range(300, None, 999), "protesters"),
    ("A few thousand troops remain.", "A few thousand", Range(2000, None, 9999), "troops"),
    ("Many thousands of people left.", "Many thousands", Range(2000, None, 9999), "people"),
    ("Several prisoners were beaten.", "Several", Range(3, None, 9), "prisoners"),
    ("A few fighters stayed behind.", "A few", Range(2, None, 9), "fighters"),
    ("A handful of medics remain.", "A handful", Range(2, None, 9), "medics"),
    ("Many civilians were trapped.", "Many", Range(2, None, None), "civilians"),
    ("Numerous witnesses described it.", "Numerous", Range(2, None, None), "witnesses"),
])
def test_quantities_vague(text, phrase, value, head):
    quantity = only(text)
    assert (quantity.text, quantity.value, quantity.head, quantity.is_vague) == (phrase, value, head, True)


@pytest.mark.parametrize("text", [
    # hyphenated durations and adjectives
    "After a three-week siege the town fell.",
    "They agreed a 5-day truce.",
    "A 24-hour ceasefire began.",
    "The 12-year-old was treated at home.",
    "Two-thirds of the town is in ruins.",
    # durations, fractions, percentages
    "The siege lasted three weeks.",
    "He was held for 24 hours.",
    "Roads were closed for several days.",
    "Results were split 1/2 and 2/3.",
    "Prices rose 75% this year.",
    "Prices rose 75 percent.",
    "Prices rose 75 per cent.",
    # ages
    "Those detained were aged between 30 and 50.",
    "Men between the ages of 30 and 50 were stopped.",
    "The suspect, aged 19, was held.",
    "He died in his 30s.",
    "Children under five were vaccinated.",
    # distances, measures, money
    "The front is 5 kilometers away.",
    "The front is 4 km away.",
    "The front is 4km away.",
    "They walked 2.5 miles.",
    "The rate of 2.5 was reported.",
    "Donors pledged $5 million.",
    "Donors pledged 5 million dollars.",
    "Aid worth €300 arrived.",
    "Trucks carried 40 tonnes of flour.",
    "They fired 120mm shells.",
    # times
    "UPDATE 1850 GMT: the convoy moved.",
    "The blast came at 14:32.",
    "Sirens sounded at 10 a.m.",
    "Sirens sounded at 10am.",
    "Sirens sounded at 1850.",
    # dates and years
    "Talks resume on November 26.",
    "Talks resume on 26 November.",
    "Talks resumed on Dec. 8.",
    "The war began in 2011.",
    "That was 2016.",
    "The truce held from 2011 to 2016.",
    "It was published 2016-12-09.",
    "The 1990s were calmer.",
    # ordinals and pronoun "one"
    "It was the first convoy.",
    "It was the 3rd convoy.",
    "It was one of the worst days.",
    "It was the one who stayed.",
    "No one answered.",
    "They helped one another.",
    "A spokesman declined to comment.",
    # labels, designations, contact details
    "The council passed Resolution 2254.",
    "Article 5 was invoked.",
    "They drove along Route 4.",
    "Tanks of type T-72 moved in.",
    "An Su-24 crashed.",
    "Call +44 20 7946 0958 for details.",
    "See https://example.org/2016/12/09/report for details.",
    # capitalised number words mid-sentence are names
    "Leaders of the Group of Seven met.",
    # vague words that need "of" or a noun
    "The scores were level.",
    "How many remain is unclear.",
    "Many believe it.",
])
def test_quantities_not_counts(text):
    assert find_quantities(text) == ()


@pytest.mark.parametrize("text, found", [
    ("Two factions clashed near the dam.", [("Two", "factions")]),  # counted; the extractor rejects non-people
    ("Two tanks and a tracked vehicle were destroyed.", [("Two", "tanks"), ("a", "tracked vehicle")]),
    ("12 Syrian, Iraqi, and Lebanese gunmen were seized, and five were released.",
     [("12", "Syrian, Iraqi, and Lebanese gunmen"), ("five", None)]),
    ("Another 15 pro-government troops were killed on the ridge.", [("15", "pro-government troops")]),
    ("Aid reached 20,000 people in December 2016.", [("20,000", "people")]),  # a count next to a year
    ("The toll rose from 30 to 50.", [("30", None), ("50", None)]),  # a change, not a range
    ("Militants fired 14 “homemade” rockets.", [("14", "homemade")]),
    ("Guards held wells 101 102 and 103 people.", [("101", None), ("102", None), ("103", "people")]),  # not 101102
    ("On May 5 100 people fled.", [("100", "people")]),  # a date, then a count
    ("5 Civilians Killed in Mortar Attack", [("5", "Civilians")]),  # title case
])
def test_quantities_found(text, found):
    quantities = find_quantities(text)
    assert [(q.text, q.head) for q in quantities] == found
    assert all(text[q.start:q.end] == q.text for q in quantities)


@pytest.mark.parametrize("text, pairs", [
    ("Observers counted 127 people on Monday, including 23 children and 17 women.", ((0, 1), (0, 2))),
    ("The strike killed 40 people, among them 12 children.", ((0, 1),)),
    ("The strike killed 40 people, 12 of them children.", ((0, 1),)),
    ("Some 90 fighters were killed, of whom 30 were foreigners.", ((0, 1),)),
    ("The strike killed 40 people. Later 12 children were found.", ()),
    ("The strike killed 4 people, including 12 children.", ()),  # a part larger than its total
])
def test_quantities_breakdowns(text, pairs):
    assert breakdowns(text, find_quantities(text)) == pairs


def test_quantities_offsets_index_the_given_text():
    text = "Line one.\n\nUPDATE 0900 GMT: at least 82 villagers were killed, including 11 women."
    first, second = find_quantities(text)
    assert (text[first.start:first.end], text[first.head_start:first.head_end]) == ("at least 82", "villagers")
    assert (text[second.start:second.end], second.head) == ("11", "women")


def test_quantities_rejects_inconsistent_spans():
    with pytest.raises(ValueError):
        Quantity(5, 5, "", Range(1, 1, 1), False)
    with pytest.raises(ValueError):
        Quantity(0, 2, "two", Range(2, 2, 2), False)
    with pytest.raises(ValueError):
        Quantity(0, 3, "two", Range(2, 2, 2), False, head="men")


FRAGMENTS = st.sampled_from([
    "at least", "more than", "about", "between", "and", "to", "or", "-", "–", "of", "a", "one", "no", "the",
    "hundreds", "tens", "dozens", "several", "many", "thousand", "million", "dozen", "twenty", "five",
    "10,724", "2.5", "1/2", "14:32", "2016", "100s", "%", "$", "km", "GMT", "November", "aged", "Resolution",
    "civilians", "people", "child", "were", "killed", ",", ".", "\n", "“", "+", "(", ")", "T", "0",
])


@settings(deadline=None)
@given(st.one_of(st.text(), st.lists(FRAGMENTS, max_size=30).map(" ".join), st.lists(FRAGMENTS, max_size=30).map("".join)))
def test_quantities_never_raise_and_stay_in_text(text):
    quantities = find_quantities(text)
    for q in quantities:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        if q.head is not None:
            assert q.end <= q.head_start < q.head_end <= len(text)
            assert text[q.head_start:q.head_end] == q.head
    assert [q.start for q in quantities] == sorted(q.start for q in quantities)
    for total, part in breakdowns(text, quantities):
        assert 0 <= total < part < len(quantities)
