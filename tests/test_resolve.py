"""Cross-document resolution: merged events, reconciled figures, conflicts, grades, order independence.

Reports are short passages in our own words about invented places (Tell Sabra and its quarters, in
Testland), with the events and claims an extractor would find in them written out by hand.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest

from sitrep.errors import StoreError
from sitrep.geo import Gazetteer, Place
from sitrep.lexicon import EVENT_TYPES
from sitrep.model import Analysis, Claim, Document, Event, Evidence, Location, Range
from sitrep.report import export_records, write_export
from sitrep.resolve import Conflict, Resolution, resolve, resolve_records
from sitrep.resolve.figures import reconcile
from sitrep.store import SCHEMA_V1, SCHEMA_V2, Store

THURSDAY = date(2021, 3, 4)
GAZETTEER = Gazetteer([
    Place("Tell Sabra", "city", "town", admin1="Northern", country="Testland", lat=36.2, lon=37.1),
    Place("Bab Qadim", "neighbourhood", "neighbourhood", parent="Tell Sabra", admin1="Northern",
          country="Testland", lat=36.205, lon=37.105),
    Place("Kafr Shams", "neighbourhood", "neighbourhood", parent="Tell Sabra", admin1="Northern",
          country="Testland", lat=36.19, lon=37.09),
    Place("Marj Hamra", "village", "town", admin1="Northern", country="Testland", lat=36.5, lon=37.6),
])
PLACES = {  # as the extractor writes them: the name in the text, the gazetteer's name first among the aliases
    "Tell Sabra": Location("Tell Sabra", "Northern", "Testland", 36.2, 37.1, "town", ("Tell Sabra", "Tal Sabra")),
    "eastern Tell Sabra": Location("eastern Tell Sabra", "Northern", "Testland", 36.2, 37.1, "town",
                                   ("Tell Sabra", "Tal Sabra")),
    "Bab Qadim": Location("Bab Qadim", "Northern", "Testland", 36.205, 37.105, "neighbourhood", ("Bab Qadim",)),
    "Bab al-Qadim": Location("Bab al-Qadim", "Northern", "Testland", 36.205, 37.105, "neighbourhood",
                             ("Bab Qadim",)),
    "Kafr Shams": Location("Kafr Shams", "Northern", "Testland", 36.19, 37.09, "neighbourhood", ("Kafr Shams",)),
    "Marj Hamra": Location("Marj Hamra", "Northern", "Testland", 36.5, 37.6, "town", ("Marj Hamra",)),
}
STRIKE, SHELLING, CLASH = "Air/drone strike", "Shelling/artillery/missile attack", "Armed clash"


def report(name: str, text: str, outlet: str = "Valley Herald", published: date = date(2021, 3, 5)) -> Document:
    return Document(hashlib.sha256(text.encode()).hexdigest()[:16], name, text, path=name, outlet=outlet,
                    published=published)


def span(doc: Document, phrase: str) -> Evidence:
    start = doc.text.index(phrase)
    return Evidence(doc.id, start, start + len(phrase), phrase)


def event(doc: Document, phrase: str, sub: str, day: date | None, place: str, sources: tuple[str, ...] = (),
          actors: tuple[str, ...] = (), killed: Range | None = None) -> Event:
    event_type = next(t for t, subs in EVENT_TYPES.items() if sub in subs)
    evidence = span(doc, phrase)
    return Event(f"e-{doc.id}-{evidence.start}", doc.id, event_type, sub, day, "day" if day else None,
                 PLACES[place], actors, actors, killed, None, sources, (evidence,))


def claim(doc: Document, phrase: str, claimant: str, measure: str, subject: str, value: Range,
          modality: str = "reported", day: date | None = THURSDAY, place: str | None = None) -> Claim:
    evidence = span(doc, phrase)
    return Claim(f"c-{doc.id}-{evidence.start}", doc.id, claimant, claimant, measure, subject, value,
                 value.best is None, modality, day, place, evidence=(evidence,))


def resolved(*analyses: Analysis) -> Resolution:
    """The pure function, over what the analyses hold."""
    return resolve_records([e for a in analyses for e in a.events], [c for a in analyses for c in a.claims],
                           [a.document for a in analyses], GAZETTEER)


def stored(db_path, *analyses: Analysis, gazetteer: Gazetteer = GAZETTEER) -> list[dict]:
    """Store the analyses in this order, resolve, and read the export back as a reader of the file would."""
    with Store(db_path) as store:
        for analysis in analyses:
            store.add_analysis(analysis)
        resolve(store, gazetteer)
        out = io.StringIO()
        write_export(store, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def merged_sizes(resolution: Resolution) -> list[int]:
    return sorted(len(e.members) for e in resolution.events)


# --- coreference -------------------------------------------------------------------------------------------------

A = report("a.txt", "Warplanes struck the Bab Qadim quarter of Tell Sabra on Thursday, killing six people, the "
                    "Britain-based monitor said. Rebels and troops fought in Marj Hamra.")
B = report("b.txt", "Rescuers said an air raid hit Bab al-Qadim on Thursday and six people died. Jets also hit "
                    "Kafr Shams.", outlet="Northern Post")


def test_resolve_merges_one_strike_told_by_two_reports(db_path):
    first = Analysis(A, (event(A, "Warplanes struck the Bab Qadim quarter", STRIKE, THURSDAY, "Bab Qadim",
                               sources=("Britain-based monitor",), killed=Range(6, 6, 6)),))
    second = Analysis(B, (event(B, "an air raid hit Bab al-Qadim", STRIKE, THURSDAY, "Bab al-Qadim",
                                sources=("rescuers",), killed=Range(6, 6, 6)),
                          event(B, "Jets also hit Kafr Shams", STRIKE, THURSDAY, "Kafr Shams",
                                sources=("rescuers",))))
    records = stored(db_path, first, second)
    events = [r for r in records if r["kind"] == "event"]
    assert len(events) == 2  # one record for the strike both report, one for Kafr Shams
    (strike,) = [e for e in events if len(e["documents"]) == 2]
    assert strike["id"] == min(first.events[0].id, second.events[0].id)
    assert sorted(strike["members"]) == sorted([first.events[0].id, second.events[0].id])
    assert {e["document"] for e in strike["evidence"]} == {A.id, B.id}
    assert strike["sources"] == ["Syrian Observatory for Human Rights", "rescuers"]  # through the lexicon's aliases
    assert strike["sources_raw"] == ["Britain-based monitor", "rescuers"]  # as the reports gave them
    assert strike["fatalities"] == {"killed": {"low": 6, "best": 6, "high": 6}}
    assert strike["grade"] == "corroborated"
    with Store(db_path) as store:
        rows = store.conn.execute("SELECT cluster_id, COUNT(*) FROM event_clusters GROUP BY cluster_id").fetchall()
        assert sorted(n for _, n in rows) == [1, 2] and store.is_resolved()


@pytest.mark.parametrize("first, second, merged", [
    ((STRIKE, 0, "Bab Qadim"), (STRIKE, 1, "Bab Qadim"), True),  # reports a day apart: "last night"
    ((STRIKE, 0, "Bab Qadim"), (STRIKE, 2, "Bab Qadim"), False),
    ((STRIKE, 0, "Bab Qadim"), (SHELLING, 0, "Bab Qadim"), True),  # a bombardment, named two ways
    ((STRIKE, 0, "Bab Qadim"), (SHELLING, 1, "Bab Qadim"), False),  # two looser matches at once
    ((STRIKE, 0, "Bab Qadim"), (STRIKE, 0, "Tell Sabra"), True),  # the quarter inside the city
    ((STRIKE, 0, "Bab Qadim"), (STRIKE, 1, "Tell Sabra"), False),
    ((STRIKE, 0, "Bab Qadim"), (STRIKE, 0, "Kafr Shams"), False),  # two quarters of one city
    ((STRIKE, 0, "Tell Sabra"), (STRIKE, 0, "eastern Tell Sabra"), True),  # the gazetteer's one place
    ((STRIKE, 0, "Bab Qadim"), (CLASH, 0, "Bab Qadim"), False),  # another ACLED event type
    ((STRIKE, 0, "Marj Hamra"), (STRIKE, 0, "Tell Sabra"), False),
])
def test_resolve_coreference_rules(first, second, merged):
    reports = []
    for n, (sub, offset, place) in enumerate((first, second)):
        doc = report(f"{n}.txt", f"Report {n}: it happened in {place}.")
        reports.append(Analysis(doc, (event(doc, "it happened", sub, THURSDAY + timedelta(days=offset), place),)))
    assert merged_sizes(resolved(*reports)) == ([2] if merged else [1, 1])


def test_resolve_city_report_between_two_quarters_stays_apart():
    """Strikes on two quarters in one report and "strikes on Tell Sabra" in another: the city one could be
    either quarter (or both), so it joins neither."""
    city = report("c.txt", "Strikes hit Tell Sabra on Thursday.")
    analyses = [Analysis(A, (event(A, "Warplanes struck the Bab Qadim quarter", STRIKE, THURSDAY, "Bab Qadim"),)),
                Analysis(B, (event(B, "Jets also hit Kafr Shams", STRIKE, THURSDAY, "Kafr Shams"),)),
                Analysis(city, (event(city, "Strikes hit Tell Sabra", STRIKE, THURSDAY, "Tell Sabra"),))]
    assert merged_sizes(resolved(*analyses)) == [1, 1, 1]


def test_resolve_one_report_keeps_its_own_events_apart():
    """Within a report only an exact repeat folds: the author's own places and days already tell events apart."""
    doc = report("live.txt", "Shells hit Bab Qadim. Later shells hit Bab Qadim again. A strike hit Tell Sabra.")
    analysis = Analysis(doc, (event(doc, "Shells hit Bab Qadim", SHELLING, THURSDAY, "Bab Qadim"),
                              event(doc, "Later shells hit Bab Qadim again", SHELLING, THURSDAY, "Bab Qadim"),
                              event(doc, "A strike hit Tell Sabra", STRIKE, THURSDAY, "Tell Sabra")))
    assert merged_sizes(resolved(analysis)) == [1, 2]


