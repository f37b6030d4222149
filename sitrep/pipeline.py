"""The orchestrator: sources → ingest → store, one document at a time.

Stages, in order (each a module; data flows one way):
    ingest   read a source into a Document: text, entries, boilerplate marks
    nlp      split sentences, pick those worth parsing, parse them with spaCy
    extract  events and claims with places (geo), dates, actors and speakers
    store    write the document and what was found in one transaction
    report   export what the store holds

`analyse_document` is the per-document work, a function of one document and the models passed
in, so it runs in a process pool (`jobs`) or on a Dask cluster (`engine="dask"`) as well as here
(`sitrep.parallel`); this process is always the one writer, storing outcomes in input order.
"""
from __future__ import annotations

import glob
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from .errors import InputError, MissingInputError, SitrepError
from .extract import extract
from .geo import Gazetteer
from .ingest import DEFAULT_MAX_BYTES, Source, read_document, read_manifest, sources_from_paths
from .ingest.files import read_limited
from .model import Analysis, Document
from .nlp import load_pipeline, parse_document
from .parallel import map_in_pool, map_on_cluster
from .resolve import resolve
from .store import Store
from .warc import is_warc, sources_from_warc

log = logging.getLogger(__name__)
T = TypeVar("T")
Progress = Callable[[Iterable[T], int], Iterable[T]]

ENGINES = ("local", "dask")
# Documents per task sent to a worker: enough that pickling and the pipe are a small share of the
# work on short articles (8 three-hundred-word articles take about a second), few enough that a
# window of 2 batches per worker stays a few megabytes.
BATCH_SIZE = 8
GLOB_MAGIC = re.compile(r"[*?[]")


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did, for the end-of-run message and the exit code."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    entries_added: int = 0
    entries_revised: int = 0
    events: int = 0
    claims: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def describe(self) -> str:
        lines = [f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged documents; "
                 f"{self.entries_added} new live-blog entries"
                 + (f", {self.entries_revised} revised" if self.entries_revised else "")
                 + f"; {self.events} events and {self.claims} claims found."]
        if self.failures:
            lines.append(f"{len(self.failures)} could not be ingested (nothing of them was stored):")
            lines.extend(f"  {message}" for message in self.failures)
        return "\n".join(lines)


def analyse_document(document: Document, nlp: Language, gazetteer: Gazetteer) -> Analysis:
    """The per-document work: everything that needs only this one document and the models."""
    events, claims = extract(parse_document(document, nlp), gazetteer)
    return Analysis(document, events, claims)


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A source whose exact text is stored already: nothing to analyse or store."""

    document_id: str


Outcome = Analysis | InputError | Unchanged


def analyse_source(source: Source | InputError, nlp: Language, gazetteer: Gazetteer, *,
                   is_stored: Callable[[str], bool], max_bytes: int = DEFAULT_MAX_BYTES) -> Outcome:
    """Read one source and analyse it, unless it could not be listed or read (its error comes back as the
    outcome, for the summary) or its text is stored already (`is_stored(document_id)`)."""
    if isinstance(source, InputError):
        return source
    try:
        document = read_document(source, max_bytes=max_bytes)
    except InputError as e:
        return e
    if is_stored(document.id):
        return Unchanged(document.id)
    return analyse_document(document, nlp, gazetteer)


def ingest(db: str | Path, *, manifest: str | Path | None = None, paths: Iterable[str] = (),
           outlet: str | None = None, url: str | None = None, published: date | None = None,
           timezone: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, jobs: int = 1,
           engine: str = "local", scheduler: str | None = None,
           progress: Progress[tuple[Source | InputError, Outcome]] | None = None) -> IngestSummary:
    """Read the sources a manifest or a list of paths names and store them in `db`.

    `paths` are files, folders, globs (`crawl/*.warc.gz`, for when no shell expands them), WARC archives
    or '-' for standard input. `db` is a SQLite file or a postgresql:// URL. The per-document work runs
    here (`jobs=1`), in `jobs` worker processes, or with `engine="dask"` on the Dask cluster whose
    scheduler is at `scheduler`; either way this process alone stores the results, in input order, and
    then resolves across documents, so every engine gives the same store.

    A bad source is recorded in the summary and the run goes on; a malformed manifest raises.

    >>> summary = ingest("sitrep.db", manifest="examples/manifest.tsv", jobs=2)  # doctest: +SKIP
    >>> summary.ok
    True
    """
    if engine not in ENGINES:
        raise SitrepError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}.")
    if engine == "dask" and not scheduler:
        raise SitrepError("--engine dask needs --scheduler ADDRESS, the Dask scheduler's address "
                          "(tcp://host:8786).")
    if jobs < 1:
        raise SitrepError(f"--jobs must be 1 or more, not {jobs}.")
    paths = list(paths)

    def listing() -> Iterator[Source | InputError]:
        return _sources(manifest, paths, max_bytes=max_bytes, outlet=outlet, url=url, published=published,
                        timezone=timezone)

    # Listed twice, counted then read, so no source is held: a JSON Lines feed or a WARC archive streams.
    total = sum(1 for _ in listing())
    summary = IngestSummary()
    gazetteer = Gazetteer.load()
    with Store(db) as store:
        if engine == "dask":
            outcomes = _analyse_on_cluster(listing(), scheduler, store.document_ids(), max_bytes)
        elif jobs > 1:
            outcomes = _analyse_in_pool(listing(), jobs, store.document_ids(), max_bytes)
        else:
            outcomes = _analyse_here(listing(), store, gazetteer, max_bytes)
        for source, outcome in (progress(outcomes, total) if progress else outcomes):
            _store_outcome(store, source, outcome, summary)
        resolve(store, gazetteer)  # merge, reconcile and grade across every current document, in any order
    return summary


def _store_outcome(store: Store, source: Source | InputError, outcome: Outcome, summary: IngestSummary) -> None:
    """The writer's part: store one outcome and count it."""
    if isinstance(outcome, InputError):
        summary.failures.append(str(outcome))
        return
    if isinstance(outcome, Unchanged):
        summary.unchanged += 1
        return
    result = store.add_analysis(outcome)
    setattr(summary, result.status, getattr(summary, result.status) + 1)
    summary.entries_added += result.new_entries
    summary.entries_revised += result.revised_entries
    summary.events += result.events
    summary.claims += result.claims
    log.info("%s: %s (%s)", getattr(source, "name", outcome.document.id), result.status, result.document_id)


