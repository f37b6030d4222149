"""Browse the store in Datasette: facets, full-text search over documents, canned queries.

Datasette is an optional extra (`pip install 'sitrep[browse]'`). It serves on loopback only
(127.0.0.1): the store holds whole articles, and a report is shared as a file, not a server.
Titles, descriptions, units, facets and the canned queries ("contested figures", "events by day")
are data, in `sitrep/data/datasette.json`.

Full-text search needs an FTS5 index inside the database Datasette serves, so `prepare_browse`
adds one to the store: `documents_fts` (title, text) over `documents` as its external content,
created if missing and rebuilt on every call (idempotent). No triggers are added to the store's
write path; documents ingested while a browse runs are searchable from the next `sitrep browse`.
"""
from __future__ import annotations

import json
import socket
import sqlite3
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..errors import SitrepError
from ..store import Store

HOST = "127.0.0.1"  # loopback only, on purpose: see the module docstring
DEFAULT_PORT = 8001  # Datasette's own default
INSTALL_HINT = "pip install 'sitrep[browse]'"
FTS_TABLE = "documents_fts"
# sqlite-utils' layout (enable_fts): an external-content FTS5 table keyed on the content table's rowid.
# `content=[documents]` is the quoting Datasette's detect_fts recognises.
FTS_SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, text, content=[documents], content_rowid=rowid);
INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild');
"""


@dataclass(frozen=True, slots=True)
class BrowseSetup:
    """What `prepare_browse` did, for the message before the server starts."""

    db: Path
    name: str  # the database's name in Datasette's URLs: /<name>/<table>
    indexed: int  # documents in the full-text index
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.name}"

    def describe(self) -> str:
        return (f"Full-text index {FTS_TABLE} holds {self.indexed} documents. Browsing {self.db} at {self.url} "
                f"(this machine only); canned queries: {self.url}/contested_figures, {self.url}/events_by_day. "
                f"Press Ctrl-C to stop.")


def require_datasette() -> None:
    """Raise a clear error, with the install command, when the optional extra is missing."""
    try:
        import datasette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise SitrepError(f"sitrep browse needs Datasette, which is not installed ({e.name} is missing). "
                          f"Install it with: {INSTALL_HINT}") from e


def ensure_search_index(db: str | Path) -> int:
    """Create (if missing) and rebuild the documents' full-text index in `db`; returns how many it holds."""
    with Store(db) as store:  # checks it is a sitrep store and brings its schema up to date first
        try:
            store.conn.executescript(f"BEGIN IMMEDIATE;{FTS_SCHEMA}COMMIT;")
        except sqlite3.Error as e:
            if store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
            raise SitrepError(f"{db}: could not build the full-text index {FTS_TABLE} ({e}). Check that the file "
                              f"is writable and that this Python's SQLite has FTS5.") from e
        (n,) = store.conn.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}").fetchone()
    return n


def database_name(db: str | Path) -> str:
    """Datasette names a database after its file's stem: sitrep.db is served at /sitrep."""
    return Path(db).stem


def load_metadata(db: str | Path) -> dict[str, Any]:
    """Datasette metadata for `db`: our data file's tables and canned queries under the database's name."""
    per_database = json.loads(files("sitrep.data").joinpath("datasette.json").read_text(encoding="utf-8"))
    return {"title": "sitrep", "description": per_database.pop("description"),
            "databases": {database_name(db): per_database}}


def prepare_browse(db: str | Path, port: int = DEFAULT_PORT) -> BrowseSetup:
    """Everything before serving: the extra is installed, the index is built, the metadata reads."""
    require_datasette()
    check_port(port)
    indexed = ensure_search_index(db)
    return BrowseSetup(Path(db), database_name(db), indexed, port)


def check_port(port: int) -> None:
    """Fail before the server starts, with what to do, when the port is taken (uvicorn would just exit)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((HOST, port))
        except OSError as e:
            raise SitrepError(f"cannot serve on {HOST}:{port} ({e.strerror or e}). Is another sitrep browse or "
                              f"Datasette running? Choose another --port.") from e


def make_app(db: str | Path) -> Any:
    """The Datasette ASGI app over `db` with sitrep's metadata (for tests and for `serve`)."""
    require_datasette()
    from datasette.app import Datasette

    ds = Datasette([str(db)], metadata=load_metadata(db), settings={"default_page_size": 50})
    return ds.app()


def serve(db: str | Path, port: int = DEFAULT_PORT) -> None:
    """Serve `db` on 127.0.0.1:`port` until interrupted (blocks). Call `prepare_browse` first."""
    require_datasette()
    import uvicorn

    uvicorn.run(make_app(db), host=HOST, port=port, log_level="warning", lifespan="on", workers=1)
