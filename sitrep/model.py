"""Plain, frozen data classes passed between pipeline stages.

Every value that comes from an article carries character offsets into `Document.text`
exactly as ingested, so a reader can always see the words it came from. Field names follow
the export contract (../shared/eval/CONTRACT.md) so `report` can serialise with `asdict`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of a document's text that supports a record."""

    document: str
    start: int  # offset into Document.text as stored, never into a cleaned copy
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"evidence span {self.start}:{self.end} is empty or negative")
        if len(self.text) != self.end - self.start:
            raise ValueError("evidence text does not have the length of its span")


@dataclass(frozen=True, slots=True)
class Range:
    """A figure as low / best / high; `None` where the text gives no bound."""

    low: int | None = None
    best: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        bounds = [v for v in (self.low, self.best, self.high) if v is not None]
        if bounds != sorted(bounds):
            raise ValueError(f"range bounds out of order: {self.low}, {self.best}, {self.high}")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the text flagged for later stages to skip (boilerplate), not cut out."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One update of a live blog: from its label to the next label."""

    label: str  # the marker as written, without trailing punctuation: "UPDATE 1850 GMT"
    time: datetime | None  # UTC; None for "ORIGINAL ENTRY" and undatable markers
    start: int
    end: int
    ordinal: int  # position among entries with the same label, counted oldest first

    @property
    def has_time(self) -> bool:
        return self.time is not None


@dataclass(frozen=True, slots=True)
class Document:
    """An article or live blog as ingested: the text is never altered after this point."""

    id: str  # content hash of `text`
    source_key: str  # url, else path: the same blog ingested again after it grew shares it
    text: str
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    timezone: str | None = None
    title: str | None = None
    encoding: str | None = None
    media_type: str = "text/plain"
    entries: tuple[Entry, ...] = ()
    marks: tuple[Mark, ...] = ()

    @property
    def is_live_blog(self) -> bool:
        return any(e.has_time for e in self.entries)


@dataclass(frozen=True, slots=True)
class Location:
    name: str  # as written in the text: "Fardos", "eastern Aleppo city"
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # neighbourhood, town, district, province, country
    aliases: tuple[str, ...] = ()  # the gazetteer's preferred name and variants, for matching across reports


@dataclass(frozen=True, slots=True)
class Event:
    """One occurrence at one place on one day, as ACLED codes it, from one document."""

    id: str
    document: str
    event_type: str
    sub_event_type: str
    date: date | None
    date_precision: str | None  # day, week, month
    location: Location | None
    actors: tuple[str, ...] = ()  # normalised names
    actors_raw: tuple[str, ...] = ()  # as written: "pro-Assad forces"
    killed: Range | None = None
    injured: Range | None = None
    sources: tuple[str, ...] = ()  # who reports it; empty when the outlet says it in its own voice
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure the text attributes to someone (the outlet itself when no one else is named)."""

    id: str
    document: str
    claimant: str  # normalised: "Russian Ministry of Defence"
    claimant_raw: str  # as written: "the Russian military"
    measure: str  # killed, injured, missing, detained, evacuated, fled, displaced, remaining, ...
    subject: str | None  # the counted noun phrase: "civilians", "pro-Assad troops"
    value: Range
    is_vague: bool  # "hundreds", "dozens": bounds only
    modality: str  # asserted, reported, claimed, alleged, unconfirmed, confirmed, denied
    date: date | None = None
    place: str | None = None
    part_of: str | None = None  # id of the total this figure breaks down ("including 23 children")
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything extracted from one document: the unit the store writes in one transaction."""

    document: Document
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