def _analyse_here(sources: Iterable[Source | InputError], store: Store, gazetteer: Gazetteer,
                  max_bytes: int) -> Iterator[tuple[Source | InputError, Outcome]]:
    """One process: each source is read, checked against the store and analysed as the writer reaches it."""
    nlp = load_pipeline()
    for source in sources:
        yield source, analyse_source(source, nlp, gazetteer, is_stored=store.has_document, max_bytes=max_bytes)


def _analyse_in_pool(sources: Iterable[Source | InputError], jobs: int, known: frozenset[str],
                     max_bytes: int) -> Iterator[tuple[Source | InputError, Outcome]]:
    """`jobs` worker processes, each loading the models once; batches keep the pipes busy. The workers read
    files themselves; standard input only this process can read, so it goes with the batch."""
    work = partial(_analyse_batch, max_bytes=max_bytes)
    stdin_read = (_with_data(source, max_bytes) if _is_stdin(source) else source for source in sources)
    for batch, outcomes in map_in_pool(work, _batches(stdin_read), jobs=jobs, initializer=_start_worker,
                                       initargs=(known,)):
        yield from zip(batch, outcomes)


def _analyse_on_cluster(sources: Iterable[Source | InputError], scheduler: str, known: frozenset[str],
                        max_bytes: int) -> Iterator[tuple[Source | InputError, Outcome]]:
    """A Dask cluster: this process reads each file's bytes and sends them with the batch, so the
    workers need no shared filesystem, only sitrep and its models installed."""
    work = partial(_analyse_batch, max_bytes=max_bytes)
    shipped = (_with_data(source, max_bytes) for source in sources)
    for batch, outcomes in map_on_cluster(work, _batches(shipped), scheduler=scheduler, shared=known):
        yield from zip(batch, outcomes)


def _batches(sources: Iterable[T]) -> Iterator[list[T]]:
    sources = iter(sources)
    while batch := list(islice(sources, BATCH_SIZE)):
        yield batch


def _is_stdin(source: Source | InputError) -> bool:
    return isinstance(source, Source) and source.file is None and source.data is None


def _with_data(source: Source | InputError, max_bytes: int) -> Source | InputError:
    """The source with its bytes in hand (decompressed, at most `max_bytes`), or why they could not be read."""
    if isinstance(source, InputError) or source.data is not None:
        return source
    try:
        data = read_limited(source.file, source.name, max_bytes)
    except InputError as e:
        return e
    return replace(source, data=bytes(data), file=None)


# -- in a worker process (pool or Dask): the models, loaded once per process -------------------------------

_known_in_worker: frozenset[str] = frozenset()
_models_lock = threading.Lock()  # a Dask worker may run tasks on several threads; spaCy is not made for that


def _start_worker(known: frozenset[str]) -> None:
    """A pool worker's initializer: remember what is stored, load the models before the first batch."""
    global _known_in_worker
    _known_in_worker = known
    _worker_models()


@lru_cache(maxsize=1)
def _worker_models() -> tuple[Language, Gazetteer]:
    return load_pipeline(), Gazetteer.load()


def _analyse_batch(batch: list[Source | InputError], known: frozenset[str] | None = None, *,
                   max_bytes: int) -> list[Outcome]:
    stored = (_known_in_worker if known is None else known).__contains__
    with _models_lock:
        nlp, gazetteer = _worker_models()
        return [analyse_source(source, nlp, gazetteer, is_stored=stored, max_bytes=max_bytes) for source in batch]


def _sources(manifest: str | Path | None, paths: list[str], *, max_bytes: int,
             **metadata: object) -> Iterator[Source | InputError]:
    if manifest is None and not paths:
        raise SitrepError("nothing to ingest: give --manifest M.tsv or one or more paths ('-' for stdin).")
    if manifest is not None:
        yield from read_manifest(manifest, max_bytes=max_bytes)
    given = {k: v for k, v in metadata.items() if v is not None}
    for path in _expand_globs(paths):
        if isinstance(path, InputError):
            yield path
        elif is_warc(path) and _is_file(path):
            yield from sources_from_warc(path, max_bytes=max_bytes, **given)
        else:
            yield from sources_from_paths([path], max_bytes=max_bytes, **given)


def _expand_globs(paths: list[str]) -> Iterator[str | InputError]:
    """A pattern that names no file as it stands is matched (sorted, ** recursive): a cluster's inputs are
    often given quoted, to be expanded here rather than by a shell with a length limit."""
    for path in paths:
        if path == "-" or not GLOB_MAGIC.search(path) or _exists(path):
            yield path
            continue
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            yield MissingInputError(f"{path}: no file matches this pattern. Check it; nothing from it was stored.")
        yield from matches


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a NUL or a name too long: reading it will say what is wrong
        return False


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False
