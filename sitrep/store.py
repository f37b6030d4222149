"""The SQLite record: documents with every version of their text, live-blog entries and marks.

WAL mode, foreign keys, a schema version and one transaction per document, so a crash leaves
either a whole document or none of it. Ids come from content, so storing the same text twice
changes nothing, and a live blog that grew keeps its old entries and gains only the new ones.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import StoreError
from .model import Document, Entry

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000  # another writer holds the lock for one document at most

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,               -- content hash of text
    source_key TEXT NOT NULL,          -- url, else file: versions of one live blog share it
    version INTEGER NOT NULL,          -- 1 for the first text seen under source_key
    path TEXT, url TEXT, outlet TEXT, published TEXT, timezone TEXT, title TEXT,
    encoding TEXT, media_type TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    UNIQUE (source_key, version)
);
CREATE TABLE IF NOT EXISTS marks (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (document_id, start)
);
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,               -- hash of source_key, label and ordinal
    source_key TEXT NOT NULL,
    label TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    time TEXT,                         -- UTC, ISO 8601; NULL for an original entry
    first_document TEXT NOT NULL REFERENCES documents(id),
    UNIQUE (source_key, label, ordinal)
);
CREATE TABLE IF NOT EXISTS entry_texts (  -- each version of an entry's text: corrections keep history
    entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    PRIMARY KEY (entry_id, document_id)
);
CREATE INDEX IF NOT EXISTS documents_by_source ON documents (source_key, version);
CREATE VIEW IF NOT EXISTS current_documents AS
    SELECT d.* FROM documents d
    WHERE d.version = (SELECT MAX(version) FROM documents v WHERE v.source_key = d.source_key);
"""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    source_key: str
    version: int
    path: str | None
    url: str | None
    outlet: str | None
    published: date | None
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class StoredEntry:
    id: str
    document: str  # the current version of the entry's document
    label: str
    time: datetime | None
    start: int | None  # offsets in that version; None if the entry is no longer on the page
    end: int | None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What storing one document changed."""

    status: str  # "new", "updated" (a new version of a known source) or "unchanged"
    document_id: str
    new_entries: int = 0
    revised_entries: int = 0


class Store:
    """A sitrep database file. Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open as a sitrep database ({e}). Check the path; if it is "
                             f"another kind of file, choose a new --db name.") from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        # The script carries its own BEGIN/COMMIT: executescript would otherwise commit statement by statement.
        self.conn.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
        with self._transaction():
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: written by a newer sitrep (schema {row[0]}); upgrade sitrep.")

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def add_document(self, doc: Document) -> AddResult:
        """Store one document in one transaction; a text already stored changes nothing."""
        try:
            with self._transaction():
                return self._add_document(doc)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: could not store {doc.path or doc.url or doc.id} ({e}); nothing of "
                             f"it was stored. Check the disk has room and no other program holds the file.") from e

    def _add_document(self, doc: Document) -> AddResult:
        if self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
            return AddResult("unchanged", doc.id)
        (latest,) = self.conn.execute("SELECT MAX(version) FROM documents WHERE source_key = ?",
                                      (doc.source_key,)).fetchone()
        version = (latest or 0) + 1
        self.conn.execute(
            "INSERT INTO documents (id, source_key, version, path, url, outlet, published, timezone, title, "
            "encoding, media_type, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.source_key, version, doc.path, doc.url, doc.outlet,
             doc.published.isoformat() if doc.published else None, doc.timezone, doc.title, doc.encoding,
             doc.media_type, doc.text, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        self.conn.executemany('INSERT INTO marks (document_id, kind, start, "end") VALUES (?, ?, ?, ?)',
                              [(doc.id, m.kind, m.start, m.end) for m in doc.marks])
        new = revised = 0
        for entry in doc.entries:
            is_new, is_revised = self._add_entry(doc, entry)
            new += is_new
            revised += is_revised
        return AddResult("new" if version == 1 else "updated", doc.id, new, revised)

    def _add_entry(self, doc: Document, entry: Entry) -> tuple[bool, bool]:
        entry_id = _hash(doc.source_key, entry.label, str(entry.ordinal))
        time = entry.time.isoformat() if entry.time else None
        inserted = self.conn.execute(
            "INSERT INTO entries (id, source_key, label, ordinal, time, first_document) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING", (entry_id, doc.source_key, entry.label, entry.ordinal, time, doc.id)
        ).rowcount == 1
        text_hash = _hash(doc.text[entry.start:entry.end])
        previous = self.conn.execute(
            "SELECT t.text_hash FROM entry_texts t JOIN documents d ON d.id = t.document_id "
            "WHERE t.entry_id = ? ORDER BY d.version DESC LIMIT 1", (entry_id,)).fetchone()
        self.conn.execute('INSERT INTO entry_texts (entry_id, document_id, start, "end", text_hash) '
                          "VALUES (?, ?, ?, ?, ?)", (entry_id, doc.id, entry.start, entry.end, text_hash))
        return inserted, previous is not None and previous[0] != text_hash

    def documents(self, current_only: bool = True) -> Iterator[StoredDocument]:
        """Documents in ingest order; by default only the latest version of each source."""
        table = "current_documents" if current_only else "documents"
        rows = self.conn.execute(f"SELECT id, source_key, version, path, url, outlet, published, title, text "
                                 f"FROM {table} ORDER BY rowid")
        for row in rows:
            yield StoredDocument(*row[:6], date.fromisoformat(row[6]) if row[6] else None, *row[7:])

    def document_versions(self, source_key: str) -> list[StoredDocument]:
        """Every stored version of one source, oldest first: the old text of a grown blog stays readable."""
        return [d for d in self.documents(current_only=False) if d.source_key == source_key]

    def entries(self) -> Iterator[StoredEntry]:
        """Every entry of every source, placed in the current version of its document where it still is."""
        rows = self.conn.execute(
            'SELECT e.id, c.id, e.label, e.time, t.start, t."end" FROM entries e '
            "JOIN current_documents c ON c.source_key = e.source_key "
            "LEFT JOIN entry_texts t ON t.entry_id = e.id AND t.document_id = c.id "
            "ORDER BY c.rowid, e.time IS NULL, e.time, e.label")
        for entry_id, doc_id, label, time, start, end in rows:
            yield StoredEntry(entry_id, doc_id, label, datetime.fromisoformat(time) if time else None, start, end)

    def counts(self) -> dict[str, int]:
        """Row counts by table, for summaries and checks."""
        return {table: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("documents", "current_documents", "entries", "entry_texts", "marks")}


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: takes the write lock up front so two
    writers queue on the busy timeout instead of failing mid-way."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
