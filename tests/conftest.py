"""Shared fixtures: paths to the seeds and the scorer beside the checkout, and a fresh database."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seeds_manifest() -> Path:
    path = SHARED / "corpus" / "seeds" / "manifest.tsv"
    assert path.exists(), f"the seeds are expected beside the checkout at {path}"
    return path


@pytest.fixture(scope="session")
def scorer():
    """The contract's own score.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture(scope="session")
def nlp():
    """The trained pipeline with our entity ruler: loading it takes seconds, so once per test run."""
    from sitrep.nlp import load_pipeline
    return load_pipeline()


@pytest.fixture(scope="session")
def gazetteer():
    """The default gazetteer, built once per test run."""
    from sitrep.geo import Gazetteer
    return Gazetteer.load()
