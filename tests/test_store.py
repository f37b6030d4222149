"""The store: one transaction per document, idempotent re-ingest, growing live blogs, events and claims."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from sitrep import ingest
from sitrep.errors import StoreError
from sitrep.ingest import read_document, sources_from_paths
from sitrep.model import Analysis, Claim, Document, Event, Evidence, Location, Mark, Range
from sitrep.store import SCHEMA_V1, Store
from tests.conftest import SHARED

SEED_BLOG = SHARED / "corpus" / "seeds" / "001_5f8421b4d32610e6.txt"


def counts(db_path) -> dict[str, int]:
    with Store(db_path) as store:
        return store.counts()


def test_store_reingesting_the_seeds_changes_nothing(db_path, seeds_manifest):
    first = ingest(db_path, manifest=seeds_manifest)
    before = counts(db_path)
    second = ingest(db_path, manifest=seeds_manifest)
    assert (first.new, second.new, second.unchanged, second.entries_added) == (5, 0, 5, 0)
    assert counts(db_path) == before
    assert before["documents"] == 5 and before["entries"] == 17


def test_store_grown_live_blog_adds_only_new_entries(db_path, tmp_path):
    full = SEED_BLOG.read_text(encoding="utf-8")
    cut = full.index("UPDATE 1245 GMT")  # the newest updates sit at the top: the first half is an older page
    blog = tmp_path / "blog.txt"
    blog.write_text(full[:cut], encoding="utf-8")
    args = dict(paths=[str(blog)], published=date(2016, 12, 9), outlet="EA WorldView")
    early = ingest(db_path, **args)
    blog.write_text(full, encoding="utf-8")
    grown = ingest(db_path, **args)
    assert (early.new, grown.updated) == (1, 1)
    with Store(db_path) as store:
        labels = sorted(e.label for e in store.entries() if e.time)
        versions = store.document_versions(next(store.documents()).source_key)
        whole = [e for e in store.entries() if e.time]
    reference = read_document(next(iter(sources_from_paths([str(SEED_BLOG)], published=date(2016, 12, 9)))))
    assert labels == sorted(e.label for e in reference.entries if e.time)  # the full set, each once
    assert len(labels) == len(set(labels)) == 9
    assert [v.text for v in versions] == [full[:cut], full]  # the old text stays retrievable
    assert all(e.start is not None and full[e.start:e.end].lstrip("[").startswith(e.label) for e in whole)


def test_store_corrected_entry_keeps_its_history(db_path, tmp_path):
    blog = tmp_path / "blog.txt"
    v1 = "UPDATE 1400 GMT: Five people were killed.\n\nUPDATE 1200 GMT: Shelling began."
    v2 = "UPDATE 1600 GMT: Talks resumed.\n\nUPDATE 1400 GMT: Six people were killed.\n\nUPDATE 1200 GMT: Shelling began."
    for text in (v1, v2):
        blog.write_text(text, encoding="utf-8")
        summary = ingest(db_path, paths=[str(blog)], published=date(2020, 5, 1))
    assert (summary.entries_added, summary.entries_revised) == (1, 1)
    with Store(db_path) as store:
        history = store.conn.execute(
            "SELECT COUNT(DISTINCT text_hash) FROM entry_texts t JOIN entries e ON e.id = t.entry_id "
            "WHERE e.label = 'UPDATE 1400 GMT'").fetchone()[0]
        assert history == 2 and store.counts()["entries"] == 3


def test_store_failed_document_leaves_nothing(db_path, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("UPDATE 1400 GMT: Clashes were reported.", encoding="utf-8")
    doc = read_document(next(iter(sources_from_paths([str(path)], published=date(2020, 5, 1)))))
    broken = replace(doc, marks=(Mark("boilerplate", 0, 5), Mark("boilerplate", 0, 7)))  # same key twice
    with Store(db_path) as store:
        with pytest.raises(StoreError, match="nothing of it was stored"):
            store.add_document(broken)
        assert store.counts()["documents"] == 0 and store.counts()["entries"] == 0
        assert store.add_document(doc).status == "new"


def test_store_settings(db_path):
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"


def test_store_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="choose a new --db name"):
        Store(path)
    assert path.read_bytes().startswith(b"these are my notes")


def test_store_evidence_offsets_round_trip(db_path, seeds_manifest):
    ingest(db_path, manifest=seeds_manifest)
    with Store(db_path) as store:
        texts = {d.id: d.text for d in store.documents()}
        for entry in store.entries():
            assert texts[entry.document][entry.start:entry.end].lstrip("[").startswith(entry.label)
        for doc_id, kind, start, end in store.conn.execute('SELECT document_id, kind, start, "end" FROM marks'):
            assert texts[doc_id][start:end].strip() == texts[doc_id][start:end] != ""


# --- events and claims -----------------------------------------------------------------------------------------

# A live blog in our own words (invented places and figures): newest update on top, as such pages run.
BLOG_EARLY = ("UPDATE 0930 GMT: Rescue workers said about 300 families left the villages north of Tell Sabra "
              "overnight.\n\n"
              "ORIGINAL ENTRY: Aid convoys have waited at the Bab Karm crossing since Monday.")
BLOG_GROWN = ("UPDATE 1400 GMT: Shelling struck the market in Tell Sabra, killing four people, including two "
              "children, the town council said. A second shell hit the bakery nearby.\n\n" + BLOG_EARLY)
ARTICLE = ("Police in Marsa Dune detained dozens of protesters on Friday, a rights group said. Officials denied "
           "that anyone was hurt.")


def read_text_document(tmp_path, text: str, name: str = "blog.txt", url: str | None = "https://example.org/live"):
    """A Document ingested from a real file, as the pipeline would make it."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    metadata = dict(published=date(2021, 3, 4), outlet="Example Desk") | ({"url": url} if url else {})
    return read_document(next(iter(sources_from_paths([str(path)], **metadata))))