@pytest.mark.parametrize("sources, merged", [
    ((("United Nations",), ("UN",)), True),  # the same body, however named
    ((("United Nations",), ("residents",)), False),  # undated, with nothing in common but the place
])
def test_resolve_undated_events_meet_only_through_a_shared_source(sources, merged):
    analyses = []
    for n, named in enumerate(sources):
        doc = report(f"{n}.txt", f"Report {n}: men were taken from Tell Sabra.")
        analyses.append(Analysis(doc, (event(doc, "men were taken", "Abduction/forced disappearance", None,
                                             "Tell Sabra", sources=named),)))
    assert merged_sizes(resolved(*analyses)) == ([2] if merged else [1, 1])


# --- figures -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reports, value, rule", [
    ([(Range(6, 6, 6), "Syrian Observatory for Human Rights")], Range(6, 6, 6),
     "one report (Syrian Observatory for Human Rights: 6)"),  # one report is kept as it is
    ([(Range(50, 50, None), "activists")], Range(50, 50, None), "one report (activists: more than 50)"),
    ([(Range(82, 82, None), "United Nations"), (Range(47, 47, 47), "Local Coordination Committees"),
      (Range(90, 90, 90), "White Helmets")], Range(47, 82, 90),
     "best = UN or international organisation figure (United Nations: 82); "
     "low = lowest of 3 reports (Local Coordination Committees: 47); high = highest of 3 reports (White Helmets: 90)"),
    ([(Range(30, 30, 30), "Reuters"), (Range(14, 14, 14), "Agence France-Presse")], Range(14, 14, 30),
     "best = median of 2 media figures (Agence France-Presse: 14; Reuters: 30); "
     "low = lowest of 2 reports (Agence France-Presse: 14); high = highest of 2 reports (Reuters: 30)"),
    ([(Range(200, None, 999), "residents"), (Range(300, 300, 300), "witnesses")], Range(200, 300, 999),
     "best = party or other source figure (witnesses: 300); low = lowest of 2 reports (residents: 200); "
     "high = highest of 2 reports (residents: 999)"),  # "hundreds" gives bounds, not a best
])
def test_resolve_reconcile_figures(reports, value, rule):
    figure = reconcile(reports)
    assert (figure.value, figure.rule) == (value, rule)


