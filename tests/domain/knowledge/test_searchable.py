"""Each kind of entry declares its search fields once; an unknown kind is a real error."""

import typing

import pytest

from bot.domain.knowledge.model import Contact, Entry, Event, Fact, ListSpec, Role, When
from bot.domain.knowledge.searchable import searchable


def test_every_entry_kind_has_search_fields():
    samples = {
        Role: Role("r", "Rolle", "Beskrivelse", ("implementation",), "cross-cutting"),
        Event: Event("e", "Webinar", When("month", month=(2021, 4)), registration="x"),
        Contact: Contact("c", "Postkasse", "web", email="a@b.dk"),
        Fact: Fact("f", "Hvad er KP?", "Et system", list=ListSpec(view="operation")),
    }
    assert set(samples) == set(typing.get_args(Entry))
    kinds = {cls: searchable(entry).kind for cls, entry in samples.items()}
    assert kinds == {Role: "role", Event: "event", Contact: "web", Fact: "list"}
    event = searchable(samples[Event])
    assert event.names == ("Webinar",) and "tilmelding" in event.extra_text
    assert "tilmelding" not in event.texts  # a hint, not the event's wording


def test_an_unknown_kind_is_a_type_error_not_an_assert():
    with pytest.raises(TypeError, match="str"):
        searchable("not an entry")  # type: ignore[arg-type]


def test_an_events_place_is_searched():
    event = Event("e", "Masterclass", When("month", month=(2021, 9)), place="KL-Huset, København")
    assert "KL-Huset, København" in searchable(event).texts
