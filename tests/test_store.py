"""The store: one transaction per document, idempotent re-ingest, growing live blogs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from sitrep import ingest
from sitrep.errors import StoreError
from sitrep.ingest import read_document, sources_from_paths
from sitrep.model import Mark
from sitrep.store import Store
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
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"


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