def test_resolve_figure_group_reconciles_claims_of_one_count():
    first = report("a.txt", "The town council said 12 civilians were killed in Tell Sabra on Thursday.")
    second = report("b.txt", "The UN said 30 people were killed in eastern Tell Sabra on Thursday.")
    resolution = resolved(
        Analysis(first, claims=(claim(first, "12 civilians were killed", "Tell Sabra town council", "killed",
                                      "civilians", Range(12, 12, 12), place="Tell Sabra"),)),
        Analysis(second, claims=(claim(second, "30 people were killed", "United Nations", "killed", "people",
                                       Range(30, 30, 30), place="eastern Tell Sabra"),)))
    (group,) = resolution.figure_groups
    assert (group.measure, group.subject, group.place, group.period) == ("killed", "people", "eastern Tell Sabra",
                                                                          THURSDAY)
    assert group.figure.value == Range(12, 30, 30)
    assert group.figure.rule.startswith("best = UN or international organisation figure (United Nations: 30)")


# --- conflicts ---------------------------------------------------------------------------------------------------

def conflicts_of(resolution: Resolution, kind: str) -> list[Conflict]:
    return [c for c in resolution.conflicts if c.kind == kind]


MONITOR = "Syrian Observatory for Human Rights"


@pytest.mark.parametrize("second, claimant, same_report, found", [
    ("The ministry said 14 rebels surrendered on Thursday.", "ministry", False, True),
    ("The ministry said 31 rebels surrendered on Thursday.", "ministry", False, False),  # against 30: rounding
    ("The monitor later said 14 rebels surrendered on Thursday.", MONITOR, True, True),  # one speaker, twice
    ("A commander said 14 rebels surrendered on Thursday.", "a commander", True, False),  # a part of the total?
])
def test_resolve_conflict_of_figures(second, claimant, same_report, found):
    first_text = "The monitor said 30 rebels surrendered on Thursday."
    first = report("a.txt", first_text + (" " + second if same_report else ""))
    other = first if same_report else report("b.txt", second, outlet="Northern Post")
    figure = int(second.split(" rebels")[0].split()[-1])
    phrase = f"{figure} rebels surrendered"
    claims = [claim(first, "30 rebels surrendered", MONITOR, "surrendered", "rebels", Range(30, 30, 30)),
              claim(other, phrase, claimant, "surrendered", "rebel fighters", Range(figure, figure, figure),
                    "claimed")]
    analyses = ([Analysis(first, claims=tuple(claims))] if same_report else
                [Analysis(first, claims=claims[:1]), Analysis(other, claims=claims[1:])])
    conflicts = conflicts_of(resolved(*analyses), "figures")
    assert [sorted(c.items) for c in conflicts] == ([sorted(c.id for c in claims)] if found else [])
    if found:  # a reason a reader can check against the quotes
        assert f"{MONITOR} says 30 (Valley Herald: “30 rebels surrendered”)" in conflicts[0].reason
        assert f"says 14 ({other.outlet}: “14 rebels surrendered”)" in conflicts[0].reason


