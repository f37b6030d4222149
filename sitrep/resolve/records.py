"""What cross-document resolution produces: merged events, reconciled figures, conflicts.

Frozen, like the stage-boundary classes in `sitrep.model`, and named as the export contract
names them, so the store can keep them and `report` can write them without a renaming layer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..model import Event, Evidence, Range

GRADES = ("confirmed", "corroborated", "single source", "contested", "denied")
CONFLICT_KINDS = ("figures", "ceasefire", "denial")


class DocumentInfo(Protocol):
    """What resolution needs of a document: `model.Document` and `store.StoredDocument` both have it."""

    id: str
    outlet: str | None
    published: date | None


@dataclass(frozen=True, slots=True)
class Figure:
    """A count reconciled over every report of it, with the rule that chose each bound, in words."""

    value: Range
    rule: str


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One real-world event: every document's report of it, folded into one record.

    `representative` is the member whose type, day and place stand for the whole; the tuples
    are unions over the members, in a fixed order that does not depend on ingest order.
    """

    id: str  # the smallest member id: stable while that member stays current
    members: tuple[str, ...]  # event ids
    representative: Event
    actors: tuple[str, ...]
    actors_raw: tuple[str, ...]
    sources: tuple[str, ...]  # normalised through the lexicon's source aliases
    sources_raw: tuple[str, ...]  # as the members stored them
    documents: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    killed: Figure | None
    injured: Figure | None
    grade: str
    grade_reason: str

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            raise ValueError(f"grade {self.grade!r} is not one of {GRADES}")


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """Claims counting the same thing (measure, subject, place, period), reconciled."""

    id: str
    measure: str
    subject: str  # the subject class the claims share: "civilians", "children", "rebels"
    place: str | None  # the most specific place a member names
    period: date | None  # the day the figures refer to (the report's day when the text gives none)
    claims: tuple[str, ...]
    figure: Figure


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more exported events or claims that cannot all be true, and why, in checkable words."""

    id: str
    kind: str  # figures, ceasefire, denial
    items: tuple[str, ...]  # exported event (cluster) and claim ids
    reason: str

    def __post_init__(self) -> None:
        if self.kind not in CONFLICT_KINDS:
            raise ValueError(f"conflict kind {self.kind!r} is not one of {CONFLICT_KINDS}")
        if len(self.items) < 2:
            raise ValueError("a conflict needs at least two items")


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything `resolve_records` finds, in export order."""

    events: tuple[MergedEvent, ...] = ()
    figure_groups: tuple[FigureGroup, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    def cluster_of(self) -> dict[str, str]:
        """Event id -> the id of the merged event it is part of."""
        return {member: merged.id for merged in self.events for member in merged.members}
