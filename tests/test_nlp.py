"""The NLP stage: sentence splitting with context, the cascade's cheap test, the entity ruler."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from sitrep.ingest import read_document, sources_from_paths
from sitrep.nlp import is_worth_parsing, load_pipeline, parse_document, split_sentences

BLOG = ("Jump to Original Entry\n\n"
        "UPDATE 1415 GMT: Shelling hit the Salaheddine district. Residents fled towards the west.\n\n"
        "The weather was cold.\n\n"
        "ORIGINAL ENTRY: Talks on a truce resumed in Geneva on Monday.\n")


def document(tmp_path, text: str, published: date = date(2016, 12, 5)):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    (source,) = sources_from_paths([str(path)], published=published, outlet="Desk")
    return read_document(source)


def test_nlp_sentences_skip_boilerplate_and_entry_labels(tmp_path):
    doc = document(tmp_path, BLOG)
    texts = [doc.text[s.start:s.end] for s in split_sentences(doc)]
    assert texts == ["Shelling hit the Salaheddine district.", "Residents fled towards the west.",
                     "The weather was cold.", "Talks on a truce resumed in Geneva on Monday."]


def test_nlp_sentences_are_anchored_on_their_entry_time(tmp_path):
    doc = document(tmp_path, BLOG)
    anchors = [s.anchor for s in split_sentences(doc)]
    update = datetime(2016, 12, 5, 14, 15, tzinfo=timezone.utc)
    assert anchors == [update, update, update, date(2016, 12, 5)]  # the original entry has the page's day


@pytest.mark.parametrize("sentence, expected", [
    ("Air strikes hit the market.", True),
    ("At least 12 people were wounded.", True),
    ("The minister said talks would continue.", True),
    ("Troops shelled the northern suburbs overnight.", True),
    ("The weather was cold and grey.", False),
    ("Photographs of the old town hang in the museum.", False),
])
def test_nlp_cascade_picks_sentences_worth_parsing(sentence, expected):
    assert is_worth_parsing(sentence) is expected


def test_nlp_only_picked_sentences_are_parsed(tmp_path):
    doc = document(tmp_path, BLOG)
    parsed = parse_document(doc, load_pipeline())
    assert [s.doc is not None for s in parsed.sentences] == [True, True, False, True]
    first = parsed.sentences[0]
    assert first.doc.text == doc.text[first.start:first.end]


@pytest.mark.parametrize("sentence, name", [
    ("Barrel bombs fell on Fardos and Kalaseh overnight.", "Fardos"),
    ("Fighting continued in Bustan al-Qasr.", "Bustan al-Qasr"),
    ("Police cleared protesters from Bab al-Tob.", "Bab al-Tob"),
])
def test_nlp_entity_ruler_labels_neighbourhoods_as_places(sentence, name):
    doc = load_pipeline()(sentence)
    assert (name, "GPE") in [(e.text, e.label_) for e in doc.ents]
