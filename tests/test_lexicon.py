"""The actor, source and trigger lexicons: every row loads, and news wording normalises as an analyst would."""
from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from sitrep.lexicon import (
    EVENT_TYPES,
    Actor,
    Source,
    Trigger,
    event_type_of,
    load_actors,
    load_sources,
    load_triggers,
    normalise_actor,
    normalise_source,
)

# Written out here, not imported, so the module's table cannot drift from ACLED unnoticed.
ACLED_PAIRS = {
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Grenade"),
    ("Violence against civilians", "Sexual violence"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Protests", "Peaceful protest"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Excessive force against protesters"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    ("Strategic developments", "Non-violent transfer of territory"),
    ("Strategic developments", "Other"),
}
HUMANITARIAN_PAIRS = {("Humanitarian", s) for s in ("Evacuation", "Displacement", "Aid delivery", "Aid obstruction")}


# ---- every row loads

def test_lexicon_every_row_loads():
    actors, sources, triggers = load_actors(), load_sources(), load_triggers()
    assert len(actors) >= 90 and len(sources) >= 200 and len(triggers) >= 500
    assert all(isinstance(a, Actor) and a.name and a.aliases for a in actors)
    assert all(isinstance(s, Source) and s.name and (s.aliases or s.cased_aliases) for s in sources)
    assert all(isinstance(t, Trigger) and t.trigger == t.trigger.strip().lower() for t in triggers)
    assert all(1 <= a.inter <= 8 for a in actors)


def test_lexicon_loads_once_per_process():
    assert load_actors() is load_actors() and load_sources() is load_sources() and load_triggers() is load_triggers()


def test_lexicon_rows_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_actors()[0].name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("rows", [load_actors, load_sources], ids=["actors", "sources"])
def test_lexicon_names_are_unique(rows):
    assert [n for n, c in Counter(r.name for r in rows()).items() if c > 1] == []


def test_lexicon_event_types_table_is_acled():
    pairs = {(e, s) for e, subs in EVENT_TYPES.items() for s in subs}
    assert pairs == ACLED_PAIRS | HUMANITARIAN_PAIRS


def test_lexicon_every_trigger_is_a_valid_pair():
    bad = {(t.trigger, t.event_type, t.sub_event_type) for t in load_triggers()
           if (t.event_type, t.sub_event_type) not in ACLED_PAIRS | HUMANITARIAN_PAIRS}
    assert bad == set()


def test_lexicon_every_sub_event_type_has_a_trigger():
    assert ACLED_PAIRS | HUMANITARIAN_PAIRS <= {(t.event_type, t.sub_event_type) for t in load_triggers()}


def test_lexicon_triggers_are_not_repeated():
    keys = Counter((t.trigger, t.pos, t.condition) for t in load_triggers())
    assert [k for k, c in keys.items() if c > 1] == []


def test_lexicon_parents_are_sources():
    names = {s.name for s in load_sources()}
    assert {s.parent for s in load_sources() if s.parent} <= names


@pytest.mark.parametrize("index", ["actors", "sources"])
def test_lexicon_shared_aliases_differ_by_country(index):
    """Rows may share an alias only if the event's country can tell them apart, or lookups depend on luck."""
    from sitrep import lexicon
    idx = lexicon._actor_index() if index == "actors" else lexicon._source_index()
    clashes = []
    for table in (idx.folded, idx.cased):
        for alias, numbers in table.items():
            countries = [idx.rows[i].country for i in numbers]
            if len(set(countries)) < len(countries):
                clashes.append((alias, [idx.rows[i].name for i in numbers]))
    assert clashes == []


# ---- actors

@pytest.mark.parametrize("raw, name", [
    # Syria, government side
    ("pro-Assad forces", "Syrian government forces"),
    ("Pro-Assad forces", "Syrian government forces"),
    ("advancing pro-Assad forces", "Syrian government forces"),
    ("regime troops", "Syrian government forces"),
    ("regime forces", "Syrian government forces"),
    ("Syrian Army", "Syrian government forces"),
    ("Syrian army", "Syrian government forces"),
    ("the regime", "Syrian government forces"),
    ("Assad regime", "Syrian government forces"),
    ("Assad regime army", "Syrian government forces"),
    ("Syrian Arab Army", "Syrian government forces"),
    ("regime militiamen", "Syrian government forces"),
    ("Afghan, Iranian, and regime militiamen", "Syrian government forces"),
    ("regime warplanes", "Syrian Air Force"),
    ("NDF militia", "National Defence Forces"),
    ("National Defense Force", "National Defence Forces"),
    ("Hezbollah fighters", "Hezbollah"),
    ("Hizbollah", "Hezbollah"),
    ("Iranian forces", "Iranian Armed Forces"),
    ("Shiite militias backed by Iran", "Iran-backed militias"),
    ("Pro-regime militia", "Pro-government militias"),
    # Russia: the state in diplomacy, its air force and its ground forces apart
    ("Russia", "Russia"),
    ("Moscow", "Russia"),
    ("Russian warplanes", "Russian Air Force"),
    ("Russian air force", "Russian Air Force"),
    ("Russian jets", "Russian Air Force"),
    ("Russian forces", "Russian Armed Forces"),
    ("Russian military", "Russian Armed Forces"),
    # Syria, others
    ("Turkish warplanes", "Turkish Armed Forces"),
    ("Turkish military", "Turkish Armed Forces"),
    ("Turkey", "Turkey"),
    ("US-led coalition", "US-led coalition"),
    ("U.S.-led coalition", "US-led coalition"),
    ("rebels", "Rebels"),
    ("Rebels", "Rebels"),
    ("opposition fighters", "Rebels"),
    ("Free Syrian Army", "Free Syrian Army"),
    ("FSA", "Free Syrian Army"),
    ("Islamic State", "Islamic State"),
    ("ISIS", "Islamic State"),
    ("ISIL", "Islamic State"),
    ("Daesh", "Islamic State"),
    ("Jabhat Fatah al-Sham", "Jabhat Fatah al-Sham"),
    ("JFS", "Jabhat Fatah al-Sham"),
    ("Jabhat Fateh al-Sham", "Jabhat Fatah al-Sham"),
    ("Fatah al-Sham Front", "Jabhat Fatah al-Sham"),
    ("al-Nusra", "Jabhat Fatah al-Sham"),
    ("Nusra Front", "Jabhat Fatah al-Sham"),
    ("Jabhat al-Nusra", "Jabhat Fatah al-Sham"),
    ("Jabhat al-Nusra Front", "Jabhat Fatah al-Sham"),
    ("Ahrar al-Sham", "Ahrar al-Sham"),
    ("SDF", "Syrian Democratic Forces"),
    ("YPG", "People's Protection Units"),
    ("Abu Amara Battalion", "Abu Amara Battalion"),
    ("Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"),
    ("Hay’at Tahrir al-Sham", "Hayat Tahrir al-Sham"),  # typographic apostrophe
    ("HTS", "Hayat Tahrir al-Sham"),
    # other conflicts
    ("Israeli Defence Forces", "Israel Defense Forces"),
    ("IDF", "Israel Defense Forces"),
    ("Israeli warplanes", "Israel Defense Forces"),
    ("Hamas", "Hamas"),
    ("al-Qassam Brigades", "Hamas"),
    ("Houthis", "Houthis"),
    ("Houthi rebels", "Houthis"),
    ("Ansar Allah", "Houthis"),
    ("Saudi-led coalition", "Saudi-led coalition"),
    ("Ukrainian armed forces", "Ukrainian Armed Forces"),
    ("Ukraine's army", "Ukrainian Armed Forces"),
    ("RSF", "Rapid Support Forces"),
    ("the Rapid Support Forces", "Rapid Support Forces"),
    ("Sudanese Armed Forces", "Sudanese Armed Forces"),
    ("SAF", "Sudanese Armed Forces"),
    ("al-Shabaab", "Al-Shabaab"),
    ("al-Shabab militants", "Al-Shabaab"),
    ("Boko Haram", "Boko Haram"),
    ("JNIM", "JNIM"),
    ("Taliban", "Taliban"),
    ("Iraqi security forces", "Iraqi security forces"),
    ("PMF", "Popular Mobilisation Forces"),
    ("Hashd al-Shaabi", "Popular Mobilisation Forces"),
    ("Peshmerga", "Peshmerga"),
    ("Médecins", None),  # accents fold, but a word that is no alias stays unknown
    ("civilians", "Civilians"),
    ("protesters", "Protesters"),
])
def test_lexicon_normalise_actor(raw, name):
    actor = normalise_actor(raw)
    assert (actor.name if actor else None) == name


@pytest.mark.parametrize("raw, name", [
    ("IS", "Islamic State"),
    ("IS fighters", "Islamic State"),
    ("is", None),  # the verb, not the group
    ("Is", None),
    ("what is left of the town", None),
    ("US", "United States"),
    ("us", None),  # the pronoun
])
def test_lexicon_cased_aliases_match_only_as_written(raw, name):
    actor = normalise_actor(raw)
    assert (actor.name if actor else None) == name


@pytest.mark.parametrize("raw, name", [
    ("Islamic State West Africa Province", "Islamic State West Africa Province"),  # not plain Islamic State
    ("Syrian government forces", "Syrian government forces"),  # not the Syrian government
    ("Russian Air Force jets", "Russian Air Force"),
    ("fighters of Jabhat Fatah al-Sham and Ahrar al-Sham", "Jabhat Fatah al-Sham"),  # longest, then first
])
def test_lexicon_actor_prefers_longest_alias(raw, name):
    assert normalise_actor(raw).name == name


@pytest.mark.parametrize("raw, country, name", [
    ("government forces", "Syria", "Syrian government forces"),
    ("government forces", "Sudan", "Sudanese Armed Forces"),
    ("government forces", "Iraq", "Iraqi security forces"),
    ("the army", "Mali", "Malian Armed Forces"),
    ("government forces", None, "Government forces"),  # no country: the generic row
    ("government forces", "Chile", "Government forces"),
    ("rebels", "Syria", "Syrian rebels"),
    ("coalition warplanes", "Yemen", "Saudi-led coalition"),
    ("coalition warplanes", "Iraq", "US-led coalition"),
    ("Kurdish forces", "Syria", "People's Protection Units"),
    ("Kurdish forces", "Iraq", "Peshmerga"),
    ("SNA", "Somalia", "Somali National Army"),
    ("SNA", "Syria", "Syrian National Army"),
])
def test_lexicon_actor_shared_alias_resolved_by_country(raw, country, name):
    assert normalise_actor(raw, country=country).name == name


@pytest.mark.parametrize("raw, country, expected", [
    ("pro-Assad forces", "Syria", True),
    ("National Defence Forces", "Syria", True),
    ("Hezbollah", "Syria", True),
    ("Hezbollah", "Lebanon", False),
    ("rebels", "Syria", False),
    ("Russian forces", "Syria", True),
    ("Russian forces", "Ukraine", False),  # captures there are coded Non-state actor overtakes territory
    ("government forces", "Mali", True),  # the generic row sides with any government
])
def test_lexicon_actor_government_side(raw, country, expected):
    assert normalise_actor(raw, country=country).is_government_side(country) is expected


@pytest.mark.parametrize("raw", ["", "   ", "the weather", "breakfast", "Aleppo"])
def test_lexicon_unknown_actor_is_none(raw):
    assert normalise_actor(raw) is None


# ---- sources

@pytest.mark.parametrize("raw, name", [
    ("Russian military", "Russian Ministry of Defence"),
    ("Russian Defence Ministry", "Russian Ministry of Defence"),
    ("Russian Defense Ministry", "Russian Ministry of Defence"),
    ("Russian Ministry of Defence", "Russian Ministry of Defence"),
    ("Russia's defence ministry", "Russian Ministry of Defence"),
    ("Russia’s defence ministry", "Russian Ministry of Defence"),
    ("Moscow's defence ministry", "Russian Ministry of Defence"),
    ("The Russian Defense Ministry spokesman Igor Konashenkov", "Russian Ministry of Defence"),
    ("Local Coordination Committees", "Local Coordination Committees"),
    ("LCC", "Local Coordination Committees"),
    ("Syrian Local Coordination Committees", "Local Coordination Committees"),
    ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
    ("SOHR", "Syrian Observatory for Human Rights"),
    ("the Observatory", "Syrian Observatory for Human Rights"),
    ("the Observatory's", "Syrian Observatory for Human Rights"),  # possessive
    ("the Britain-based monitor", "Syrian Observatory for Human Rights"),
    ("White Helmets", "White Helmets"),
    ("Syrian Civil Defense", "White Helmets"),
    ("Syria Civil Defence", "White Helmets"),
    ("UN", "United Nations"),
    ("United Nations", "United Nations"),
    ("UN report", "United Nations"),
    ("OHCHR", "Office of the UN High Commissioner for Human Rights"),
    ("UN human rights office", "Office of the UN High Commissioner for Human Rights"),
    ("United Nations' human-rights office", "Office of the UN High Commissioner for Human Rights"),
    ("UN High Commissioner for Human Rights", "Office of the UN High Commissioner for Human Rights"),
    ("OCHA", "OCHA"),
    ("UN humanitarian spokesman", "OCHA"),
    ("UNHCR", "UNHCR"),
    ("UN refugee agency", "UNHCR"),
    ("Unicef", "UNICEF"),
    ("WHO", "World Health Organization"),
    ("WFP", "World Food Programme"),
    ("UN Security Council", "UN Security Council"),
    ("ICRC", "International Committee of the Red Cross"),
    ("Red Cross", "International Committee of the Red Cross"),
    ("Syrian Arab Red Crescent", "Syrian Arab Red Crescent"),
    ("Doctors Without Borders", "Medecins Sans Frontieres"),
    ("Médecins Sans Frontières", "Medecins Sans Frontieres"),
    ("MSF", "Medecins Sans Frontieres"),
    ("Amnesty International", "Amnesty International"),
    ("Human Rights Watch", "Human Rights Watch"),
    ("SANA", "SANA"),
    ("Turkish military", "Turkish Armed Forces"),
    ("Turkish General Staff", "Turkish Armed Forces"),
    ("State Department", "US State Department"),
    ("Pentagon", "Pentagon"),
    ("White House", "White House"),
    ("Reuters", "Reuters"),
    ("Reuters reporters", "Reuters"),
    ("AP", "Associated Press"),
    ("The Associated Press", "Associated Press"),
    ("AFP", "Agence France-Presse"),
    # other conflicts
    ("Gaza Health Ministry", "Gaza Health Ministry"),
    ("Gaza's Hamas-run health ministry", "Gaza Health Ministry"),
    ("IDF spokesperson", "IDF Spokesperson's Unit"),
    ("Ukrainian General Staff", "General Staff of the Armed Forces of Ukraine"),
    ("Ukraine's air force", "Ukrainian Air Force"),
    ("Airwars", "Airwars"),
    ("ACLED", "ACLED"),
    ("Sudan Doctors Network", "Sudan Doctors Network"),
    ("COGAT", "COGAT"),
    ("UNRWA", "UNRWA"),
])
def test_lexicon_normalise_source(raw, name):
    assert normalise_source(raw).name == name


@pytest.mark.parametrize("raw, name", [
    ("activists", "activists"),
    ("an activist", "activists"),  # singular of a generic term
    ("opposition activists", "opposition activists"),  # not the opposition
    ("Opposition activists", "opposition activists"),
    ("residents", "residents"),
    ("a resident", "residents"),
    ("military sources", "military sources"),
    ("a military source", "military sources"),
    ("local sources", "local sources"),
    ("witnesses", "witnesses"),
    ("medics", "medics"),
    ("officials", "officials"),
])
def test_lexicon_anonymous_sources_normalise_to_themselves(raw, name):
    source = normalise_source(raw)
    assert source.name == name and source.is_anonymous


@pytest.mark.parametrize("raw, name", [
    ("LCC activists", "Local Coordination Committees"),
    ("UN sources", "United Nations"),
    ("Syrian military source", "Syrian Arab Army General Command"),
])
def test_lexicon_named_source_beats_anonymous_neighbour(raw, name):
    assert normalise_source(raw).name == name


@pytest.mark.parametrize("raw, name", [
    ("WHO", "World Health Organization"),
    ("who", None),  # the pronoun
    ("those who fled", None),
    ("SANA", "SANA"),
    ("Sanaa", None),  # the city
    ("AP", "Associated Press"),
    ("ap", None),
    ("EA WorldView", "EA WorldView"),
])
def test_lexicon_source_cased_aliases(raw, name):
    source = normalise_source(raw)
    assert (source.name if source else None) == name


@pytest.mark.parametrize("raw, name, parent", [
    ("Igor Konashenkov", "Igor Konashenkov", "Russian Ministry of Defence"),
    ("Rupert Colville", "Rupert Colville", "Office of the UN High Commissioner for Human Rights"),
    ("Colville", "Rupert Colville", "Office of the UN High Commissioner for Human Rights"),
    ("Jens Laerke", "Jens Laerke", "OCHA"),
    ("Sergei Lavrov", "Sergei Lavrov", "Russian Ministry of Foreign Affairs"),
    ("Amaq", "Amaq News Agency", "Islamic State"),
])
def test_lexicon_officials_have_parents(raw, name, parent):
    source = normalise_source(raw)
    assert (source.name, source.parent) == (name, parent)


@pytest.mark.parametrize("raw, country, name", [
    ("health ministry", "Palestine", "Gaza Health Ministry"),
    ("health ministry", "Lebanon", "Lebanese Health Ministry"),
    ("Defence Ministry", "Russia", "Russian Ministry of Defence"),
    ("Defence Ministry", "Ukraine", "Ukrainian Ministry of Defence"),
    ("civil defence", "Syria", "White Helmets"),
    ("civil defence", "Palestine", "Palestinian Civil Defence"),
    ("Red Crescent", "Palestine", "Palestine Red Crescent Society"),
    ("state media", "Syria", "SANA"),
    ("state media", None, "state media"),
])
def test_lexicon_source_shared_alias_resolved_by_country(raw, country, name):
    assert normalise_source(raw, country=country).name == name


@pytest.mark.parametrize("raw", ["", "yesterday", "the town"])
def test_lexicon_unknown_source_is_none(raw):
    assert normalise_source(raw) is None


# ---- triggers

@pytest.mark.parametrize("lemma, event_type, sub_event_type", [
    ("air strike", "Explosions/Remote violence", "Air/drone strike"),
    ("airstrike", "Explosions/Remote violence", "Air/drone strike"),
    ("air-strike", "Explosions/Remote violence", "Air/drone strike"),
    ("air strikes", "Explosions/Remote violence", "Air/drone strike"),  # a surface plural is tolerated
    ("barrel bomb", "Explosions/Remote violence", "Air/drone strike"),
    ("drone strike", "Explosions/Remote violence", "Air/drone strike"),
    ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("mortar", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("artillery", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("rocket", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("missile", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("suicide bomb", "Explosions/Remote violence", "Suicide bomb"),
    ("suicide car bomb", "Explosions/Remote violence", "Suicide bomb"),
    ("car bomb", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("VBIED", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("IED", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("landmine", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("grenade", "Explosions/Remote violence", "Grenade"),
    ("chemical attack", "Explosions/Remote violence", "Chemical weapon"),
    ("chlorine", "Explosions/Remote violence", "Chemical weapon"),
    ("clash", "Battles", "Armed clash"),
    ("fighting", "Battles", "Armed clash"),
    ("battle", "Battles", "Armed clash"),
    ("ambush", "Battles", "Armed clash"),
    ("surround", "Battles", "Armed clash"),
    ("besiege", "Battles", "Armed clash"),
    ("advance", "Battles", "Armed clash"),
    ("execute", "Violence against civilians", "Attack"),
    ("massacre", "Violence against civilians", "Attack"),
    ("torture", "Violence against civilians", "Attack"),
    ("rape", "Violence against civilians", "Sexual violence"),
    ("abduct", "Violence against civilians", "Abduction/forced disappearance"),
    ("kidnap", "Violence against civilians", "Abduction/forced disappearance"),
    ("disappear", "Violence against civilians", "Abduction/forced disappearance"),
    ("protest", "Protests", "Peaceful protest"),
    ("demonstration", "Protests", "Peaceful protest"),
    ("tear gas", "Protests", "Protest with intervention"),  # not a chemical weapon
    ("riot", "Riots", "Violent demonstration"),
    ("lynch", "Riots", "Mob violence"),
    ("ceasefire", "Strategic developments", "Agreement"),
    ("cease-fire", "Strategic developments", "Agreement"),
    ("truce", "Strategic developments", "Agreement"),
    ("agreement", "Strategic developments", "Agreement"),
    ("veto", "Strategic developments", "Other"),
    ("surrender", "Strategic developments", "Change to group/activity"),
    ("looting", "Strategic developments", "Looting/property destruction"),
    ("withdraw", "Strategic developments", "Non-violent transfer of territory"),
    ("de-mine", "Strategic developments", "Disrupted weapons use"),
    ("evacuate", "Humanitarian", "Evacuation"),
    ("evacuation", "Humanitarian", "Evacuation"),
    ("flee", "Humanitarian", "Displacement"),
    ("displace", "Humanitarian", "Displacement"),
    ("aid convoy", "Humanitarian", "Aid delivery"),
    ("aid delivery", "Humanitarian", "Aid delivery"),
    ("block aid", "Humanitarian", "Aid obstruction"),
])
def test_lexicon_event_type_of(lemma, event_type, sub_event_type):
    trigger = event_type_of(lemma)
    assert (trigger.event_type, trigger.sub_event_type) == (event_type, sub_event_type)


@pytest.mark.parametrize("lemma, pos, expected", [
    ("march", "VERB", "Peaceful protest"),
    ("march", "PROPN", None),  # the month
    ("strike", "noun", "Air/drone strike"),
    ("general strike", "noun", "Peaceful protest"),
    ("breakfast", None, None),
])
def test_lexicon_event_type_of_pos(lemma, pos, expected):
    trigger = event_type_of(lemma, pos)
    assert (trigger.sub_event_type if trigger else None) == expected


@pytest.mark.parametrize("lemma, actor, country, sub_event_type", [
    ("capture", "rebels", "Syria", "Non-state actor overtakes territory"),
    ("capture", "ISIS", "Syria", "Non-state actor overtakes territory"),
    ("capture", "pro-Assad forces", "Syria", "Government regains territory"),
    ("seize", "Free Syrian Army", "Syria", "Non-state actor overtakes territory"),
    ("take control", "Sudanese army", "Sudan", "Government regains territory"),
    ("recapture", "RSF", "Sudan", "Non-state actor overtakes territory"),
    ("retake", "Iraqi forces", "Iraq", "Government regains territory"),
    ("capture", "Russian forces", "Ukraine", "Non-state actor overtakes territory"),
    ("detain", "pro-Assad forces", "Syria", "Arrests"),
    ("arrest", "IDF", "Palestine", "Arrests"),
    ("detain", "Abu Amara Battalion", "Syria", "Abduction/forced disappearance"),
    ("bomb", "Russian jets", "Syria", "Air/drone strike"),
    ("bomb", "al-Shabaab", "Somalia", "Remote explosive/landmine/IED"),
])
def test_lexicon_event_type_of_depends_on_actor(lemma, actor, country, sub_event_type):
    trigger = event_type_of(lemma, "verb", actor=normalise_actor(actor, country=country), country=country)
    assert trigger.sub_event_type == sub_event_type


def test_lexicon_event_type_of_civilian_condition():
    assert event_type_of("kill", "verb", civilians=True).sub_event_type == "Attack"
    fighters = event_type_of("kill", "verb", civilians=False)  # fighters killed: a clash, unless a weapon is named
    assert (fighters.sub_event_type, fighters.is_weak) == ("Armed clash", True)
    assert event_type_of("kill", "verb").condition == ""  # undecided: the unconditional row holds
    assert event_type_of("set fire", "verb", civilians=True).sub_event_type == "Attack"
    assert event_type_of("set fire", "verb", civilians=False).sub_event_type == "Looting/property destruction"


# ---- hierarchy: ACLED's precedence rules as priorities

def _t(lemma: str) -> Trigger:
    trigger = event_type_of(lemma)
    assert trigger is not None, lemma
    return trigger


@pytest.mark.parametrize("higher, lower", [
    ("chlorine", "barrel bomb"),  # a chlorine barrel bomb is a chemical weapon
    ("chemical attack", "clash"),  # even inside a battle
    ("suicide car bomb", "clash"),  # a suicide bomb that opens a battle stays a suicide bomb
    ("suicide car bomb", "car bomb"),
    ("capture", "clash"),  # a battle in which control changes is coded by its territorial sub-type
    ("recapture", "fighting"),
    ("clash", "air strike"),  # remote weapons during ground fighting are part of the battle
    ("fighting", "shelling"),
    ("battle", "grenade"),
    ("air strike", "explosion"),  # a named weapon explains a blast
    ("rape", "execute"),  # sexual violence outranks attack
    ("fire on protesters", "tear gas"),
    ("tear gas", "protest"),
    ("riot", "protest"),
    ("ceasefire", "veto"),
    ("block aid", "aid convoy"),
])
def test_lexicon_priority_encodes_acled_precedence(higher, lower):
    assert _t(higher).outranks(_t(lower))
    assert not _t(lower).outranks(_t(higher))


@pytest.mark.parametrize("one, other", [
    ("execute", "capture"),  # civilians executed during an advance: two events
    ("flee", "air strike"),  # people fleeing strikes: two events
    ("ceasefire", "shelling"),  # a strike during a ceasefire is an event, and a conflict
])
def test_lexicon_families_do_not_absorb_each_other(one, other):
    assert not _t(one).outranks(_t(other)) and not _t(other).outranks(_t(one))


@pytest.mark.parametrize("lemma", ["attack", "kill", "explosion", "destroy", "withdraw", "enter"])
def test_lexicon_generic_words_are_weak(lemma):
    assert _t(lemma).is_weak


@pytest.mark.parametrize("lemma", ["air strike", "clash", "capture", "execute", "protest", "ceasefire", "evacuate"])
def test_lexicon_specific_words_are_not_weak(lemma):
    assert not _t(lemma).is_weak
