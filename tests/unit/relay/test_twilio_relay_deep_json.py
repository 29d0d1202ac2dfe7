"""JSON nested a thousand deep in what Twilio signs — a task's attributes, an Event Streams body — is unreadable data
for the relay, not an exception: `json.loads` raises RecursionError (not a ValueError) there, which made the callback
a 500 that Twilio retries, and the store kept nothing of it. The desk's Twilio backend reads the relay's events the
same way."""

from __future__ import annotations

import json

from httpx_sse import ServerSentEvent

from agent_desktop.adapters.twilio.contact_center import _relayed
from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop_relay.app import _params
from agent_desktop_relay.routing import conversation_of

DEEP = "[" * 5_000 + "]" * 5_000


def test_task_attributes_nested_thousands_deep_name_no_conversation() -> None:
    assert conversation_of('{"conversationSid": ' + DEEP + "}") is None
    assert conversation_of(DEEP) is None
    assert conversation_of(json.dumps({"conversationSid": "CH" + "0" * 32})) == "CH" + "0" * 32


def test_a_json_body_nested_thousands_deep_is_unreadable() -> None:
    assert _params(('{"a": ' + DEEP + "}").encode(), is_json=True) is None
    assert _params(b'{"EventType": "task.created"}', is_json=True) == {"EventType": "task.created"}


def test_a_relayed_event_nested_thousands_deep_is_unreadable_at_the_desk() -> None:
    """The desk's side: a relay's event whose data is JSON nested a thousand deep is said unreadable (and skipped),
    not a RecursionError out of the Twilio backend's stream."""
    assert isinstance(_relayed(ServerSentEvent(event="reservation.created", data=DEEP, id="7")), Unreadable)
