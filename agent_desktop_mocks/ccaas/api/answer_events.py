"""An action's answer names the events on the caller's own stream that carry it (`X-Event-Ids`), so a client
that applied the answer drops the stream's copies by id instead of applying the same change twice.

An event carries the answer when the object it is about (its `contact`, `agent`, `offer` or `item`) is the
answer's object: a `contact` event of the contact an accept, hold or end answers with, a `message` event of the
item a send answers with. Other events of the same request (the agent's state going Busy on an accept, a chat's
`participant_joined`) are not in it: the answer does not say what they say.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from starlette.responses import Response

from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC, agent_topic
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.common.http.auth import Principal

EVENT_IDS_HEADER = "X-Event-Ids"
EVENT_IDS_RESPONSE = {
    "headers": {
        EVENT_IDS_HEADER: {
            "description": "Comma-separated, increasing: the ids of the events on the caller's own stream that carry "
            "this answer (empty when none does); a client that applied the answer drops them",
            "schema": {"type": "string"},
        }
    }
}

A = TypeVar("A", bound=BaseModel)


def own_topic(who: Principal) -> str:
    """The stream the caller follows: an agent's own, or the supervisors'."""
    return agent_topic(who.subject) if who.role == "agent" else SUPERVISOR_TOPIC


def answered(log: EventLog, who: Principal, response: Response, action: Callable[[], A]) -> A:
    """Carry out `action` (a synchronous call into the engine or the conversation service, committed when it
    returns) and put on `response` the ids of the events it published to the caller's stream that carry its
    answer. Nothing else can publish meanwhile: the action does not await, so the ids after `last_id` are its."""
    after = log.last_id
    answer = action()
    response.headers[EVENT_IDS_HEADER] = event_ids(log, who, after, answer)
    return answer


def event_ids(log: EventLog, who: Principal, after: int, answer: BaseModel) -> str:
    """The header's value: the ids after `after` on the caller's stream whose event is about the answer's
    object (matched by its id)."""
    answer_id = getattr(answer, "id", None)
    if answer_id is None:
        return ""
    stored = log.stored(own_topic(who), None, after)
    return ",".join(str(event_id) for event_id, data in stored if _about(json.loads(data)) == answer_id)


def _about(data: object) -> object:
    """The id of the object an event is about: its one nested record's (`contact`, `agent`, `offer`, `item`)."""
    if not isinstance(data, dict):
        return None
    for key in ("contact", "agent", "offer", "item"):
        record = data.get(key)
        if isinstance(record, dict):
            return record.get("id")
    return None
