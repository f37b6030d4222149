"""PostgreSQL as the store: a real server on loopback gives the same export as a SQLite file.

The server is Debian's PostgreSQL (`apt-get install postgresql`; .ci/run installs it), started in a
temporary folder for this module, as an unprivileged user when the tests run as root (postgres
refuses root), listening on 127.0.0.1 only, and stopped at the end.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from sitrep.cli import cli
from sitrep.store import Store
from tests.test_parallel import exported_lines, ingest_seeds, single_process_export

SERVER_TIMEOUT_S = 60  # pg_ctl's own wait for start and stop


def postgres_bin() -> Path | None:
    """The newest installed server's binaries: Debian keeps them out of PATH, per major version."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip("running as root with neither a 'postgres' nor a 'nobody' user to run PostgreSQL as")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    home = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))  # not under pytest's tmp: that is private to root
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = unprivileged_user()
        shutil.chown(home, user)
        as_user = ["runuser", "-u", user, "--"]
    data, port = home / "data", free_port()
    pg_ctl = [*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-w", "-t", str(SERVER_TIMEOUT_S)]
    try:
        subprocess.run([*as_user, str(binaries / "initdb"), "-D", str(data), "-U", "sitrep", "--auth=trust",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120, cwd=home)
        subprocess.run([*pg_ctl, "-l", str(home / "server.log"), "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off", "start"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=SERVER_TIMEOUT_S + 30,
                       cwd=home)
        with psycopg.connect(f"postgresql://sitrep@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE sitrep_test")
        yield f"postgresql://sitrep@127.0.0.1:{port}/sitrep_test"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=SERVER_TIMEOUT_S + 30, cwd=home)
        shutil.rmtree(home, ignore_errors=True)


def test_postgres_export_equals_the_sqlite_export(postgres_url, tmp_path):
    said = ingest_seeds(postgres_url)
    assert "5 new, 0 updated, 0 unchanged documents; 17 new live-blog entries" in said
    assert sorted(exported_lines(postgres_url)) == sorted(single_process_export())
    assert exported_lines(postgres_url) == list(single_process_export())  # the same order too
    again = ingest_seeds(postgres_url, "--jobs", "2")  # ingesting again changes nothing, with workers too
    assert "0 new, 0 updated, 5 unchanged documents" in again
    ingest_seeds(tmp_path / "sqlite.db")
    with Store(postgres_url) as pg, Store(tmp_path / "sqlite.db") as lite:
        assert pg.counts() == lite.counts()
        assert pg.is_resolved() and lite.is_resolved()


def test_postgres_schema_has_the_sqlite_columns(postgres_url, tmp_path):
    with Store(postgres_url):  # creates the schema if the other test has not
        pass
    lite = sqlite3.connect(tmp_path / "schema.db")
    Store(tmp_path / "schema.db").close()
    with psycopg.connect(postgres_url) as conn:
        for (table,) in lite.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"):
            expected = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            columns = [name for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'seq' "
                "ORDER BY ordinal_position", (table,))]
            assert columns == expected, table
    lite.close()


@pytest.mark.parametrize("url, hidden", [
    ("postgresql://sitrep:s3cret@127.0.0.1:{port}/sitrep", "s3cret"),  # a password never reaches a message
])
def test_postgres_unreachable_server_is_a_clear_error(tmp_path, url, hidden):
    url = url.format(port=free_port())  # nothing listens there
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", url])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {url.replace(hidden, '***')}: cannot connect to PostgreSQL (")
    assert "Check the server is running" in result.stderr and hidden not in result.output
