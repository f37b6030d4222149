"""Ingest on a Dask cluster (two worker processes on loopback) and from WARC web archives."""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import LocalCluster
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.cli import cli
from sitrep.store import Store
from tests.test_parallel import exported_lines, ingest_seeds, single_process_export

PAGE = """<html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>Contact the newsroom</footer></body></html>"""
# Two pages in our own words, with the URL and capture time a crawler would record for each.
PAGES = [
    ("https://news.example.org/2023/10/21/river-crossing",
     "2023-10-21T09:30:00Z", "Aid convoy crosses the river",
     ["A convoy of twelve aid trucks crossed the river bridge into the eastern district on Saturday morning, "
      "the local relief committee said.",
      "The committee said the trucks carried flour, medicine and drinking water for about 3,000 families who "
      "had been cut off for a week.",
      "Drivers described the road as damaged but passable, and said checkpoints let them through after an hour."]),
    ("https://news.example.org/2023/10/22/market-shelling",
     "2023-10-22T18:05:00Z", "Shelling hits market in the old town",
     ["Shelling struck the covered market in the old town on Sunday afternoon, killing four people and "
      "wounding at least ten, according to the town's health office.",
      "Witnesses said several shells landed within minutes as traders were closing their stalls.",
      "No group has said it fired the shells, and the figures could not be independently verified."]),
]


def write_warc(path: Path) -> None:
    """A gzipped WARC as a crawler writes it: a request and a response per page, plus records to skip."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, captured, title, paragraphs in PAGES:
            html = PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs))
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [],
                                                                              is_http_request=True),
                                                warc_headers_dict={"WARC-Date": captured})
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": captured}))
        skipped = [("https://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
                   ("https://news.example.org/missing", "404 Not Found", "text/html", b"<p>Page not found</p>")]
        for url, status, content_type, body in skipped:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two worker processes on loopback, no dashboard: the smallest real cluster."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_dask_export_equals_the_single_process_export(scheduler, tmp_path):
    db = tmp_path / "cluster.db"
    said = ingest_seeds(db, "--engine", "dask", "--scheduler", scheduler)
    assert "5 new, 0 updated, 0 unchanged documents; 17 new live-blog entries" in said
    assert sorted(exported_lines(db)) == sorted(single_process_export())
    assert exported_lines(db) == list(single_process_export())  # stored in input order


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_dask_warc_pages_become_documents_with_their_urls(request, tmp_path, engine):
    write_warc(tmp_path / "crawl.warc.gz")
    options = ["--engine", "dask", "--scheduler", request.getfixturevalue("scheduler")] if engine == "dask" else []
    db = tmp_path / "warc.db"
    pattern = str(tmp_path / "*.warc.gz")  # quoted, as for a cluster: sitrep expands it
    result = CliRunner().invoke(cli, ["ingest", pattern, "--outlet", "Example News", "--db", str(db), *options])
    assert result.exit_code == 0, result.output
    assert "2 new, 0 updated, 0 unchanged documents" in result.stderr
    records = [json.loads(line) for line in exported_lines(db)]
    documents = [r for r in records if r["kind"] == "document"]
    assert [(d["url"], d["published"], d["outlet"]) for d in documents] == [
        ("https://news.example.org/2023/10/21/river-crossing", "2023-10-21", "Example News"),
        ("https://news.example.org/2023/10/22/market-shelling", "2023-10-22", "Example News")]
    assert all(d["path"] == pattern.replace("*", "crawl") for d in documents)
    with Store(db) as store:
        texts = [d.text for d in store.documents()]
    for text, (_, _, title, paragraphs) in zip(texts, PAGES):
        assert all(p in text for p in paragraphs)  # the article, exactly as written
        assert "Contact the newsroom" not in text and "Page not found" not in text


@pytest.mark.parametrize("args, message", [
    (["--engine", "dask"], "Error: --engine dask needs --scheduler ADDRESS"),
])
def test_dask_usage_errors(tmp_path, args, message):
    (tmp_path / "a.txt").write_text("Troops entered the town on Sunday.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.db"), *args])
    assert result.exit_code == 1 and result.stderr.startswith(message)
    assert not (tmp_path / "x.db").exists()