def span(doc: Document, phrase: str) -> Evidence:
    """Evidence for the first occurrence of `phrase`: a real slice of the document's text."""
    start = doc.text.index(phrase)
    return Evidence(doc.id, start, start + len(phrase), phrase)


def record_id(kind: str, doc: Document, evidence: Evidence) -> str:
    return f"{kind}-{doc.id}-{evidence.start}"  # the extractor's ids are content hashes; any unique string will do


def analyse(doc: Document) -> Analysis:
    """Hand-made events and claims for whichever of the passages above `doc` holds, in text order."""
    events, claims = [], []
    if "Shelling struck" in doc.text:
        strike, bakery = span(doc, "Shelling struck the market in Tell Sabra"), span(doc, "A second shell hit")
        total = span(doc, "killing four people")
        events.append(Event(record_id("e", doc, strike), doc.id, "Explosions/Remote violence",
                            "Shelling/artillery/missile attack", date(2021, 3, 4), "day",
                            Location("Tell Sabra", "Northern", "Testland", 36.2, 37.1, "town", ("Tal Sabra",)),
                            actors=("Unidentified Armed Group",), actors_raw=("shelling",),
                            killed=Range(4, 4, 4), sources=("Tell Sabra town council",),
                            evidence=(strike, bakery, total)))  # kept in this order, not sorted by offset
        children = span(doc, "two children")
        claims += [Claim(record_id("c", doc, total), doc.id, "Tell Sabra town council", "the town council",
                         "killed", "people", Range(4, 4, 4), False, "reported", date(2021, 3, 4), "Tell Sabra",
                         evidence=(total,)),
                   Claim(record_id("c", doc, children), doc.id, "Tell Sabra town council", "the town council",
                         "killed", "children", Range(2, 2, 2), False, "reported", date(2021, 3, 4), "Tell Sabra",
                         part_of=record_id("c", doc, total), evidence=(children,))]
    if "300 families" in doc.text:
        left = span(doc, "about 300 families left the villages north of Tell Sabra")
        events.append(Event(record_id("e", doc, left), doc.id, "Humanitarian", "Displacement", None, None, None,
                            evidence=(left,)))  # no date, no place, no figures: every optional field empty
        claims.append(Claim(record_id("c", doc, left), doc.id, "rescue workers", "Rescue workers", "fled",
                            "families", Range(300, 300, 300), False, "reported", place="north of Tell Sabra",
                            evidence=(left,)))
    if "dozens of protesters" in doc.text:
        held = span(doc, "detained dozens of protesters")
        events.append(Event(record_id("e", doc, held), doc.id, "Protests", "Protest with intervention",
                            date(2021, 3, 5), "week", Location("Marsa Dune"), actors=("Police Forces",),
                            actors_raw=("Police",), injured=Range(0, 0, 0), sources=("a rights group",),
                            evidence=(held,)))
        claims.append(Claim(record_id("c", doc, held), doc.id, "a rights group", "a rights group", "detained",
                            "protesters", Range(24, None, 99), True, "alleged", evidence=(held,)))
    return Analysis(doc, tuple(events), tuple(claims))


