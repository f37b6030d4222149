"""Reading sources into documents: encodings, HTML, JSON Lines, stdin, and bad input."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import (BinaryInputError, EmptyInputError, EncodingError, InputError, ManifestError,
                           MissingInputError, NoArticleTextError, TooLargeError)
from sitrep.ingest import read_document, read_manifest, sources_from_paths

ARABIC = "قصفت الطائرات حي الفردوس في حلب صباح اليوم وقتل خمسة مدنيين بحسب الدفاع المدني."
ENGLISH = "“Shelling hit the café district,” the monitor said — five people were wounded on Tuesday."


def one(paths: list[str], **metadata) -> object:
    (item,) = list(sources_from_paths(paths, **metadata))
    return item


@pytest.mark.parametrize("name, data, expected", [
    ("bom.txt", b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"), ENGLISH),
    ("cp1252.txt", ENGLISH.encode("cp1252"), ENGLISH),
    ("cp1256.txt", (ARABIC + "\n" + ARABIC).encode("cp1256"), ARABIC + "\n" + ARABIC),
    ("utf16.txt", ENGLISH.encode("utf-16"), ENGLISH),
])
def test_ingest_detects_encodings(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(one([str(path)]))
    assert doc.text == expected


@pytest.mark.parametrize("data, error, words", [
    (b"", EmptyInputError, "empty"),
    (b"  \n\t\n", EmptyInputError, "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, BinaryInputError, "PNG image"),
    (b"%PDF-1.4\n" + b"\x00\x01" * 100, BinaryInputError, "PDF"),
    (bytes(range(256)) * 16, BinaryInputError, "binary data"),
])
def test_ingest_refuses_bad_input_with_a_message(tmp_path, data, error, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(error) as caught:
        read_document(one([str(path)]))
    message = str(caught.value)
    assert str(path) in message and words in message and "nothing from it was stored" in message


def test_ingest_refuses_undecodable_bytes(tmp_path):
    # bytes valid in no encoding charset-normalizer knows are hard to make; a lone UTF-16 BOM
    # followed by an odd byte count is one case, and must raise EncodingError, not a traceback
    path = tmp_path / "odd.txt"
    path.write_bytes(b"\xff\xfeA\x00B")
    with pytest.raises(EncodingError, match="Convert it to UTF-8"):
        read_document(one([str(path)]))


def test_ingest_refuses_files_over_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Shelling continued. " * 1000, encoding="utf-8")
    with pytest.raises(TooLargeError, match="--max-mb"):
        read_document(one([str(path)]), max_bytes=1000)


def test_ingest_html_takes_text_title_and_date_and_drops_scripts(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Strikes hit market</title><meta name='date' content='2019-04-02'>"
        "<script>alert('x')</script></head><body><nav>Home | World</nav><article><h1>Strikes hit market</h1>"
        "<p>Air strikes hit a crowded market in the town on Tuesday, killing at least nine people, rescuers said."
        "</p><p>The town has been shelled almost daily since the front line moved closer in March, residents "
        "told reporters.<script>document.write('injected')</script></p></article></body></html>",
        encoding="utf-8")
    doc = read_document(one([str(page)]))
    assert "killing at least nine people" in doc.text
    assert "alert" not in doc.text and "injected" not in doc.text and "<" not in doc.text
    assert doc.title == "Strikes hit market" and doc.published == date(2019, 4, 2)
    assert doc.media_type == "text/html"


def test_ingest_manifest_metadata_wins_over_the_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Old title</title><meta name='date' content='2019-04-02'></head><body>"
                    "<article><p>" + "Clashes were reported near the border crossing overnight. " * 5
                    + "</p></article></body></html>", encoding="utf-8")
    doc = read_document(one([str(page)], published=date(2019, 4, 3), outlet="Wire"))
    assert doc.published == date(2019, 4, 3) and doc.outlet == "Wire"


def test_ingest_html_without_article_text(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<html><head><title>Index</title><script>var a = 1;</script></head><body></body></html>",
                    encoding="utf-8")
    with pytest.raises(NoArticleTextError, match="no article text left after removing markup"):
        read_document(one([str(page)]))


def test_ingest_jsonl_one_document_per_line_and_bad_lines_reported(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": "Rebels said they shot down a drone.", "url": "https://example.org/a",
                         "outlet": "Feed", "published": "2020-02-02"}),
             "{not json",
             json.dumps({"html": "<html><body><article><p>" + "Protesters gathered in the main square. " * 5
                                 + "</p></article></body></html>", "outlet": "Feed"}),
             json.dumps({"title": "no text here"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(sources_from_paths([str(path)]))
    errors = [i for i in items if isinstance(i, InputError)]
    docs = [read_document(i) for i in items if not isinstance(i, InputError)]
    assert [d.url for d in docs] == ["https://example.org/a", None]
    assert docs[0].published == date(2020, 2, 2) and docs[0].source_key == "https://example.org/a"
    assert "Protesters gathered" in docs[1].text
    assert [str(e).split(":")[0] for e in errors] == [f"{path} line 2", f"{path} line 4"]


def test_ingest_stdin(monkeypatch):
    import io
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("A ceasefire took effect at noon.".encode())))
    doc = read_document(one(["-"], outlet="Desk"))
    assert doc.text == "A ceasefire took effect at noon." and doc.outlet == "Desk"
    assert doc.source_key == f"content:{doc.id}"


def test_ingest_folder_is_read_recursively(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Troops withdrew from the village.", encoding="utf-8")
    (tmp_path / "two.html").write_text("<p>" + "Aid trucks entered the city. " * 5 + "</p>", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    names = sorted(Path(s.name).name for s in sources_from_paths([str(tmp_path)]))
    assert names == ["one.txt", "two.html"]


def test_ingest_missing_path_is_an_error_item(tmp_path):
    (item,) = list(sources_from_paths([str(tmp_path / "nope.txt")]))
    assert isinstance(item, MissingInputError) and "no such file" in str(item)


def test_manifest_rows_and_row_errors(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling was reported in the east.", encoding="utf-8")
    manifest = tmp_path / "m.tsv"
    manifest.write_text("path\turl\toutlet\tpublished\ttimezone\textra\n"
                        "a.txt\t\tWire\t2016-12-09\tAsia/Damascus\tignored\n"
                        "missing.txt\t\tWire\t2016-12-09\t\t\n"
                        "a.txt\t\tWire\tlast Tuesday\t\t\n", encoding="utf-8")
    items = list(read_manifest(manifest))
    assert items[0].path == "a.txt" and items[0].outlet == "Wire" and items[0].timezone == "Asia/Damascus"
    with pytest.raises(MissingInputError, match="missing.txt: no such file"):
        read_document(items[1])
    assert isinstance(items[2], InputError) and "line 4" in str(items[2]) and "YYYY-MM-DD" in str(items[2])


@pytest.mark.parametrize("content, words", [
    ("file\toutlet\nx.txt\tWire\n", "the header lacks path"),
    ("", "the header lacks path"),
])
def test_malformed_manifest(tmp_path, content, words):
    manifest = tmp_path / "m.tsv"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=words):
        list(read_manifest(manifest))


def test_boilerplate_is_marked_not_removed(tmp_path):
    text = ("Jump to Original Entry\n\nUPDATE 1200 GMT: Strikes resumed.\n\nPHOTO: A damaged street (Agency)\n\n"
            "Warning – graphic images:\n\nNo comments:\nPost a Comment\nExit mobile version\n")
    path = tmp_path / "blog.txt"
    path.write_text(text, encoding="utf-8")
    doc = read_document(one([str(path)], published=date(2016, 1, 1)))
    assert doc.text == text
    marked = [doc.text[m.start:m.end] for m in doc.marks]
    assert marked == ["Jump to Original Entry", "PHOTO: A damaged street (Agency)", "Warning – graphic images:",
                      "No comments:", "Post a Comment", "Exit mobile version"]
    assert "UPDATE 1200 GMT: Strikes resumed." not in marked
