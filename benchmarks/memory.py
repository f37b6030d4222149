"""Peak memory of a large ingest: many small documents through one process must not grow without bound.

    .venv/bin/python benchmarks/memory.py [--documents 20000] [--jobs 1] [--jsonl] [--keep DIR]

Writes --documents short reports (a few sentences each, varied: places, figures, speakers, days and
made-up names, so the vocabulary grows as real news does), published over --days days as a backfill
of a few years is, as files with a manifest, or as one JSON Lines feed with --jsonl; then ingests them
into a new SQLite file in a fresh process and prints its peak RSS (ru_maxrss) when the last document
is stored and after the cross-document resolution, and the rate. Issue #7 asks for under 1 GiB at
20,000 documents.

Squeezing the reports into a few days (--days 1) shows the resolution's cost where thousands of
reports share a day and a place: every pair of them is a candidate (sitrep.resolve.coref).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

SEED = 7  # fixed, so two runs ingest the same corpus
FIRST_DAY = date(2019, 1, 1)
PLACES = ("Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Daraa", "Latakia", "Mosul", "Kirkuk",
          "Taiz", "Hodeidah", "Marib", "Sanaa", "Kharkiv", "Donetsk", "Bakhmut", "Kherson", "Gaza", "Khan Younis")
ACTORS = ("government forces", "rebel fighters", "an armed group", "militia fighters", "security forces",
          "unidentified gunmen", "the army", "opposition forces")
ACTIONS = ("shelled", "attacked", "struck", "raided", "fired rockets at", "bombed")
SPEAKERS = ("a local official", "the health ministry", "residents", "a monitoring group", "the civil defence",
            "a spokesperson for the army", "medical sources", "the governor")
DAYS = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "overnight", "yesterday", "this morning")
SYLLABLES = ("ka", "ri", "mo", "sa", "tu", "bel", "dan", "har", "zi", "lo", "nur", "fa", "qa", "the", "vo")
SITREP = """
import json, resource, sys, time
from sitrep import ingest
stored = {}

def watch(outcomes, total):  # the progress hook: note the peak once the last document is stored
    yield from outcomes
    stored["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored["seconds"] = time.perf_counter() - start

start = time.perf_counter()
if sys.argv[1].endswith(".jsonl"):
    summary = ingest(sys.argv[2], paths=[sys.argv[1]], outlet="Memory", jobs=int(sys.argv[3]), progress=watch)
else:
    summary = ingest(sys.argv[2], manifest=sys.argv[1], jobs=int(sys.argv[3]), progress=watch)
print(json.dumps({"seconds": time.perf_counter() - start, "failures": len(summary.failures), "new": summary.new,
                  "events": summary.events, "claims": summary.claims, "stored_rss": stored["rss"],
                  "stored_seconds": stored["seconds"], "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def report(rng: random.Random, n: int) -> str:
    """A short report in a few varied sentences; `n` makes each one's text, and so its id, its own."""
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()
    place, other = rng.sample(PLACES, 2)
    killed, injured = rng.randint(1, 60), rng.randint(0, 150)
    sentences = [
        f"{rng.choice(ACTORS).capitalize()} {rng.choice(ACTIONS)} {place} {rng.choice(DAYS)}, killing {killed} "
        f"people and wounding {injured}, {rng.choice(SPEAKERS)} said.",
        f"{name}, a resident of {place}, said the attack hit a market and a school near the main road.",
        f"Fighting was also reported near {other}, where {rng.randint(2, 900)} families fled their homes.",
        "The figures could not be independently verified.",
    ]
    middle = sentences[1:3]
    rng.shuffle(middle)
    return " ".join([sentences[0], *middle, sentences[3]][: rng.randint(2, 4)]) + f" Report {n}."


def build_corpus(folder: Path, documents: int, days: int, jsonl: bool) -> tuple[Path, int]:
    """The reports as files and a manifest, or as one JSON Lines feed; returns what to ingest and the words."""
    rng, words = random.Random(SEED), 0
    texts = ((report(rng, n), (FIRST_DAY + timedelta(days=n * days // documents)).isoformat())
             for n in range(documents))
    if jsonl:
        feed = folder / "reports.jsonl"
        with feed.open("w", encoding="utf-8") as out:
            for n, (text, day) in enumerate(texts):
                words += len(text.split())
                out.write(json.dumps({"text": text, "published": day, "id": str(n)}) + "\n")
        return feed, words
    rows = ["path\turl\toutlet\tpublished"]
    for n, (text, day) in enumerate(texts):
        name = f"r{n:06d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"{name}\t\tMemory\t{day}")
        words += len(text.split())
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--days", type=int, default=1_000, help="days the reports are published over")
    parser.add_argument("--jsonl", action="store_true", help="one JSON Lines feed instead of files")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source, words = build_corpus(folder, args.documents, args.days, args.jsonl)
        print(f"corpus: {args.documents:,} documents, {words:,} words over {args.days:,} days "
              f"({'JSON Lines' if args.jsonl else 'files'})", flush=True)
        out = subprocess.run([sys.executable, "-c", SITREP, str(source), str(folder / "memory.db"), str(args.jobs)],
                             check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["failures"] or result["new"] != args.documents:
        raise SystemExit(f"expected {args.documents} new documents, got {result}")
    print(f"{result['new']:,} documents, {result['events']:,} events, {result['claims']:,} claims stored in "
          f"{result['stored_seconds']:,.0f} s ({words / result['stored_seconds']:,.0f} words/s, --jobs {args.jobs}); "
          f"resolved in {result['seconds'] - result['stored_seconds']:,.0f} s more")
    print(f"peak RSS of the ingest process: {result['stored_rss'] / 1024:,.0f} MiB when the last document was "
          f"stored, {result['rss'] / 1024:,.0f} MiB after the cross-document resolution")


if __name__ == "__main__":
    main()
