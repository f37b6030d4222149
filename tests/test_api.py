"""The public surface: what `import sitrep` offers, and one family of exceptions."""
from __future__ import annotations

import inspect

import sitrep
from sitrep import errors


def test_api_all_names_exist():
    assert sorted(sitrep.__all__) == sorted(set(sitrep.__all__))
    for name in sitrep.__all__:
        assert getattr(sitrep, name) is not None, name
    assert {"ingest", "export", "Document", "Entry", "Event", "Claim", "SitrepError"} <= set(sitrep.__all__)


def test_api_every_exception_derives_from_sitrep_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, Exception)]
    assert len(classes) >= 9
    for cls in classes:
        assert issubclass(cls, sitrep.SitrepError) and cls.__name__.endswith("Error"), cls