def test_resolve_outlet_voice_twice_is_no_conflict():
    """An article's own figures are more likely two counts than one count given twice."""
    doc = report("a.txt", "Some 200 civilians fled on Thursday. About 800 civilians fled the camp on Thursday.")
    claims = (claim(doc, "Some 200 civilians fled", "Valley Herald", "fled", "civilians", Range(200, 200, 200),
                    "asserted"),
              claim(doc, "About 800 civilians fled", "Valley Herald", "fled", "civilians", Range(800, 800, 800),
                    "asserted"))
    assert conflicts_of(resolved(Analysis(doc, claims=claims)), "figures") == []


HALT = report("halt.txt", "The defence ministry announced a ceasefire in Tell Sabra on Thursday.", outlet="Wire")
DEAL = report("deal.txt", "Both sides signed an evacuation deal for Tell Sabra on Thursday.", outlet="Wire")


@pytest.mark.parametrize("agreement, offset, place, found", [
    (HALT, 1, "Bab Qadim", True),  # shelling the next day, inside the city the halt covers
    (HALT, 0, "Tell Sabra", True),
    (HALT, 3, "Bab Qadim", False),  # days later: a halt that broke down, not a contradiction of its day
    (HALT, 0, "Marj Hamra", False),  # elsewhere
    (DEAL, 1, "Bab Qadim", False),  # an agreement that halts nothing
])
def test_resolve_conflict_of_violence_during_a_halt(agreement, offset, place, found):
    phrase = "announced a ceasefire" if agreement is HALT else "signed an evacuation deal"
    halt = event(agreement, phrase, "Agreement", THURSDAY, "Tell Sabra", sources=("Russian Ministry of Defence",))
    news = report("shelling.txt", f"Shells fell on {place} today, residents said.",
                  published=THURSDAY + timedelta(days=offset))
    shelling = event(news, "Shells fell", SHELLING, THURSDAY + timedelta(days=offset), place,
                     sources=("residents",))
    conflicts = conflicts_of(resolved(Analysis(agreement, (halt,)), Analysis(news, (shelling,))), "ceasefire")
    assert [c.items for c in conflicts] == ([(halt.id, shelling.id)] if found else [])
    if found:
        assert conflicts[0].reason.startswith("a halt in Tell Sabra on 2021-03-04, reported by Russian Ministry of "
                                              "Defence (“announced a ceasefire”), and shelling")
        assert f"in {place} on {THURSDAY + timedelta(days=offset)}, reported by residents" in conflicts[0].reason


