"""Reliability and security (#8): nothing lost, nothing duplicated, nothing run.

A `sitrep ingest` killed mid-batch leaves a sound file of whole documents and finishes on a second
run; two writers at once lose nothing; a live blog ingested at five versions keeps every update
once and every correction's history; size limits, gzip and its bombs; hostile HTML; SQL only with
parameters. Counts go to scripts/torture through the `Tally` of tests/test_fuzz.py.
"""
from __future__ import annotations

import ast
import gzip
import json
import re
import signal
import sqlite3
import subprocess
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep import ingest
from sitrep.cli import cli
from sitrep.errors import InputError, TooLargeError
from sitrep.ingest import read_document, read_manifest, sources_from_paths
from sitrep.ingest.files import MAX_GZIP_RATIO
from sitrep.pipeline import analyse_document
from sitrep.report import write_report
from sitrep.store import Store
from tests.conftest import ROOT
from tests.test_fuzz import Tally

BATCH_SIZE = 200
POLL_SECONDS = 0.02  # how long each poll waits on the process; the number of polls is bounded below
MAX_POLLS = 6000  # two minutes at most: the model loads in seconds and each document takes milliseconds
MAX_PROBES = 20_000  # tries to catch the writer inside a transaction, each well under a millisecond
SITREP = [sys.executable, "-m", "sitrep"]
SUMMARY = re.compile(r"(\d+) new, (\d+) updated, (\d+) unchanged documents")


@pytest.fixture(scope="module")
def tally(request):
    counts = Tally(request.module.__name__)
    yield counts
    counts.write()


# --- a batch of small, distinct documents, in our own words --------------------------------------------------

PLACES = ("Aleppo", "Idlib", "Homs", "Mosul", "Taiz", "Kharkiv", "Gaza", "Khartoum", "Benghazi", "Kabul")


def batch_text(i: int) -> str:
    """Document i: a plain report, or (every fourth) a two-update live blog; the number makes each distinct."""
    place = PLACES[i % len(PLACES)]
    if i % 4 == 0:
        return (f"UPDATE {10 + i % 12:02d}30 GMT: Rescue workers said {i + 2} people were wounded when shells hit "
                f"a market in {place}.\n\nUPDATE 0900 GMT: Clashes broke out overnight near {place}, residents "
                f"said (report {i}).\n")
    return (f"Air strikes hit a hospital in {place} on Tuesday, killing {i + 3} civilians, the local health "
            f"office said. Report {i}.\n")


@dataclass(frozen=True)
class Expected:
    """What a clean run stores for each document: record ids per table, from the library on the same files."""

    ids: frozenset[str]
    per_document: dict[str, dict[str, frozenset[str] | int]]

    def total(self, key: str) -> int:
        return sum(len(v[key]) if isinstance(v[key], frozenset) else v[key] for v in self.per_document.values())


