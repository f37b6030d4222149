"""The seed score must not fall below the floors recorded in score_floors.json."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sitrep import export, ingest
from tests.conftest import SHARED

FLOORS = json.loads((Path(__file__).parent / "score_floors.json").read_text(encoding="utf-8"))
EPSILON = 0.005  # rounding in score.py; floors are not a tolerance for regressions


@pytest.fixture(scope="module")
def seed_score(tmp_path_factory, seeds_manifest, scorer) -> dict:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    summary = ingest(db, manifest=seeds_manifest)
    assert summary.ok, summary.describe()
    out = io.StringIO()
    export(db, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    gold = scorer.load_jsonl(SHARED / "eval" / "gold" / "seeds.jsonl")
    conflicts = scorer.load_jsonl(SHARED / "eval" / "gold" / "seeds.conflicts.jsonl")
    return scorer.score(gold, records, conflicts)


def _figure(result: dict, dotted: str) -> float:
    value = result
    for part in dotted.split("."):
        value = value[part]
    return value


@pytest.mark.parametrize("figure", [k for k in FLOORS if not k.startswith("_")])
def test_seed_score_floor(seed_score, figure):
    assert _figure(seed_score, figure) >= FLOORS[figure] - EPSILON, (figure, _figure(seed_score, figure))


def test_seed_score_finds_every_document(seed_score):
    assert seed_score["missing_documents"] == []
