"""Mark page furniture (navigation, captions, share widgets) so later stages skip it.

Lines are marked, never cut: offsets everywhere refer to the text as ingested.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

from ..model import Mark

LINE = re.compile(r"^[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """Patterns from data/boilerplate.tsv: one per kind of furniture, matched against a whole line."""
    with files("sitrep.data").joinpath("boilerplate.tsv").open(encoding="utf-8") as fh:
        return tuple(re.compile(row["pattern"]) for row in csv.DictReader(fh, delimiter="\t"))


def mark_boilerplate(text: str) -> tuple[Mark, ...]:
    """Spans of whole lines that are furniture, not reporting."""
    patterns = boilerplate_patterns()
    marks = []
    for line in LINE.finditer(text):
        content = line.group(1)
        if len(content) <= 400 and any(p.search(content) for p in patterns):
            marks.append(Mark("boilerplate", line.start(1), line.end(1)))
    return tuple(marks)
