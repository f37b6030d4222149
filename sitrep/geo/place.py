"""The gazetteer's record of one place, and its conversion to the pipeline's `Location`."""
from __future__ import annotations

from dataclasses import dataclass

from sitrep.model import Location

# Coarsest last; `Location.precision` takes the same words.
PRECISIONS = ("neighbourhood", "town", "district", "province", "country")


@dataclass(frozen=True, slots=True)
class Place:
    """A named place as one source gives it; lat/lon stay None unless that source states them.

    >>> Place("Taiz", kind="city", precision="town", country="Yemen", lat=13.57, lon=44.02).location().name
    'Taiz'
    """

    name: str  # preferred English form
    kind: str  # as the source says: neighbourhood, village, town, city, camp, province, country …
    precision: str  # one of PRECISIONS
    parent: str | None = None  # city a neighbourhood is part of
    admin1: str | None = None  # province in plain English: "Aleppo", "Rif Dimashq"
    country: str | None = None  # full English name: "Syria"
    lat: float | None = None
    lon: float | None = None
    source: str = ""  # attribution: where the name and coordinate were read, and its licence
    aliases: tuple[str, ...] = ()
    population: int | None = None  # GeoNames population, for ranking namesakes

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"{self.name}: precision {self.precision!r} is not one of {PRECISIONS}")
        if (self.lat is None) != (self.lon is None):
            raise ValueError(f"{self.name}: a coordinate needs both lat and lon, or neither")
        if self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"{self.name}: coordinate {self.lat}, {self.lon} is out of range")

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None

    def location(self) -> Location:
        """The stage-boundary form an `Event` carries."""
        return Location(name=self.name, admin1=self.admin1, country=self.country,
                        lat=self.lat, lon=self.lon, precision=self.precision)
