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
    # a road named by its two ends: the name without the hyphen that joins it to the other ("Baghdad" stands
    # for the Iraqi government in the actor list, so only Mosul is a place here)
    ("Fighting on the Mosul-Baghdad road delayed two aid convoys.", ["Mosul"]),
])
def test_places_where_events_happen(nlp, gazetteer, sentence, expected):
    mentions = find_places(nlp(sentence), gazetteer, focus=None, country="Syria")
    assert [m.text for m in event_places(mentions)] == expected
