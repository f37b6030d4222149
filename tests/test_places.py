"""Which places a sentence names as where something happened, and which only frame or locate it."""
from __future__ import annotations

import pytest

from sitrep.extract.places import event_places, find_places


@pytest.mark.parametrize("sentence, expected", [
    # where it was said is not where it happened
    ("Speaking at a meeting in Hamburg, the minister said shelling hit Idlib.", ["Idlib"]),
    ("The rights group, in a report issued in Geneva, said air strikes hit Douma.", ["Douma"]),
    # the event's own preposition chain is not a frame, even through "by"
    ("The monitor reported the killing of 12 people by shelling of the Jobar district of Damascus.",
     ["Jobar district"]),
    # a capitalised ordinary word in a headline is not a town
    ("Army Kills 40 Fighters in Raqqa Countryside.", ["Raqqa Countryside"]),
    # a locator alone still places the event
    ("Clashes broke out near Azaz on Monday.", ["Azaz"]),
    # a named spokesperson is not a village of the same name
    ("UNHCR spokesperson Lina Haddad said 300 families fled.", []),
])
def test_places_where_events_happen(nlp, gazetteer, sentence, expected):
    mentions = find_places(nlp(sentence), gazetteer, focus=None, country="Syria")
    assert [m.text for m in event_places(mentions)] == expected