def first_offset(record: Event | Claim) -> int:
    """Where a record starts in its text: the order the store reads records back in."""
    return min(e.start for e in record.evidence)


@pytest.mark.parametrize("text, n_events, n_claims", [
    (BLOG_GROWN, 2, 3),  # an event with three spans, a claim that breaks down another
    (ARTICLE, 1, 1),  # a vague figure, a zero figure, a place known only by name
])
def test_store_events_and_claims_round_trip(db_path, tmp_path, text, n_events, n_claims):
    analysis = analyse(read_text_document(tmp_path, text))
    with Store(db_path) as store:
        result = store.add_analysis(analysis)
        assert (result.status, result.events, result.claims) == ("new", n_events, n_claims)
    with Store(db_path) as store:  # read back from the file, not from anything cached
        assert list(store.events()) == sorted(analysis.events, key=first_offset)
        assert list(store.claims()) == sorted(analysis.claims, key=first_offset)
        assert store.counts()["evidence"] == sum(len(r.evidence) for r in analysis.events + analysis.claims)


def test_store_add_document_stores_no_records(db_path, tmp_path):
    doc = read_text_document(tmp_path, BLOG_GROWN)
    with Store(db_path) as store:
        assert store.add_document(doc).status == "new"
        assert (list(store.events()), list(store.claims())) == ([], [])
        assert [d.text for d in store.documents()] == [doc.text]


def duplicate_event_id(analysis: Analysis) -> Analysis:
    first, second = analysis.events
    return replace(analysis, events=(first, replace(second, id=first.id)))


def duplicate_claim_id(analysis: Analysis) -> Analysis:
    total, part, fled = analysis.claims
    return replace(analysis, claims=(total, part, replace(fled, id=total.id)))


def repeated_evidence(analysis: Analysis) -> Analysis:
    # Passes every check made before writing; the evidence table's key refuses it after the document,
    # its entries and the first event are already written, so this case needs the rollback.
    event = analysis.events[0]
    return replace(analysis, events=(replace(event, evidence=event.evidence + event.evidence[:1]),
                                     *analysis.events[1:]))


def shifted_evidence(analysis: Analysis) -> Analysis:
    claim = analysis.claims[0]
    e = claim.evidence[0]
    moved = Evidence(e.document, e.start + 1, e.end + 1, e.text)  # right length, wrong place
    return replace(analysis, claims=(replace(claim, evidence=(moved,)), *analysis.claims[1:]))


def foreign_record(analysis: Analysis) -> Analysis:
    return replace(analysis, events=(replace(analysis.events[0], document="0" * 16), *analysis.events[1:]))


@pytest.mark.parametrize("break_it, message", [
    (duplicate_event_id, "two events share the id"),
    (duplicate_claim_id, "two claims share the id"),
    (repeated_evidence, "UNIQUE constraint failed: evidence"),
    (shifted_evidence, "is not the document's text there"),
    (foreign_record, "names document 0000000000000000"),
])
def test_store_analysis_is_one_transaction(db_path, tmp_path, break_it, message):
    analysis = analyse(read_text_document(tmp_path, BLOG_GROWN))
    with Store(db_path) as store:
        with pytest.raises(StoreError, match="nothing of") as error:
            store.add_analysis(break_it(analysis))
        assert message in str(error.value)
        assert not any(store.counts().values())  # no document, entry, mark, event, claim or evidence
        assert store.add_analysis(analysis).status == "new"  # the lock and the connection are still usable


