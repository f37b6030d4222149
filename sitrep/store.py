"""The SQLite record: documents with every version of their text, live-blog entries, marks, and
the events and claims extracted from each document with the spans of text behind them.

WAL mode, foreign keys, a schema version and one transaction per document, so a crash leaves
either a whole document (with its events and claims) or none of it. Ids come from content, so
storing the same text twice changes nothing, and a live blog that grew keeps its old entries and
gains only the new ones; its old version's events and claims stay stored but are no longer current.
The cross-document resolution of the current events and claims (merged events, reconciled figures,
conflicts; see `sitrep.resolve`) is kept in its own tables and replaced as a whole.

`Store(path)` opens a SQLite file; `Store("postgresql://user@host:port/db")` opens the same schema
on a PostgreSQL server for a team (`sitrep.store_pg`, the optional extra `sitrep[postgres]`).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import StoreError
from .model import Analysis, Claim, Document, Entry, Event, Evidence, Location, Range
from .resolve.records import Conflict, Figure, FigureGroup, MergedEvent, Resolution

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 60_000  # another writer holds the lock for one document at most
WAL_RETRY_S = 0.05  # how often to try the switch to WAL again while another writer creates the file
POSTGRES_SCHEMES = ("postgresql://", "postgres://")

# Each version's script creates only what it adds, IF NOT EXISTS, so running them all upgrades any older file.
SCHEMA_V1 = """
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

SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,               -- given by the extractor: a content hash
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL, sub_event_type TEXT NOT NULL,
    date TEXT, date_precision TEXT,    -- ISO day the event happened; day, week or month
    location_name TEXT,                -- NULL when the event has no location
    admin1 TEXT, country TEXT, lat REAL, lon REAL, geo_precision TEXT,
    location_aliases TEXT NOT NULL DEFAULT '[]',  -- JSON list
    actors TEXT NOT NULL DEFAULT '[]', actors_raw TEXT NOT NULL DEFAULT '[]',  -- JSON lists
    killed_low INTEGER, killed_best INTEGER, killed_high INTEGER,  -- all NULL: no figure given
    injured_low INTEGER, injured_best INTEGER, injured_high INTEGER,
    sources TEXT NOT NULL DEFAULT '[]'  -- JSON list
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    claimant TEXT NOT NULL, claimant_raw TEXT NOT NULL,
    measure TEXT NOT NULL, subject TEXT,
    value_low INTEGER, value_best INTEGER, value_high INTEGER,
    is_vague INTEGER NOT NULL CHECK (is_vague IN (0, 1)),
    modality TEXT NOT NULL,
    date TEXT, place TEXT,
    part_of TEXT                       -- id of the claim whose total this one breaks down
);
CREATE TABLE IF NOT EXISTS evidence (  -- the spans behind each event and claim, in the extractor's order (rowid)
    record_kind TEXT NOT NULL CHECK (record_kind IN ('event', 'claim')),
    record_id TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,                -- the document's text[start:end], kept for readers of the file
    PRIMARY KEY (record_kind, record_id, start, "end")
);
CREATE INDEX IF NOT EXISTS events_by_date ON events (date);
CREATE INDEX IF NOT EXISTS events_by_type ON events (event_type);
CREATE INDEX IF NOT EXISTS events_by_document ON events (document_id);
CREATE INDEX IF NOT EXISTS claims_by_measure ON claims (measure);
CREATE INDEX IF NOT EXISTS claims_by_document ON claims (document_id);
CREATE INDEX IF NOT EXISTS evidence_by_document ON evidence (document_id);
"""

# Cross-document resolution (sitrep.resolve): derived from the current events and claims and rebuilt as a
# whole, in one transaction, after every ingest; `meta.resolved_documents` says which documents it covers.
SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS merged_events (  -- one real-world event: every current report of it
    id TEXT PRIMARY KEY,               -- its smallest member's id
    position INTEGER NOT NULL,         -- export order: where its first member comes in ingest order
    representative TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,  -- gives type, day and place
    actors TEXT NOT NULL, actors_raw TEXT NOT NULL,    -- JSON lists, unions over the members
    sources TEXT NOT NULL, sources_raw TEXT NOT NULL,  -- normalised through the lexicon / as stored
    documents TEXT NOT NULL,
    killed_low INTEGER, killed_best INTEGER, killed_high INTEGER, killed_rule TEXT,  -- reconciled
    injured_low INTEGER, injured_best INTEGER, injured_high INTEGER, injured_rule TEXT,
    grade TEXT NOT NULL, grade_reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_clusters (  -- which events each merged event is made of
    cluster_id TEXT NOT NULL REFERENCES merged_events(id) ON DELETE CASCADE,
    event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL          -- member order: by publication day, document, offset
);
CREATE TABLE IF NOT EXISTS figure_groups (  -- claims that count the same thing, reconciled
    id TEXT PRIMARY KEY,
    measure TEXT NOT NULL, subject TEXT NOT NULL, place TEXT, period TEXT,
    low INTEGER, best INTEGER, high INTEGER, rule TEXT NOT NULL,
    claims TEXT NOT NULL               -- JSON list of claim ids
);
CREATE TABLE IF NOT EXISTS conflicts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                -- figures, ceasefire, denial
    items TEXT NOT NULL,               -- JSON list of merged event and claim ids, as exported
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_clusters_by_cluster ON event_clusters (cluster_id, position);
"""

