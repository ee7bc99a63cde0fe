"""State is plain JSON; only SDK types on the list become objects again, nothing else."""

from __future__ import annotations

import json

import jsonpickle
import pytest
from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogInstance, DialogState, PromptOptions
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.schema import ActivityTypes

from storage import state_codec
from storage.state_codec import StateCodecError


def _dialog_state() -> DialogState:
    instance = DialogInstance()
    instance.id = "language.prompt"
    instance.state = {
        "options": PromptOptions(
            prompt=MessageFactory.text("Hvilket sprog?"),
            choices=[Choice("dansk")],
            style=ListStyle.hero_card,
        ),
        "values": {"instanceId": "x", "$t": "a user's own key"},
        "stepIndex": 0,
    }
    state = DialogState()
    state.dialog_stack.append(instance)
    return state


def test_dialog_state_round_trips_as_plain_json():
    text = state_codec.dumps({"dialogs": _dialog_state()})
    assert "py/" not in text
    json.loads(text)  # plain JSON
    restored = state_codec.loads(text)["dialogs"]
    [instance] = restored.dialog_stack
    options = instance.state["options"]
    assert instance.id == "language.prompt"
    assert options.prompt.text == "Hvilket sprog?"
    assert options.prompt.type is ActivityTypes.message
    assert options.choices[0].value == "dansk"
    assert options.style is ListStyle.hero_card
    assert instance.state["values"] == {"instanceId": "x", "$t": "a user's own key"}


def test_an_object_of_another_class_is_refused_on_write():
    class Sneaky:
        pass

    with pytest.raises(StateCodecError):
        state_codec.dumps({"x": Sneaky()})


@pytest.mark.parametrize(
    "document",
    [
        {"x": {"$t": "obj", "c": "subprocess.Popen", "v": {"args": ["id"]}}},
        {"x": {"$t": "obj", "c": "builtins.eval", "v": {}}},
        {"x": {"$t": "enum", "c": "os.system", "v": "id"}},
        {
            "x": {
                "$t": "obj",
                "c": "botbuilder.dialogs.dialog_state.DialogState",
                "v": {"__class__": {}},
            }
        },
        {"x": {"$t": "nonsense"}},
    ],
)
def test_a_stored_document_naming_another_class_is_refused_on_read(document):
    with pytest.raises(StateCodecError):
        state_codec.loads(json.dumps(document))


def test_jsonpickle_documents_of_allowed_types_are_converted():
    old = jsonpickle.encode({"dialogs": _dialog_state()}, make_refs=False)
    converted = state_codec.from_jsonpickle(old)
    assert converted is not None and "py/" not in converted
    [instance] = state_codec.loads(converted)["dialogs"].dialog_stack
    assert instance.state["options"].prompt.text == "Hvilket sprog?"


def test_jsonpickle_documents_of_other_types_are_not_converted():
    hostile = json.dumps({"x": {"py/object": "subprocess.Popen", "args": ["id"]}})
    assert state_codec.from_jsonpickle(hostile) is None
    assert state_codec.from_jsonpickle('{"x": {"py/repr": "os/os.system"}}') is None