def test_store_event_id_of_another_document_is_refused(db_path, tmp_path):
    article = analyse(read_text_document(tmp_path, ARTICLE, name="a.txt", url=None))
    blog = analyse(read_text_document(tmp_path, BLOG_GROWN))
    clash = replace(blog, events=(replace(blog.events[0], id=article.events[0].id), *blog.events[1:]))
    with Store(db_path) as store:
        store.add_analysis(article)
        before = store.counts()
        with pytest.raises(StoreError, match="UNIQUE constraint failed: events.id"):
            store.add_analysis(clash)
        assert store.counts() == before  # the blog's document row, written first, was rolled back


def test_store_readding_the_same_analysis_changes_nothing(db_path, tmp_path):
    analysis = analyse(read_text_document(tmp_path, BLOG_GROWN))
    with Store(db_path) as store:
        store.add_analysis(analysis)
        before = store.counts()
        again = store.add_analysis(analysis)
        assert (again.status, again.events, again.claims) == ("unchanged", 0, 0)
        # a text already stored keeps its records, even if a later run extracts different ones
        assert store.add_analysis(replace(analysis, events=(), claims=())).status == "unchanged"
        assert store.counts() == before
        assert list(store.events()) == sorted(analysis.events, key=first_offset)


def test_store_new_version_supersedes_old_records(db_path, tmp_path):
    early = analyse(read_text_document(tmp_path, BLOG_EARLY))
    grown = analyse(read_text_document(tmp_path, BLOG_GROWN))
    with Store(db_path) as store:
        assert store.add_analysis(early).status == "new"
        assert store.add_analysis(grown).status == "updated"
        assert {e.document for e in store.events()} == {c.document for c in store.claims()} == {grown.document.id}
        assert [e.id for e in store.events()] == [e.id for e in sorted(grown.events, key=first_offset)]
        everything = list(store.events(current_only=False))
        assert everything == sorted(early.events, key=first_offset) + sorted(grown.events, key=first_offset)
        assert len(list(store.claims(current_only=False))) == len(early.claims) + len(grown.claims)


def write_schema_1_file(path) -> str:
    """A database as sitrep wrote it before events existed: the version-1 tables, one document and one entry."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)  # the version-1 script, kept unchanged for exactly this
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    text = "UPDATE 0800 GMT: The crossing opened to trucks."
    conn.execute("INSERT INTO documents (id, source_key, version, path, outlet, published, media_type, text, "
                 "ingested_at) VALUES ('d0', 'old.txt', 1, 'old.txt', 'Desk', '2020-05-01', 'text/plain', ?, "
                 "'2020-05-01T09:00:00+00:00')", (text,))
    conn.execute("INSERT INTO entries VALUES ('n0', 'old.txt', 'UPDATE 0800 GMT', 0, '2020-05-01T08:00:00+00:00', "
                 "'d0')")
    conn.execute("""INSERT INTO entry_texts VALUES ('n0', 'd0', 0, ?, 'h')""", (len(text),))
    conn.commit()
    conn.close()
    return text


def test_store_migrates_a_schema_1_file(db_path, tmp_path):
    text = write_schema_1_file(db_path)
    with Store(db_path) as store:
        tables = {name for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"events", "claims", "evidence"} <= tables
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
        assert [(d.id, d.text, d.published) for d in store.documents()] == [("d0", text, date(2020, 5, 1))]
        assert [e.label for e in store.entries()] == ["UPDATE 0800 GMT"]
        analysis = analyse(read_text_document(tmp_path, ARTICLE, name="a.txt", url=None))
        assert store.add_analysis(analysis).status == "new"
    with Store(db_path) as store:  # opening the upgraded file again changes nothing
        assert len(list(store.documents())) == 2 and list(store.events()) == list(analysis.events)


def test_store_refuses_a_newer_schema(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO meta VALUES ('schema_version', '99');")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer sitrep"):
        Store(db_path)
    conn = sqlite3.connect(db_path)
    assert [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["meta"]
    conn.close()
