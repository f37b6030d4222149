"""Gazetteer lookups: place names in reports -> places with a sourced coordinate, or none.

    >>> from sitrep.geo import Gazetteer
    >>> gaz = Gazetteer.load()  # our tables + GeoNames cities and countries, once per process
    >>> place = gaz.lookup("Fardos", focus="Aleppo")
    >>> place.name, place.precision, place.parent
    ('al-Firdous', 'neighbourhood', 'Aleppo')

Modules: `folding` (transliteration keys), `phrases` ("eastern Aleppo", "Aleppo's Old City"),
`sources` (reading the data), `gazetteer` (indexes and ranking), `place` (the record).
"""
from sitrep.geo.folding import fold, skeleton
from sitrep.geo.gazetteer import FUZZY_THRESHOLD, FUZZY_THRESHOLD_WORLDWIDE, Gazetteer
from sitrep.geo.place import PRECISIONS, Place

__all__ = ["FUZZY_THRESHOLD", "FUZZY_THRESHOLD_WORLDWIDE", "PRECISIONS", "Gazetteer", "Place",
           "fold", "skeleton"]