def write_batch(folder: Path, names: range = range(BATCH_SIZE)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in names:
        (folder / f"doc{i:03d}.txt").write_text(batch_text(i), encoding="utf-8")
        rows.append(f"doc{i:03d}.txt\t\tReliability Desk\t2021-06-{1 + i % 28:02d}\n")
    manifest = folder / "manifest.tsv"
    manifest.write_text("path\turl\toutlet\tpublished\n" + "".join(rows), encoding="utf-8")
    return manifest


def half_manifest(manifest: Path, name: str, keep) -> Path:
    head, *rows = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    part = manifest.with_name(name)
    part.write_text(head + "".join(r for n, r in enumerate(rows) if keep(n)), encoding="utf-8")
    return part


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    return write_batch(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def expected(batch, nlp, gazetteer) -> Expected:
    """A clean run's records, document by document, from `analyse_document` on the same files."""
    per_document = {}
    for source in read_manifest(batch):
        analysis = analyse_document(read_document(source), nlp, gazetteer)
        doc = analysis.document
        per_document[doc.id] = {
            "entries": len(doc.entries), "marks": len(doc.marks),
            "events": frozenset(e.id for e in analysis.events), "claims": frozenset(c.id for c in analysis.claims),
            "evidence": sum(len(r.evidence) for r in analysis.events + analysis.claims)}
    assert len(per_document) == BATCH_SIZE
    assert sum(1 for v in per_document.values() if v["entries"]) == BATCH_SIZE // 4  # the live blogs split
    assert all(v["events"] or v["claims"] for v in per_document.values())  # every document yields records
    return Expected(frozenset(per_document), per_document)


# --- reading the database from outside -------------------------------------------------------------------------

def count_documents_read_only(db: Path) -> int:
    """The writer's committed documents, read without taking any lock a writer waits on."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0


def is_writing(db: Path) -> bool:
    """Does a writer hold the write lock (is it inside a document's transaction) right now? Asking takes the
    lock for a moment when it is free, so the writer may wait a moment; it never changes the file."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        if "locked" not in str(e) and "busy" not in str(e):
            raise
        return True
    finally:
        conn.close()


def stored(db: Path) -> dict[str, dict[str, frozenset[str] | int]]:
    """What the database holds for each document, in the shape of `Expected.per_document`."""
    conn = sqlite3.connect(db)
    try:
        result = {}
        for (doc_id,) in conn.execute("SELECT id FROM documents"):
            def ids(table: str) -> frozenset[str]:
                return frozenset(r for (r,) in conn.execute(f"SELECT id FROM {table} WHERE document_id = ?",
                                                            (doc_id,)))

            def count(table: str) -> int:
                return conn.execute(f"SELECT COUNT(*) FROM {table} WHERE document_id = ?", (doc_id,)).fetchone()[0]

            result[doc_id] = {"entries": count("entry_texts"), "marks": count("marks"), "events": ids("events"),
                              "claims": ids("claims"), "evidence": count("evidence")}
        return result
    finally:
        conn.close()


def soundness(db: Path) -> tuple[str, list]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()


def duplicates(db: Path) -> int:
    """Rows that repeat a document: a source stored twice, an entry or a record id twice."""
    conn = sqlite3.connect(db)
    try:
        queries = ["SELECT COUNT(*) - COUNT(DISTINCT source_key) FROM documents",
                   "SELECT COUNT(*) - COUNT(DISTINCT text) FROM documents",
                   "SELECT COUNT(*) - COUNT(DISTINCT source_key || '|' || label || '|' || ordinal) FROM entries",
                   "SELECT COUNT(*) - COUNT(DISTINCT id) FROM events",
                   "SELECT COUNT(*) - COUNT(DISTINCT id) FROM claims"]
        return sum(conn.execute(q).fetchone()[0] for q in queries)
    finally:
        conn.close()


def compare(db: Path, expected: Expected, tally: Tally, *, complete: bool) -> None:
    """Every stored document whole and as a clean run stores it; with `complete`, every document there."""
    held = stored(db)
    incomplete = [doc_id for doc_id, records in held.items() if records != expected.per_document.get(doc_id)]
    missing = expected.ids - held.keys() if complete else set()
    extra = held.keys() - expected.ids
    tally.lost += len(incomplete) + len(missing)
    tally.duplicated += duplicates(db) + len(extra)
    with tally.check():
        assert soundness(db) == ("ok", [])
        assert not incomplete, f"{len(incomplete)} documents stored without all their records"
        assert not missing, f"{len(missing)} documents lost"
        assert not extra and duplicates(db) == 0


def sitrep_ingest(manifest: Path, db: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([*SITREP, "ingest", "--manifest", str(manifest), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log.open("w"))


def finish(proc: subprocess.Popen, log: Path, tally: Tally) -> str:
    """Wait for a run; a non-zero exit or a traceback is a crash."""
    code = proc.wait(timeout=600)
    stderr = log.read_text(encoding="utf-8")
    if code != 0 or "Traceback" in stderr:
        tally.crashes += 1
    assert code == 0 and "Traceback" not in stderr and "locked" not in stderr, stderr
    return stderr


def summary_counts(stderr: str) -> tuple[int, int, int]:
    (found,) = SUMMARY.findall(stderr)
    return tuple(int(n) for n in found)


# --- 2. crash safety -------------------------------------------------------------------------------------------

def test_reliability_killed_ingest_keeps_whole_documents_and_resumes(tmp_path, batch, expected, tally):
    db = tmp_path / "killed.db"
    proc = sitrep_ingest(batch, db, tmp_path / "killed.log")
    stored_at_kill = 0
    try:
        for _ in range(MAX_POLLS):
            stored_at_kill = count_documents_read_only(db)
            if stored_at_kill >= 20:  # part-way: some documents in, most still to come
                break
            try:
                proc.wait(timeout=POLL_SECONDS)
                break  # it finished (or failed) before we could kill it: reported below
            except subprocess.TimeoutExpired:
                pass
        # Kill it inside a document's transaction if we can catch one (a few of each document's milliseconds):
        # that is where a store without one transaction per document would leave half a document.
        for _ in range(MAX_PROBES):
            if proc.poll() is not None or is_writing(db):
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        code = proc.wait(timeout=60)
    tally.cases += BATCH_SIZE
    assert code == -signal.SIGKILL, (code, (tmp_path / "killed.log").read_text())
    stored_at_kill = count_documents_read_only(db)
    assert 0 < stored_at_kill < BATCH_SIZE, stored_at_kill

    compare(db, expected, tally, complete=False)  # whatever is there is whole: one transaction per document

    rerun = finish(sitrep_ingest(batch, db, tmp_path / "rerun.log"), tmp_path / "rerun.log", tally)
    assert summary_counts(rerun) == (BATCH_SIZE - stored_at_kill, 0, stored_at_kill)
    compare(db, expected, tally, complete=True)
    with Store(db) as store:
        counts = store.counts()
    assert counts["documents"] == BATCH_SIZE
    assert (counts["events"], counts["claims"], counts["evidence"], counts["entry_texts"]) == (
        expected.total("events"), expected.total("claims"), expected.total("evidence"), expected.total("entries"))


# --- 3. concurrency --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("split", ["halves", "same batch"])
def test_reliability_two_writers_at_once(tmp_path, batch, expected, tally, split):
    db = tmp_path / "shared.db"  # created by whichever process gets there first
    if split == "halves":
        manifests = [half_manifest(batch, "even.tsv", lambda n: n % 2 == 0),
                     half_manifest(batch, "odd.tsv", lambda n: n % 2 == 1)]
    else:
        manifests = [batch, batch]
    logs = [tmp_path / f"writer{i}.log" for i in range(2)]
    procs = [sitrep_ingest(m, db, log) for m, log in zip(manifests, logs)]
    outputs = [finish(p, log, tally) for p, log in zip(procs, logs)]
    tally.cases += 2 * BATCH_SIZE if split == "same batch" else BATCH_SIZE
    new, updated, unchanged = (sum(column) for column in zip(*map(summary_counts, outputs)))
    assert (new, updated) == (BATCH_SIZE, 0)  # each document stored by exactly one of the two
    assert unchanged == (BATCH_SIZE if split == "same batch" else 0)
    compare(db, expected, tally, complete=True)


STORE_WRITER = """
import sys, time
from sitrep.ingest import read_document, sources_from_paths
from sitrep.store import Store
db, start, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
docs = [read_document(s) for s in sources_from_paths(files)]
while time.time() < start:  # every writer opens the new file at the same moment
    pass
with Store(db) as store:
    print(sum(store.add_document(d).status == "new" for d in docs))
"""


def test_reliability_store_waits_for_a_new_file_another_writer_is_creating(db_path, tally):
    # Another process has just created the file and holds its write lock, still in rollback-journal mode (it
    # is creating the schema, or switching to WAL). SQLite refuses "PRAGMA journal_mode = WAL" at once then,
    # without waiting on the busy timeout (it would risk a deadlock), so Store must retry rather than fail.
    import threading
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE early (x)")
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            with Store(db_path) as store:
                store.counts()
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    opener = threading.Thread(target=open_store)
    opener.start()
    opener.join(timeout=0.5)  # the opener has tried by now, and must still be waiting, not failed
    other.execute("COMMIT")
    other.close()
    opener.join(timeout=60)
    tally.cases += 1
    tally.crashes += len(errors)
    assert not opener.is_alive() and not errors, errors
    assert soundness(db_path) == ("ok", [])


def test_reliability_four_writers_open_a_new_file_at_once(tmp_path, tally):
    # Creating the schema and switching to WAL race when several processes open a new file together.
    import time
    folder = tmp_path / "docs"
    write_batch(folder, range(100))
    files = sorted(str(p) for p in folder.glob("*.txt"))
    db = tmp_path / "race.db"
    start = time.time() + 3  # after the imports of all four
    procs = [subprocess.Popen([sys.executable, "-c", STORE_WRITER, str(db), str(start), *files[i::4]], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    tally.cases += len(files)
    tally.crashes += sum(p.returncode != 0 for p in procs)
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    assert sum(int(out) for out, _ in results) == len(files)
    assert soundness(db) == ("ok", []) and count_documents_read_only(db) == len(files) and duplicates(db) == 0


# --- 4. a growing live blog -----------------------------------------------------------------------------------

# Five versions of one blog in our own words (invented town and figures). Each adds updates on top and
# corrects one earlier update; 0915 is corrected twice.
ORIGINAL = ("ORIGINAL ENTRY: Fighting has resumed around the river crossing at Dalbek after a week of calm, "
            "local officials said.")
U0915 = ["UPDATE 0915 GMT: The town council said three people were wounded by shelling in the river district "
         "overnight.",
         "UPDATE 0915 GMT: The town council said four people, not three as first reported, were wounded by "
         "shelling in the river district overnight.",
         "UPDATE 0915 GMT: The town council said four people were wounded by shelling in the river district "
         "overnight; one of them has since died in hospital."]
U1040 = ["UPDATE 1040 GMT: A convoy of six aid trucks is waiting at the checkpoint north of Dalbek.",
         "UPDATE 1040 GMT: A convoy of eight aid trucks is waiting at the checkpoint north of Dalbek, the Red "
         "Crescent said."]
U1230 = ["UPDATE 1230 GMT: Residents say the bakery on the main square was hit.",
         "UPDATE 1230 GMT: Residents say the bakery on the main square was hit; no one was inside."]
U1505 = "UPDATE 1505 GMT: The crossing reopened to pedestrians for two hours."
U1610 = "UPDATE 1610 GMT: Local officials said about 40 families left the river district before dusk."
U1800 = "UPDATE 1800 GMT: Shelling stopped shortly before sunset, the council said."
BLOG_VERSIONS = [
    [U0915[0], ORIGINAL],
    [U1040[0], U0915[1], ORIGINAL],  # corrects 0915
    [U1230[0], U1040[1], U0915[1], ORIGINAL],  # corrects 1040
    [U1610, U1505, U1230[1], U1040[1], U0915[1], ORIGINAL],  # corrects 1230
    [U1800, U1610, U1505, U1230[1], U1040[1], U0915[2], ORIGINAL],  # corrects 0915 again
]
LABELS = {"ORIGINAL ENTRY": 1, "UPDATE 0915 GMT": 3, "UPDATE 1040 GMT": 2, "UPDATE 1230 GMT": 2,
          "UPDATE 1505 GMT": 1, "UPDATE 1610 GMT": 1, "UPDATE 1800 GMT": 1}  # label: versions of its text


def test_reliability_blog_at_five_versions_keeps_each_update_once_with_history(db_path, tmp_path, tally):
    blog = tmp_path / "dalbek-live.txt"
    args = dict(paths=[str(blog)], published=date(2023, 3, 14), outlet="Example Live",
                url="https://example.org/dalbek-live")
    previous: list[str] = []
    for version in BLOG_VERSIONS:
        blog.write_text("\n\n".join(version) + "\n", encoding="utf-8")
        summary = ingest(db_path, **args)
        tally.cases += 1
        added = len({u.split(":")[0] for u in version} - {u.split(":")[0] for u in previous})
        revised = len([u for u in version if u not in previous and u.split(":")[0] in
                       {p.split(":")[0] for p in previous}])
        assert summary.ok and (summary.entries_added, summary.entries_revised) == (added, revised)
        previous = version
    blog.write_text("\n\n".join(BLOG_VERSIONS[2]) + "\n", encoding="utf-8")  # an old version comes round again
    again = ingest(db_path, **args)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)

    with Store(db_path) as store:
        conn = store.conn
        labels = Counter(label for (label,) in conn.execute("SELECT label FROM entries"))
        history = dict(conn.execute("SELECT e.label, COUNT(DISTINCT t.text_hash) FROM entries e "
                                    "JOIN entry_texts t ON t.entry_id = e.id GROUP BY e.label"))
        versions = store.document_versions("https://example.org/dalbek-live")
        current = list(store.entries())
    tally.lost += len(LABELS.keys() - labels.keys())
    tally.duplicated += sum(n - 1 for n in labels.values() if n > 1)
    with tally.check():
        assert labels == Counter(LABELS.keys())  # every update, once
        assert history == LABELS  # each correction keeps the text it replaced
        assert [v.version for v in versions] == [1, 2, 3, 4, 5]
        final = "\n\n".join(BLOG_VERSIONS[-1]) + "\n"
        assert versions[-1].text == final
        assert sorted(e.label for e in current) == sorted(LABELS)
        assert all(final[e.start:e.end].startswith(e.label) for e in current)


# --- 5. limits and gzip ----------------------------------------------------------------------------------------

def test_reliability_cli_refuses_a_file_over_max_mb_and_takes_it_under_a_raised_one(tmp_path, db_path, tally):
    big = tmp_path / "long.txt"
    big.write_text("Shelling hit the market in Aleppo on Monday, killing five people, activists said.\n"
                   + " " * (1024 * 1024) + "\nTalks resumed.\n", encoding="utf-8")  # just over 1 MiB, cheap to parse
    refused = CliRunner().invoke(cli, ["ingest", str(big), "--db", str(db_path), "--max-mb", "1"])
    assert refused.exit_code == 1
    assert (f"{big}: larger than the 1 MiB limit. If it really is one article, raise the limit with --max-mb; "
            f"nothing from it was stored.") in refused.stderr
    with Store(db_path) as store:
        assert store.counts()["documents"] == 0
    taken = CliRunner().invoke(cli, ["ingest", str(big), "--db", str(db_path), "--max-mb", "2"])
    assert taken.exit_code == 0 and "1 new" in taken.stderr, taken.output
    tally.cases += 2


def test_reliability_default_limit_refuses_a_bigger_file(tmp_path):
    from sitrep.ingest import DEFAULT_MAX_BYTES
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: no need to write 20 MiB to test the check on the size
        fh.truncate(DEFAULT_MAX_BYTES + 1)
    with pytest.raises(TooLargeError, match=r"larger than the 20 MiB limit\. If it really is one article, raise"):
        read_document(next(sources_from_paths([str(path)])))


ARTICLE = ("Air strikes hit a crowded market in the town on Tuesday, killing at least nine people, rescuers "
           "said. The town has been shelled almost daily since the front line moved closer in March.\n")


def test_reliability_gzip_files_read_as_their_content(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "article.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(
        f"<html><body><article><p>{ARTICLE}</p></article><script>alert(1)</script></body></html>".encode()))
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(
        (json.dumps({"text": ARTICLE, "url": "https://example.org/1"}) + "\n"
         + json.dumps({"text": "Troops withdrew from the village.", "url": "https://example.org/2"})).encode()))
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"not listed"))
    (tmp_path / "plain.txt").write_text(ARTICLE, encoding="utf-8")
    sources = list(sources_from_paths([str(tmp_path)]))
    docs = {s.name.removeprefix(f"{tmp_path}/"): read_document(s) for s in sources}
    assert sorted(docs) == ["a/article.txt.gz", "feed.jsonl.gz line 1", "feed.jsonl.gz line 2", "page.html.gz",
                            "plain.txt"]  # not backup.tar.gz: a .tar is no article
    assert docs["a/article.txt.gz"].text == docs["plain.txt"].text == ARTICLE
    assert docs["a/article.txt.gz"].id == docs["plain.txt"].id  # the same text is the same document
    assert docs["page.html.gz"].media_type == "text/html" and "alert" not in docs["page.html.gz"].text
    assert docs["feed.jsonl.gz line 1"].text == ARTICLE
    assert docs["feed.jsonl.gz line 2"].url == "https://example.org/2"


def gzip_bomb(path: Path, megabytes: int) -> None:
    """Spaces compress about a thousand times: a few KiB that would expand to `megabytes`."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as fh:
        for _ in range(megabytes):
            fh.write(packer.compress(b" " * (1024 * 1024)))
        fh.write(packer.flush())


@pytest.mark.parametrize("name", ["bomb.txt.gz", "bomb.jsonl.gz"])
def test_reliability_gzip_bomb_is_refused(tmp_path, name, tally):
    path = tmp_path / name
    gzip_bomb(path, 200)
    assert path.stat().st_size < 1024 * 1024
    (item,) = list(sources_from_paths([str(path)], max_bytes=1024 * 1024 * 1024))
    tally.cases += 1
    if not isinstance(item, InputError):
        with pytest.raises(InputError) as caught:
            read_document(item, max_bytes=1024 * 1024 * 1024)  # even under a limit that would allow 200 MiB
        item = caught.value
    assert isinstance(item, TooLargeError)
    assert f"expands more than {MAX_GZIP_RATIO} times" in str(item) and "decompression bomb" in str(item)


def test_reliability_gzip_over_the_limit_and_corrupt(tmp_path):
    words = " ".join(f"{w}{i}" for i, w in enumerate(ARTICLE.split() * 4000))  # compresses ~4x: no bomb
    path = tmp_path / "long.txt.gz"
    path.write_bytes(gzip.compress(words.encode()))
    with pytest.raises(TooLargeError, match="decompresses to more than the 1 MiB limit"):
        read_document(next(sources_from_paths([str(path)])), max_bytes=1024 * 1024)
    assert read_document(next(sources_from_paths([str(path)]))).text == words
    path.write_bytes(gzip.compress(ARTICLE.encode())[:-6])
    with pytest.raises(InputError, match="the gzip data is corrupt or cut short"):
        read_document(next(sources_from_paths([str(path)])))


def test_reliability_cli_gzip_bomb_and_stdin_gzip(tmp_path, db_path):
    bomb = tmp_path / "bomb.txt.gz"
    gzip_bomb(bomb, 50)
    result = CliRunner().invoke(cli, ["ingest", str(bomb), "--db", str(db_path), "--max-mb", "100"])
    assert result.exit_code == 1 and f"{bomb}: the gzip data expands more than" in result.stderr
    piped = CliRunner().invoke(cli, ["ingest", "-", "--db", str(db_path)], input=gzip.compress(ARTICLE.encode()))
    assert piped.exit_code == 0 and "1 new" in piped.stderr, piped.output
    with Store(db_path) as store:
        assert [d.text for d in store.documents()] == [ARTICLE]


MEASURE = """
import json, resource, sys, tracemalloc
from sitrep.ingest import read_document, sources_from_paths
(source,) = list(sources_from_paths([sys.argv[1]]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
doc = read_document(source, max_bytes=int(sys.argv[2]))
traced_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rss_growth": (after - before) * 1024, "traced_peak": traced_peak, "text": sys.getsizeof(doc.text),
                  "chars": len(doc.text)}))
"""


def big_blog(path: Path, megabytes: int) -> None:
    """ASCII prose that compresses like prose (about 4x), a marker every twenty paragraphs."""
    import random
    rng = random.Random(8)
    words = ("shelling strike market civilians killed wounded activists said monitor reported convoy crossing "
             "rebels troops village district overnight council hospital families fled aid ceasefire talks").split()
    with path.open("w", encoding="ascii") as fh:
        written = i = 0
        while written < megabytes * 1024 * 1024:
            marker = f"UPDATE {rng.randrange(24):02d}{rng.randrange(60):02d} GMT: " if i % 20 == 0 else ""
            para = marker + " ".join(rng.choice(words) + str(rng.randrange(100)) for _ in range(80)) + ".\n\n"
            written += fh.write(para)
            i += 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KiB on Linux, bytes on macOS")
@pytest.mark.parametrize("gzipped", [False, True])
def test_reliability_reading_a_big_file_holds_it_at_most_twice(tmp_path, gzipped):
    # A 32 MiB text under a raised limit: reading, decoding, hashing and splitting it may hold its bytes and
    # its text at once, no more (+25% of the size for a gzip buffer's growth and the entries). Reading used
    # to hold three copies (bytes, text, and a stripped or UTF-8 copy of it). The peak of what Python
    # allocated (tracemalloc) is exact whatever the allocator does, so it is what discriminates; the peak
    # RSS (getrusage, in a fresh process) is held to a generous bound. 200 MiB, measured by hand: peak RSS
    # 400 MiB over the imports, in 9 s (600 MiB before).
    path = tmp_path / "big.txt"
    big_blog(path, 32)
    size = path.stat().st_size
    if gzipped:
        with path.open("rb") as raw, gzip.open(tmp_path / "big.txt.gz", "wb", compresslevel=1) as packed:
            while chunk := raw.read(1024 * 1024):
                packed.write(chunk)
        path.unlink()
        path = tmp_path / "big.txt.gz"
    out = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(64 * 1024 * 1024)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    measured = json.loads(out.stdout)
    assert measured["chars"] == size
    assert measured["traced_peak"] <= 1.25 * size + measured["text"], measured
    assert measured["rss_growth"] <= 2.5 * size + 16 * 1024 * 1024, measured


# --- 6. hostile HTML and SQL -----------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script>", "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<img src=x onerror=\"alert(1)\">", "<svg onload=alert(1)><circle r=1 /></svg>",
    "<a href=\"javascript:alert(document.cookie)\">more</a>", "<body onload=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>", "<embed src=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input onfocus=alert(1) autofocus></form>",
    "<p onmouseover=\"alert(1)\">Residents fled the district overnight.</p>",
    "<style>@import 'javascript:alert(1)';</style>", "<base href=\"javascript:alert(1)//\">",
]
LIVE_MARKUP = re.compile(r"<\s*(script|iframe|img|svg|object|embed|meta|form|input|style|base|body|a)\b|"
                         r"\bon[a-z]+\s*=|javascript:", re.IGNORECASE)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_reliability_hostile_html_leaves_no_live_markup_in_the_text(tmp_path, db_path, hostile, tally):
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>Strikes</title>{hostile}</head><body><article><p>{ARTICLE}</p>{hostile}"
                    f"<p>Aid agencies said {hostile} the convoy was turned back.</p></article></body></html>",
                    encoding="utf-8")
    summary = ingest(db_path, paths=[str(page)])
    tally.cases += 1
    assert summary.ok
    with Store(db_path) as store:
        (doc,) = store.documents()
    assert "killing at least nine people" in doc.text
    assert not LIVE_MARKUP.search(doc.text), doc.text


def test_reliability_markup_quoted_as_text_is_kept_and_escaped_in_the_report(tmp_path, db_path):
    # A page that shows markup as words (&lt;script&gt;) is text about markup: kept verbatim, since evidence
    # offsets index the text, and escaped wherever it is rendered (the report autoescapes; tests/test_report.py).
    page = tmp_path / "page.html"
    quoted = "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt;"
    page.write_text(f"<html><body><article><p>{ARTICLE}</p><p>Rebels said they killed 12 soldiers in Aleppo on "
                    f"Tuesday and posted {quoted} on the army's website.</p></article></body></html>",
                    encoding="utf-8")
    assert ingest(db_path, paths=[str(page)], published=date(2021, 3, 4)).ok
    with Store(db_path) as store:
        (doc,) = store.documents()
        quotes = [e.text for record in [*store.events(), *store.claims()] for e in record.evidence]
    assert "<script>alert(1)</script>" in doc.text  # the page's words, not its markup
    assert any("<script>alert(1)</script>" in q for q in quotes), "the passage must reach the report as a quote"
    out = tmp_path / "report.html"
    write_report(db_path, out)
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the passage is quoted as evidence, escaped
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert html.count("<script") == 1  # the report's own, allowed by hash in its Content-Security-Policy


# Interpolated values in SQL text: each is a name of ours (a table, a column list, a constant), never data.
# Anything else in an f-string, %-format, .format() or + of SQL fails this test: bind it with ? instead.
ALLOWED_SQL_INTERPOLATIONS = {
    "sitrep/store.py": {"BUSY_TIMEOUT_MS", "SCHEMA", "int(SCHEMA_VERSION)", "', '.join(EVENT_COLUMNS)",
                        "', '.join('?' * len(EVENT_COLUMNS))", "', '.join(CLAIM_COLUMNS)",
                        "', '.join('?' * len(CLAIM_COLUMNS))", "table", "where",
                        "', '.join((f'e.{c}' for c in columns))"},
    "sitrep/store_pg.py": {"table"},  # a name from ORDERED_TABLES, rewriting the schema for PostgreSQL
    "sitrep/report/browse.py": {"FTS_TABLE", "FTS_SCHEMA"},
}
SQL_TEXT = re.compile(r"\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO|"
                      r"CREATE\s+(TABLE|INDEX|VIEW|VIRTUAL|TRIGGER)|DROP\s+(TABLE|INDEX|VIEW)|ALTER\s+TABLE|"
                      r"PRAGMA\s+\w+|ATTACH\s+DATABASE|BEGIN\b|COMMIT\b|VALUES\s*\()")


def sql_interpolations(path: Path) -> list[tuple[int, str]]:
    """(line, expression) for every value spliced into SQL text in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if SQL_TEXT.search(literal):
                found += [(node.lineno, ast.unparse(v.value)) for v in node.values
                          if isinstance(v, ast.FormattedValue)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            sides = [s for s in (node.left, node.right) if isinstance(s, ast.Constant) and isinstance(s.value, str)]
            others = [s for s in (node.left, node.right) if not isinstance(s, ast.Constant)]
            if others and any(SQL_TEXT.search(s.value) for s in sides):
                found.append((node.lineno, ast.unparse(node)))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
              and SQL_TEXT.search(node.func.value.value)):
            found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize("module", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "sitrep").rglob("*.py")))
def test_reliability_sql_takes_values_only_as_parameters(module):
    allowed = ALLOWED_SQL_INTERPOLATIONS.get(module, set())
    spliced = [(line, expr) for line, expr in sql_interpolations(ROOT / module) if expr not in allowed]
    assert not spliced, f"{module}: values spliced into SQL (bind them with ?): {spliced}"


def test_reliability_sql_guard_sees_a_spliced_value(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('def f(conn, name):\n'
                   '    conn.execute(f"SELECT id FROM documents WHERE path = \'{name}\'")\n'
                   '    conn.execute("DELETE FROM events WHERE id = \'%s\'" % name)\n'
                   '    conn.execute("INSERT INTO meta VALUES ({})".format(name))\n', encoding="utf-8")
    assert [line for line, _ in sql_interpolations(bad)] == [2, 3, 4]