def test_resolve_conflict_of_a_denied_figure():
    un = report("un.txt", "The UN said about 5,000 people remain in eastern Tell Sabra.", outlet="UN News")
    ministry = report("mod.txt", "The ministry dismissed claims that thousands of civilians remain trapped in "
                                 "Tell Sabra as lies.", outlet="State Daily")
    remain = claim(un, "about 5,000 people remain", "United Nations", "remaining", "people",
                   Range(5000, 5000, 5000), day=None, place="eastern Tell Sabra")
    denial = claim(ministry, "thousands of civilians remain trapped", "Russian Ministry of Defence", "remaining",
                   "civilians", Range(2000, None, 9999), "denied", day=None, place="Tell Sabra")
    resolution = resolved(Analysis(un, claims=(remain,)), Analysis(ministry, claims=(denial,)))
    (conflict,) = conflicts_of(resolution, "denial")
    assert conflict.items == (denial.id, remain.id)
    assert conflict.reason.startswith("Russian Ministry of Defence denies it (State Daily:")
    assert "United Nations says 5,000" in conflict.reason
    assert not resolution.figure_groups  # a denied figure is not reconciled with the figure it denies


# --- grades ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reports, grade", [
    # (sub-type, sources, actors, killed) per report of one strike on Bab Qadim
    ([(STRIKE, ("Russian Ministry of Defence",), ("Russian Air Force",), None),
      (STRIKE, ("residents",), (), None)], "confirmed"),  # the air force's own ministry reports its strike
    ([(STRIKE, ("Turkish Armed Forces",), ("Turkish Armed Forces",), None)], "confirmed"),
    ([(STRIKE, ("Syrian Observatory for Human Rights",), (), None),
      (STRIKE, ("White Helmets",), (), None)], "corroborated"),
    ([(STRIKE, ("Reuters",), (), None), (STRIKE, ("Reuters",), (), None)], "single source"),  # one agency, twice
    ([(STRIKE, ("Rupert Colville",), (), None),
      (STRIKE, ("Office of the UN High Commissioner for Human Rights",), (), None)], "single source"),  # his office
    ([(STRIKE, (), (), None)], "single source"),  # the outlet's own voice
    ([(STRIKE, ("activists",), ("Russian Air Force",), None),
      (SHELLING, ("residents",), ("Syrian Arab Army",), None)], "contested"),  # what happened, and who did it
    ([(STRIKE, ("Syrian Observatory for Human Rights",), (), Range(4, 4, 4)),
      (STRIKE, ("White Helmets",), (), Range(40, 40, 40))], "contested"),  # how many died
])
def test_resolve_grades(reports, grade):
    analyses = []
    for n, (sub, sources, actors, killed) in enumerate(reports):
        doc = report(f"{n}.txt", f"Report {n}: Bab Qadim was hit on Thursday.", outlet=f"Outlet {n}")
        analyses.append(Analysis(doc, (event(doc, "Bab Qadim was hit", sub, THURSDAY, "Bab Qadim", sources=sources,
                                             actors=actors, killed=killed),)))
    (merged,) = resolved(*analyses).events
    assert merged.grade == grade
    assert merged.grade_reason.startswith(grade + ":")


def test_resolve_grade_denied_and_its_conflict():
    news = report("a.txt", "Shelling killed four people in Bab Qadim on Thursday, the monitor said.")
    army = report("b.txt", "The army denied that anyone was killed in Bab Qadim on Thursday.", outlet="State Daily")
    shelling = event(news, "Shelling killed four people in Bab Qadim", SHELLING, THURSDAY, "Bab Qadim",
                     sources=("Syrian Observatory for Human Rights",), killed=Range(4, 4, 4))
    denial = claim(army, "denied that anyone was killed", "Syrian government forces", "killed", "people",
                   Range(0, 0, 0), "denied", place="Bab Qadim")
    resolution = resolved(Analysis(news, (shelling,)), Analysis(army, claims=(denial,)))
    (merged,) = resolution.events
    assert (merged.grade, merged.grade_reason) == ("denied", f"denied: Syrian government forces denies it (claim "
                                                             f"{denial.id})")
    (conflict,) = conflicts_of(resolution, "denial")
    assert conflict.items == (denial.id, shelling.id)
    assert "shelling/artillery/missile attack in Bab Qadim" in conflict.reason