SCHEMA = SCHEMA_V1 + SCHEMA_V2 + SCHEMA_V3
RESOLUTION_TABLES = ("event_clusters", "merged_events", "figure_groups", "conflicts")  # children first

# Column lists shared by the writes and the reads, so the two cannot drift apart.
EVENT_COLUMNS = ("id", "document_id", "event_type", "sub_event_type", "date", "date_precision", "location_name",
                 "admin1", "country", "lat", "lon", "geo_precision", "location_aliases", "actors", "actors_raw",
                 "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
                 "sources")
CLAIM_COLUMNS = ("id", "document_id", "claimant", "claimant_raw", "measure", "subject", "value_low", "value_best",
                 "value_high", "is_vague", "modality", "date", "place", "part_of")


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
    events: int = 0  # events and claims stored with the document (0 when it was already stored)
    claims: int = 0


def is_postgres_url(db: str | Path) -> bool:
    """Does `db` name a PostgreSQL database rather than a SQLite file?"""
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


class Store:
    """A sitrep database file. Use as a context manager, or call `close()`.

    Given a postgresql:// URL it is a `sitrep.store_pg.PostgresStore`, as pathlib's `Path` gives a
    `PosixPath`, so every reader (`export`, `summary`, `resolve`) works on either without knowing.
    """

    # The driver's errors, translated at the boundary (the PostgreSQL store names psycopg's).
    _integrity_errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
    _driver_errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __new__(cls, path: str | Path) -> Store:
        if cls is Store and is_postgres_url(path):
            try:
                from .store_pg import PostgresStore
            except ImportError as e:
                raise StoreError(f"a postgresql:// store needs psycopg ({e}); install the optional extra: "
                                 f"pip install 'sitrep[postgres]'.") from e
            return super().__new__(PostgresStore)
        return super().__new__(cls)

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._use_wal()
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: cannot open as a sitrep database ({e}). Check the path; if it is "
                             f"another kind of file, choose a new --db name.") from e

    def _use_wal(self) -> None:
        """Switch to WAL, waiting while another connection holds a new file's write lock: SQLite refuses the
        switch at once then, without calling the busy handler (it could deadlock), so the wait is ours."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(WAL_RETRY_S)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        """Create what is missing and record the schema version: a schema-1 file gains the event tables, a
        schema-2 file the resolution tables (empty until the next `sitrep.resolve.resolve`)."""
        version = self._schema_version()
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer sitrep (schema {version}); upgrade sitrep.")
        # The script carries its own BEGIN/COMMIT: executescript would otherwise commit statement by statement.
        # SCHEMA_VERSION is our own constant, not data, so it may be written into the script.
        self.conn.executescript(
            f"BEGIN IMMEDIATE;{SCHEMA}"
            f"INSERT INTO meta (key, value) VALUES ('schema_version', '{int(SCHEMA_VERSION)}') "
            f"ON CONFLICT (key) DO UPDATE SET value = excluded.value "
            f"WHERE CAST(meta.value AS INTEGER) < {int(SCHEMA_VERSION)};"
            f"COMMIT;")
        if version is not None and version < SCHEMA_VERSION:
            log.info("%s: upgraded the schema from version %s to %s", self.path, version, SCHEMA_VERSION)

    def _schema_version(self) -> int | None:
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return None
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)

    def has_document(self, document_id: str) -> bool:
        """Is this exact text stored already? Lets a re-ingest skip the analysis."""
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone() is not None

    def document_ids(self) -> frozenset[str]:
        """Every stored text's id: workers told these skip what a re-ingest would find unchanged."""
        return frozenset(row[0] for row in self.conn.execute("SELECT id FROM documents"))

    def add_document(self, doc: Document) -> AddResult:
        """Store one document without events or claims (see `add_analysis`)."""
        return self.add_analysis(Analysis(doc))

    def add_analysis(self, analysis: Analysis) -> AddResult:
        """Store a document with its events and claims in one transaction; a text already stored changes nothing.

        Records that break the store's rules (an id given twice, evidence that is not the document's text)
        are a bug upstream: they raise `StoreError` and nothing of the document is stored.

        >>> with Store("sitrep.db") as store:  # doctest: +SKIP
        ...     store.add_analysis(Analysis(doc, events=(event,), claims=(claim,))).status
        'new'
        """
        doc = analysis.document
        name = doc.path or doc.url or doc.id
        try:
            with self._transaction():
                _check_analysis(analysis, name)
                result = self._add_document(doc)
                if result.status == "unchanged":
                    return result
                for event in analysis.events:
                    self._add_event(event)
                for claim in analysis.claims:
                    self._add_claim(claim)
                return AddResult(result.status, doc.id, result.new_entries, result.revised_entries,
                                 len(analysis.events), len(analysis.claims))
        except self._integrity_errors as e:
            raise StoreError(f"{self.path}: could not store {name} ({e}); nothing of it was stored. A key given "
                             f"twice, or an event or claim id already stored for another document, is a bug in "
                             f"sitrep: please report it with the file.") from e
        except self._driver_errors as e:
            raise StoreError(f"{self.path}: could not store {name} ({e}); nothing of "
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

    def _add_event(self, event: Event) -> None:
        loc = event.location
        self.conn.execute(
            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
            (event.id, event.document, event.event_type, event.sub_event_type, _iso(event.date),
             event.date_precision,
             *((loc.name, loc.admin1, loc.country, loc.lat, loc.lon, loc.precision) if loc else (None,) * 6),
             _json(loc.aliases if loc else ()), _json(event.actors), _json(event.actors_raw),
             *_bounds(event.killed), *_bounds(event.injured), _json(event.sources)))
        self._add_evidence("event", event.id, event.evidence)

    def _add_claim(self, claim: Claim) -> None:
        self.conn.execute(
            f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})",
            (claim.id, claim.document, claim.claimant, claim.claimant_raw, claim.measure, claim.subject,
             *_bounds(claim.value), int(claim.is_vague), claim.modality, _iso(claim.date), claim.place,
             claim.part_of))
        self._add_evidence("claim", claim.id, claim.evidence)

    def _add_evidence(self, kind: str, record_id: str, evidence: Sequence[Evidence]) -> None:
        self.conn.executemany(
            'INSERT INTO evidence (record_kind, record_id, document_id, start, "end", text) VALUES (?, ?, ?, ?, ?, ?)',
            [(kind, record_id, e.document, e.start, e.end, e.text) for e in evidence])

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
        """Every entry of every source, placed in the current version of its document where it still is.

        In time order across documents: a view has no rowid in SQLite, so ordering by the view's rowid, as
        this query once did, never grouped them by document; it is spelt out so PostgreSQL orders alike.
        """
        rows = self.conn.execute(
            'SELECT e.id, c.id, e.label, e.time, t.start, t."end" FROM entries e '
            "JOIN current_documents c ON c.source_key = e.source_key "
            "LEFT JOIN entry_texts t ON t.entry_id = e.id AND t.document_id = c.id "
            "ORDER BY e.time IS NULL, e.time, e.label, e.ordinal, e.id")
        for entry_id, doc_id, label, time, start, end in rows:
            yield StoredEntry(entry_id, doc_id, label, datetime.fromisoformat(time) if time else None, start, end)

    def events(self, current_only: bool = True) -> Iterator[Event]:
        """Events in document ingest order, then by where their earliest evidence starts.

        By default only those of the latest version of each source: a grown live blog's new version
        supersedes the old one's events, which stay stored (`current_only=False` reads them too).
        """
        for row, evidence in self._records("events", "event", EVENT_COLUMNS, current_only):
            (event_id, doc_id, event_type, sub_event_type, day, precision, name, admin1, country, lat, lon,
             geo_precision, aliases, actors, actors_raw, *figures, sources) = row
            location = (Location(name, admin1, country, lat, lon, geo_precision, tuple(json.loads(aliases)))
                        if name is not None else None)
            yield Event(event_id, doc_id, event_type, sub_event_type, _day(day), precision, location,
                        tuple(json.loads(actors)), tuple(json.loads(actors_raw)), _range(figures[:3]),
                        _range(figures[3:]), tuple(json.loads(sources)), evidence)

    def claims(self, current_only: bool = True) -> Iterator[Claim]:
        """Claims in document ingest order, then by where their earliest evidence starts (see `events`)."""
        for row, evidence in self._records("claims", "claim", CLAIM_COLUMNS, current_only):
            (claim_id, doc_id, claimant, claimant_raw, measure, subject, low, best, high, is_vague, modality,
             day, place, part_of) = row
            yield Claim(claim_id, doc_id, claimant, claimant_raw, measure, subject, Range(low, best, high),
                        bool(is_vague), modality, _day(day), place, part_of, evidence)

    def _records(self, table: str, kind: str, columns: tuple[str, ...],
                 current_only: bool) -> Iterator[tuple[tuple, tuple[Evidence, ...]]]:
        """Rows of `events` or `claims` (our own names, never data) with their evidence, one per record."""
        width = len(columns)
        where = "WHERE d.id IN (SELECT id FROM current_documents)" if current_only else ""
        rows = self.conn.execute(
            f"WITH firsts AS (SELECT record_id, MIN(start) AS first FROM evidence WHERE record_kind = ? "
            f"GROUP BY record_id) "
            f'SELECT {", ".join(f"e.{c}" for c in columns)}, v.document_id, v.start, v."end", v.text FROM {table} e '
            f"JOIN documents d ON d.id = e.document_id "
            f"LEFT JOIN firsts f ON f.record_id = e.id "
            f"LEFT JOIN evidence v ON v.record_kind = ? AND v.record_id = e.id "
            f"{where} ORDER BY d.rowid, f.first IS NULL, f.first, e.rowid, v.rowid", (kind, kind))
        for _, group in itertools.groupby(rows, key=lambda row: row[0]):
            group = list(group)
            evidence = tuple(Evidence(*row[width:]) for row in group if row[width] is not None)
            yield group[0][:width], evidence

    def counts(self) -> dict[str, int]:
        """Row counts by table, for summaries and checks."""
        return {table: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("documents", "current_documents", "entries", "entry_texts", "marks", "events",
                              "claims", "evidence", *RESOLUTION_TABLES)}

    # -- cross-document resolution (sitrep.resolve) ---------------------------------------------

    def _current_fingerprint(self) -> str:
        """Which documents are current: the resolution of other ones is stale."""
        ids = [row[0] for row in self.conn.execute("SELECT id FROM current_documents ORDER BY id")]
        return _hash(*ids) if ids else ""

    def is_resolved(self) -> bool:
        """Does the stored resolution cover exactly the current documents?"""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'resolved_documents'").fetchone()
        return row is not None and row[0] == self._current_fingerprint()

    def replace_resolution(self, resolution: Resolution) -> None:
        """Drop the old resolution and store this one, in one transaction: readers see one or the other."""
        try:
            with self._transaction():
                for table in RESOLUTION_TABLES:
                    self.conn.execute(f"DELETE FROM {table}")
                for position, merged in enumerate(resolution.events):
                    self._add_merged_event(position, merged)
                self.conn.executemany(
                    "INSERT INTO figure_groups (id, measure, subject, place, period, low, best, high, rule, claims) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(g.id, g.measure, g.subject, g.place, _iso(g.period), *_bounds(g.figure.value), g.figure.rule,
                      _json(g.claims)) for g in resolution.figure_groups])
                self.conn.executemany("INSERT INTO conflicts (id, kind, items, reason) VALUES (?, ?, ?, ?)",
                                      [(c.id, c.kind, _json(c.items), c.reason) for c in resolution.conflicts])
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('resolved_documents', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (self._current_fingerprint(),))
        except self._driver_errors as e:
            raise StoreError(f"{self.path}: could not store the cross-document resolution ({e}); the previous one "
                             f"is kept. Check the disk has room and no other program holds the file.") from e

    def _add_merged_event(self, position: int, merged: MergedEvent) -> None:
        figures = []
        for figure in (merged.killed, merged.injured):
            figures += [*_bounds(figure.value), figure.rule] if figure else [None] * 4
        self.conn.execute(
            "INSERT INTO merged_events (id, position, representative, actors, actors_raw, sources, sources_raw, "
            "documents, killed_low, killed_best, killed_high, killed_rule, injured_low, injured_best, injured_high, "
            "injured_rule, grade, grade_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (merged.id, position, merged.representative.id, _json(merged.actors), _json(merged.actors_raw),
             _json(merged.sources), _json(merged.sources_raw), _json(merged.documents), *figures, merged.grade,
             merged.grade_reason))
        self.conn.executemany("INSERT INTO event_clusters (cluster_id, event_id, position) VALUES (?, ?, ?)",
                              [(merged.id, member, n) for n, member in enumerate(merged.members)])

    def resolution(self) -> Resolution:
        """The stored resolution (see `is_resolved` for whether it is current), in export order."""
        return Resolution(tuple(self.merged_events()), tuple(self.figure_groups()), tuple(self.conflicts()))

    def merged_events(self) -> Iterator[MergedEvent]:
        """Merged events in export order, with their members' evidence."""
        events = {event.id: event for event in self.events(current_only=False)}
        members: dict[str, list[str]] = {}
        for cluster_id, event_id in self.conn.execute(
                "SELECT cluster_id, event_id FROM event_clusters ORDER BY cluster_id, position"):
            members.setdefault(cluster_id, []).append(event_id)
        rows = self.conn.execute(
            "SELECT id, representative, actors, actors_raw, sources, sources_raw, documents, killed_low, killed_best, "
            "killed_high, killed_rule, injured_low, injured_best, injured_high, injured_rule, grade, grade_reason "
            "FROM merged_events ORDER BY position")
        for (merged_id, representative, actors, actors_raw, sources, sources_raw, documents, *figures, grade,
             reason) in rows:
            ids = tuple(members.get(merged_id, ()))
            yield MergedEvent(merged_id, ids, events[representative], tuple(json.loads(actors)),
                              tuple(json.loads(actors_raw)), tuple(json.loads(sources)),
                              tuple(json.loads(sources_raw)), tuple(json.loads(documents)),
                              tuple(e for i in ids for e in events[i].evidence), _figure(figures[:4]),
                              _figure(figures[4:]), grade, reason)

    def figure_groups(self) -> Iterator[FigureGroup]:
        rows = self.conn.execute("SELECT id, measure, subject, place, period, low, best, high, rule, claims "
                                 "FROM figure_groups ORDER BY id")
        for group_id, measure, subject, place, period, low, best, high, rule, claims in rows:
            yield FigureGroup(group_id, measure, subject, place, _day(period), tuple(json.loads(claims)),
                              Figure(Range(low, best, high), rule))

    def conflicts(self) -> Iterator[Conflict]:
        """Conflicts in export order: by kind (figures, ceasefire, denial), then id."""
        rows = self.conn.execute(
            "SELECT id, kind, items, reason FROM conflicts ORDER BY CASE kind WHEN 'figures' THEN 0 "
            "WHEN 'ceasefire' THEN 1 ELSE 2 END, id")
        for conflict_id, kind, items, reason in rows:
            yield Conflict(conflict_id, kind, tuple(json.loads(items)), reason)


