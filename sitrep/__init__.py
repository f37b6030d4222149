"""sitrep: conflict news reports in, a verified, source-attributed record out.

>>> import sitrep  # doctest: +SKIP
>>> summary = sitrep.ingest("sitrep.db", manifest="examples/manifest.tsv")
>>> with open("record.jsonl", "w") as out:
...     sitrep.export("sitrep.db", out)
"""
import logging

from .errors import (BinaryInputError, EmptyInputError, EncodingError, InputError, ManifestError,
                     MissingInputError, NoArticleTextError, SitrepError, StoreError, TooLargeError)
from .model import Analysis, Claim, Document, Entry, Event, Evidence, Location, Mark, Range
from .pipeline import IngestSummary, analyse_document, ingest
from .report import export
from .store import Store

__all__ = [
    "Analysis", "BinaryInputError", "Claim", "Document", "EmptyInputError", "EncodingError", "Entry", "Event", "Evidence",
    "IngestSummary", "InputError", "Location", "ManifestError", "Mark", "MissingInputError", "NoArticleTextError",
    "Range", "SitrepError", "Store", "StoreError", "TooLargeError", "analyse_document", "export", "ingest",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