# --- the store path ----------------------------------------------------------------------------------------------

def three_reports() -> list[Analysis]:
    first = Analysis(A, (event(A, "Warplanes struck the Bab Qadim quarter", STRIKE, THURSDAY, "Bab Qadim",
                               sources=("Britain-based monitor",), killed=Range(6, 6, 6)),),
                     (claim(A, "killing six people", "Syrian Observatory for Human Rights", "killed", "people",
                            Range(6, 6, 6), place="Bab Qadim"),))
    second = Analysis(B, (event(B, "an air raid hit Bab al-Qadim", STRIKE, THURSDAY, "Bab al-Qadim",
                                sources=("rescuers",), killed=Range(6, 6, 6)),
                          event(B, "Jets also hit Kafr Shams", STRIKE, THURSDAY, "Kafr Shams")),
                      (claim(B, "six people died", "rescuers", "killed", "people", Range(6, 6, 6),
                             place="Bab Qadim"),))
    halt = Analysis(HALT, (event(HALT, "announced a ceasefire", "Agreement", THURSDAY, "Tell Sabra",
                                 sources=("Russian Ministry of Defence",)),))
    return [first, second, halt]


def test_resolve_does_not_depend_on_ingest_order(tmp_path):
    analyses = three_reports()
    forward = stored(tmp_path / "forward.db", *analyses)
    backward = stored(tmp_path / "backward.db", *analyses[::-1])
    assert sorted(map(json.dumps, forward)) == sorted(map(json.dumps, backward))  # the same lines, each identical
    for kind in ("event", "conflict", "figure"):
        assert {r["id"] for r in forward if r["kind"] == kind} == {r["id"] for r in backward if r["kind"] == kind}
    assert [r["kind"] for r in forward].count("conflict") == 2  # the halt, against each struck quarter


def test_resolve_export_resolves_in_memory_when_the_store_is_behind(db_path):
    analyses = three_reports()
    # export has no gazetteer passed in: it uses the default one, so the reference does too
    reference = stored(db_path.with_name("reference.db"), *analyses, gazetteer=Gazetteer.load())
    with Store(db_path) as store:
        for analysis in analyses:
            store.add_analysis(analysis)  # no resolve(): as after an interrupted ingest
        assert not store.is_resolved() and store.counts()["merged_events"] == 0
        records = list(export_records(store))
        assert store.counts()["merged_events"] == 0  # exporting writes nothing
    assert sorted(map(json.dumps, records)) == sorted(map(json.dumps, reference))


def test_resolve_rebuilds_its_tables_in_one_transaction(db_path):
    first, second, halt = three_reports()
    with Store(db_path) as store:
        store.add_analysis(first)
        store.add_analysis(second)
        before = resolve(store, GAZETTEER)
        assert store.resolution() == before  # what is read back is what was written
        store.add_analysis(halt)
        assert not store.is_resolved()  # a new document makes the stored resolution stale
        broken = Resolution(before.events + before.events[:1])  # one merged event twice: the insert fails
        with pytest.raises(StoreError, match="the previous one is kept"):
            store.replace_resolution(broken)
        assert store.resolution() == before
        after = resolve(store, GAZETTEER)
        assert store.is_resolved() and len(after.conflicts) == 2 and store.resolution() == after


def test_resolve_migrates_a_schema_2_file(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript(SCHEMA_V1 + SCHEMA_V2 + "INSERT INTO meta VALUES ('schema_version', '2');")
    conn.close()
    with Store(db_path) as store:
        tables = {name for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"merged_events", "event_clusters", "figure_groups", "conflicts"} <= tables
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
        for analysis in three_reports():
            store.add_analysis(analysis)
        assert len(resolve(store, GAZETTEER).events) == 3


def test_resolve_runs_after_every_ingest(db_path, tmp_path):
    from sitrep import ingest
    path = tmp_path / "note.txt"
    path.write_text("Shelling hit the market in Tell Sabra on Thursday, the town council said.", encoding="utf-8")
    summary = ingest(db_path, paths=[str(path)], published=THURSDAY, outlet="Valley Herald")
    assert summary.ok
    with Store(db_path) as store:
        assert store.is_resolved()
        assert store.counts()["merged_events"] == store.counts()["events"]
