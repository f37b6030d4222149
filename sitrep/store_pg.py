"""The sitrep record on a PostgreSQL server, for a team: the SQLite store's schema and behaviour.

`Store("postgresql://user@127.0.0.1:5432/sitrep")` opens one of these (see `sitrep.store.Store`).
Every method is the SQLite store's own, run through `_Connection`, which speaks the slice of
`sqlite3.Connection` the store uses over psycopg 3; what differs is said here once:

* placeholders: `?` becomes `%s`;
* insertion order: SQLite's implicit `rowid` becomes an identity column `seq` on the tables read in
  ingest order (documents, events, claims, evidence), so exports come out in the same order;
* types: TEXT compares byte by byte (COLLATE "C", as SQLite does, whatever the server's locale: ids and
  labels sort the same, and the resolution's fingerprint matches), INTEGER is BIGINT, REAL is DOUBLE
  PRECISION (SQLite's REAL is 8 bytes; PostgreSQL's 4);
* one writer at a time: a transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE, so two
  ingests adding versions of one live blog queue instead of racing for the version number.

PostgreSQL text cannot hold U+0000; a document containing one is refused with a `StoreError`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.pq import TransactionStatus

from .errors import StoreError
from .model import Analysis
from .store import SCHEMA, SCHEMA_VERSION, AddResult, Store

log = logging.getLogger(__name__)

ORDERED_TABLES = ("documents", "events", "claims", "evidence")  # read in insertion order: they get `seq`
# One key for every sitrep store: pg_advisory_xact_lock takes a bigint. Chosen once, never data.
WRITE_LOCK_KEY = 0x5117_2E90
CONNECT_TIMEOUT_S = 10


def postgres_schema() -> str:
    """The SQLite schema (all versions) in PostgreSQL's dialect, derived so the two cannot drift apart."""
    ddl = re.sub(r"--[^\n]*", "", SCHEMA)  # comments may name types; drop them before rewriting types
    ddl = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', ddl)
    ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl)
    ddl = re.sub(r"\bREAL\b", "DOUBLE PRECISION", ddl)
    ddl = ddl.replace("CREATE VIEW IF NOT EXISTS", "CREATE OR REPLACE VIEW")
    for table in ORDERED_TABLES:
        head = f"CREATE TABLE IF NOT EXISTS {table} ("
        assert head in ddl, table
        ddl = ddl.replace(head, f"{head}\n    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,")
    return ddl


def display_url(url: str) -> str:
    """The URL for messages and logs: never its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class PostgresStore(Store):
    """A sitrep store on a PostgreSQL server. Open it as `Store(url)`; use as a context manager."""

    _integrity_errors = (psycopg.IntegrityError,)
    _driver_errors = (psycopg.Error,)

    def __init__(self, path: str) -> None:  # noqa: D107 -- `path` is the URL, named as Store names it
        self.path = display_url(str(path))  # type: ignore[assignment]  # in messages only
        try:
            raw = psycopg.connect(str(path), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as e:
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({_first_line(e)}). Check the server is "
                             f"running and the URL's user, host, port and database name.") from e
        self.conn = _Connection(raw)  # type: ignore[assignment]
        try:
            self._migrate()
        except psycopg.Error as e:
            self.conn.close()
            raise StoreError(f"{self.path}: cannot open as a sitrep database ({_first_line(e)}). Check the user "
                             f"may create tables in this database, or choose another one.") from e
        except StoreError:
            self.conn.close()
            raise

    def _migrate(self) -> None:
        """Create what is missing and record the schema version, under the write lock."""
        version = self._schema_version()
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer sitrep (schema {version}); upgrade sitrep.")
        with self._transaction():
            self.conn.execute_script(postgres_schema())
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE "
                "SET value = excluded.value WHERE CAST(meta.value AS INTEGER) < ?",
                (str(SCHEMA_VERSION), SCHEMA_VERSION))
        if version is not None and version < SCHEMA_VERSION:
            log.info("%s: upgraded the schema from version %s to %s", self.path, version, SCHEMA_VERSION)

    def _schema_version(self) -> int | None:
        (meta,) = self.conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
        if not meta:
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _transaction(self) -> _Transaction:  # type: ignore[override]
        return _Transaction(self.conn)

    def add_analysis(self, analysis: Analysis) -> AddResult:
        if "\x00" in analysis.document.text:
            doc = analysis.document
            raise StoreError(f"{self.path}: could not store {doc.path or doc.url or doc.id}: its text holds a NUL "
                             f"character (U+0000), which PostgreSQL cannot store; nothing of it was stored. Remove "
                             f"it from the file, or use a SQLite store.")
        return super().add_analysis(analysis)


class _Connection:
    """The slice of `sqlite3.Connection` the store uses, over a psycopg connection in autocommit mode."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        return self.raw.execute(_translate(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(_translate(sql), rows)

    def execute_script(self, script: str) -> None:
        """Several statements, no parameters: sent as they are (psycopg allows that without parameters)."""
        self.raw.execute(script.encode("utf-8"))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


class _Transaction:
    """BEGIN … COMMIT under the store-wide write lock, or ROLLBACK on any error."""

    def __init__(self, conn: _Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.raw.execute("BEGIN")
        self.conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.conn.raw.execute("ROLLBACK" if exc_type else "COMMIT")


@lru_cache(maxsize=256)
def _translate(sql: str) -> str:
    """qmark placeholders to psycopg's, SQLite's rowid to our `seq` (our own statements, never data)."""
    return re.sub(r"\browid\b", "seq", sql.replace("%", "%%").replace("?", "%s"))


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
