"""The orchestrator: sources → ingest → store, one document at a time.

Stages, in order (each a module; data flows one way):
    ingest   read a source into a Document: text, entries, boilerplate marks
    nlp      split sentences, pick those worth parsing, parse them with spaCy
    extract  events and claims with places (geo), dates, actors and speakers
    store    write the document and what was found in one transaction
    report   export what the store holds

`analyse_document` is the per-document work, a function of one document and the models passed
in, so it can run in a process pool or on a cluster.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from .errors import InputError, SitrepError
from .extract import extract
from .geo import Gazetteer
from .ingest import DEFAULT_MAX_BYTES, Source, read_document, read_manifest, sources_from_paths
from .model import Analysis, Document
from .nlp import load_pipeline, parse_document
from .resolve import resolve
from .store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")
Progress = Callable[[Iterable[T], int], Iterable[T]]


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


def ingest(db: str | Path, *, manifest: str | Path | None = None, paths: Iterable[str] = (),
           outlet: str | None = None, url: str | None = None, published: date | None = None,
           timezone: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: Progress[Source | InputError] | None = None) -> IngestSummary:
    """Read the sources a manifest or a list of paths names and store them in `db`.

    A bad source is recorded in the summary and the run goes on; a malformed manifest raises.

    >>> summary = ingest("sitrep.db", manifest="examples/manifest.tsv")  # doctest: +SKIP
    >>> summary.ok
    True
    """
    sources = list(_sources(manifest, list(paths), outlet=outlet, url=url, published=published,
                            timezone=timezone))
    summary = IngestSummary()
    nlp, gazetteer = load_pipeline(), Gazetteer.load()
    with Store(db) as store:
        for item in (progress(sources, len(sources)) if progress else sources):
            if isinstance(item, InputError):
                summary.failures.append(str(item))
                continue
            try:
                document = read_document(item, max_bytes=max_bytes)
            except InputError as e:
                summary.failures.append(str(e))
                continue
            if store.has_document(document.id):
                summary.unchanged += 1
                continue
            result = store.add_analysis(analyse_document(document, nlp, gazetteer))
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            summary.entries_added += result.new_entries
            summary.entries_revised += result.revised_entries
            summary.events += result.events
            summary.claims += result.claims
            log.info("%s: %s (%s)", item.name, result.status, result.document_id)
        resolve(store, gazetteer)  # merge, reconcile and grade across every current document, in any order
    return summary


def _sources(manifest: str | Path | None, paths: list[str], **metadata: object) -> Iterator[Source | InputError]:
    if manifest is None and not paths:
        raise SitrepError("nothing to ingest: give --manifest M.tsv or one or more paths ('-' for stdin).")
    if manifest is not None:
        yield from read_manifest(manifest)
    if paths:
        yield from sources_from_paths(paths, **{k: v for k, v in metadata.items() if v is not None})