def _check_analysis(analysis: Analysis, name: str) -> None:
    """Refuse records that name another document, give an id twice, or cite text that is not there."""
    doc = analysis.document
    for kind, records in (("event", analysis.events), ("claim", analysis.claims)):
        repeated = sorted(i for i, n in Counter(r.id for r in records).items() if n > 1)
        if repeated:
            raise StoreError(f"{name}: two {kind}s share the id {repeated[0]}; ids must be unique. This is a bug "
                             f"in extraction; nothing of the document was stored.")
        for record in records:
            if record.document != doc.id:
                raise StoreError(f"{name}: {kind} {record.id} names document {record.document}, not {doc.id}. "
                                 f"This is a bug in extraction; nothing of the document was stored.")
            for e in record.evidence:
                if e.document != doc.id or doc.text[e.start:e.end] != e.text:
                    raise StoreError(f"{name}: the evidence {e.start}:{e.end} of {kind} {record.id} is not the "
                                     f"document's text there. Offsets must index the text as ingested; this is a "
                                     f"bug in extraction; nothing of the document was stored.")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _json(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _bounds(figure: Range | None) -> tuple[int | None, int | None, int | None]:
    return (figure.low, figure.best, figure.high) if figure else (None, None, None)


def _figure(columns: Sequence) -> Figure | None:
    """(low, best, high, rule) columns back into a reconciled figure; a NULL rule means none was given."""
    *bounds, rule = columns
    return Figure(Range(*bounds), rule) if rule is not None else None


def _range(bounds: Sequence[int | None]) -> Range | None:
    """All three bounds NULL read back as no figure: a Range with no bound says nothing."""
    return Range(*bounds) if any(b is not None for b in bounds) else None


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
