"""Ingest with worker processes: the same store as one process, failures still reported, memory bounded."""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.parallel import WINDOW_PER_WORKER, map_in_pool
from sitrep.store import Store
from tests.conftest import SHARED

SEEDS_MANIFEST = SHARED / "corpus" / "seeds" / "manifest.tsv"


def exported_lines(db: str | Path) -> list[str]:
    """`sitrep export` of `db`, line by line. Ids are content hashes and the one writer stores in input
    order, so equal stores give equal lines in the same order (the issue asks only for equal sorted lines)."""
    result = CliRunner().invoke(cli, ["export", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def ingest_seeds(db: str | Path, *options: str) -> str:
    """Ingest the seeds into `db` through the command line; returns what it said on stderr."""
    result = CliRunner().invoke(cli, ["ingest", "--manifest", str(SEEDS_MANIFEST), "--db", str(db), *options])
    assert result.exit_code == 0, result.output
    return result.stderr


@lru_cache(maxsize=1)
def single_process_export() -> tuple[str, ...]:
    """The reference every engine and store must match: the seeds ingested in one process into SQLite."""
    with tempfile.TemporaryDirectory() as tmp:
        ingest_seeds(Path(tmp) / "reference.db", "--jobs", "1")
        return tuple(exported_lines(Path(tmp) / "reference.db"))


def test_parallel_jobs_give_the_single_process_export(tmp_path):
    db = tmp_path / "parallel.db"
    said = ingest_seeds(db, "--jobs", "2")
    assert "5 new, 0 updated, 0 unchanged documents; 17 new live-blog entries" in said
    assert sorted(exported_lines(db)) == sorted(single_process_export())
    assert exported_lines(db) == list(single_process_export())
    again = ingest_seeds(db, "--jobs", "2")  # workers are told what is stored: nothing is analysed twice
    assert "0 new, 0 updated, 5 unchanged documents" in again
    assert exported_lines(db) == list(single_process_export())


def test_parallel_bad_files_reported_in_input_order_with_exit_1(tmp_path):
    (tmp_path / "good.txt").write_text("Shelling hit the old market on Monday, residents said.", encoding="utf-8")
    (tmp_path / "also-good.txt").write_text("Two people were killed in an air strike on Tuesday.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    manifest = tmp_path / "m.tsv"
    names = ("empty.txt", "good.txt", "gone.txt", "image.txt", "also-good.txt")
    manifest.write_text("path\turl\toutlet\tpublished\n" + "".join(f"{n}\t\tWire\t2020-01-01\n" for n in names),
                        encoding="utf-8")
    said = {}
    for jobs in ("1", "2"):
        db = tmp_path / f"jobs{jobs}.db"
        result = CliRunner().invoke(cli, ["ingest", "--manifest", str(manifest), "--db", str(db), "--jobs", jobs])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and result.stdout == ""
        said[jobs] = result.stderr
        with Store(db) as store:
            assert [d.path for d in store.documents()] == ["good.txt", "also-good.txt"]  # in input order
    assert "2 new, 0 updated, 0 unchanged documents" in said["2"]
    assert "3 could not be ingested (nothing of them was stored):" in said["2"]
    for words in ("empty.txt: the file is empty", "gone.txt: no such file", "image.txt: this is a PNG image"):
        assert words in said["2"]
    assert said["2"] == said["1"]  # the same summary, failures in the same order


@pytest.mark.parametrize("jobs, batches", [
    (2, 40),  # far more batches than the window: the pool must not read ahead of the writer
])
def test_parallel_pool_keeps_order_and_a_bounded_window(jobs, batches):
    pulled = []

    def numbered():
        for n in range(batches):
            pulled.append(n)
            yield [n, n]

    results = []
    for batch, total in map_in_pool(sum, numbered(), jobs=jobs):
        results.append((batch[0], total))
        assert len(pulled) - len(results) <= WINDOW_PER_WORKER * jobs  # never more than the window in flight
    assert results == [(n, 2 * n) for n in range(batches)]


@pytest.mark.parametrize("text", [
    "Troops entered the town on Sunday, residents said.",
])
def test_parallel_stdin_is_read_by_the_writer_not_a_worker(tmp_path, text):
    db = tmp_path / "stdin.db"
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", str(db), "--outlet", "Desk", "--jobs", "2"], input=text)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stderr
    with Store(db) as store:
        assert [d.text for d in store.documents()] == [text]
