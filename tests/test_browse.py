"""`sitrep browse`: Datasette over the store, on loopback, with search, facets and canned queries."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import sitrep
from sitrep.cli import cli
from sitrep.report import browse

READY_ATTEMPTS = 600  # polls of at most 0.2 s each while the server starts: a bound, not a timing check


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seeds_manifest) -> Path:
    db = tmp_path_factory.mktemp("browse") / "seeds.db"
    assert sitrep.ingest(db, manifest=seeds_manifest).ok
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind((browse.HOST, 0))
        return s.getsockname()[1]


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_browse_search_index_is_idempotent(seeded):
    assert browse.ensure_search_index(seeded) == 5
    assert browse.ensure_search_index(seeded) == 5
    with sqlite3.connect(seeded) as conn:
        hits = conn.execute("SELECT d.path FROM documents_fts f JOIN documents d ON d.rowid = f.rowid "
                            "WHERE documents_fts MATCH 'Lavrov'").fetchall()
    assert hits


@pytest.mark.parametrize("query", ["contested_figures", "events_by_day"])
def test_browse_canned_queries_run_on_the_store(seeded, query):
    metadata = browse.load_metadata(seeded)
    sql = metadata["databases"]["seeds"]["queries"][query]["sql"]
    with sqlite3.connect(seeded) as conn:
        assert conn.execute(sql).fetchall()


def test_browse_serves_canned_queries_on_loopback(seeded):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "sitrep", "browse", "--db", str(seeded), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://{browse.HOST}:{port}/seeds"
    try:
        for _ in range(READY_ATTEMPTS):
            try:
                fetch_json(f"http://{browse.HOST}:{port}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                try:  # wait a little for the server, and notice at once if it died
                    server.wait(timeout=0.2)
                    pytest.fail(f"sitrep browse exited with {server.returncode}: {server.stderr.read()}")
                except subprocess.TimeoutExpired:
                    pass
        else:
            pytest.fail("sitrep browse did not answer")
        contested = fetch_json(f"{base}/contested_figures.json?_shape=objects")
        assert contested["rows"]
        fled = [r for r in contested["rows"] if r["measure"] == "fled" and r["subject"] == "civilians"]
        assert fled and fled[0]["low"] == 2000 and fled[0]["high"] == 50000
        by_day = fetch_json(f"{base}/events_by_day.json?_shape=objects")
        assert any(r["day"] == "2016-12-09" and r["events"] > 0 for r in by_day["rows"])
        search = fetch_json(f"{base}/documents.json?_search=Lavrov&_shape=objects&_col=path")
        assert search["rows"]
        facets = fetch_json(f"{base}/events.json?_shape=objects&_size=1")["facet_results"]
        assert {"event_type", "location_name", "date"} <= set(facets)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
        server.stderr.close()


def test_browse_listens_on_loopback_only():
    assert browse.HOST == "127.0.0.1"
    assert "--host" not in CliRunner().invoke(cli, ["browse", "--help"]).output


def test_browse_port_in_use(seeded):
    with socket.socket() as taken:
        taken.bind((browse.HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["browse", "--db", str(seeded), "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot serve on 127.0.0.1:{port} (Address already in use).")


def test_browse_without_datasette_says_how_to_install(seeded, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if the extra were not installed
    result = CliRunner().invoke(cli, ["browse", "--db", str(seeded)])
    assert result.exit_code == 1
    assert result.stderr == ("Error: sitrep browse needs Datasette, which is not installed (datasette is missing). "
                             "Install it with: pip install 'sitrep[browse]'\n")
