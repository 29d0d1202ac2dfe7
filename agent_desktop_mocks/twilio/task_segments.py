"""Which TaskRouter task a contact is now, and the tasks it was before: a Flex Interactions Invite makes a new task,
and so does a call's `<Enqueue>` after UpdateCall `Twiml` (routers/calls.py: its `Invite` record names the call).

Twilio's Invites doc: "The invite creates a new task for the existing interaction"; Park an Interaction: when the
inviting agent's participant is updated with `Status=closed`, "the associated task is completed" (`wrapup`: it wraps
up). The engine keeps one contact across a transfer; here each Invite starts a new *segment* of it, and TaskRouter's
view shows one task per segment: the current one is the engine's contact (routers/tasks.py, resources.py), each
earlier one a task of its own, frozen as it was when the Invite was made and changed only by its participant's update
(or an UpdateTask on it), with its own reservations (the offers made in its segment) and its own callbacks.

SIDs: segment 0's is the contact's number (sids.py, as before any transfer); segment n's carries n in the first 8 of
its 32 hex digits, so any task SID maps back to its contact and segment without a table."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_TASK_SID = re.compile(r"^WT[0-9a-fA-F]{32}$")
STATUS_OF_PARTICIPANT = {"closed": "completed", "wrapup": "wrapping"}  # a participant's update → its task's status
RESERVATION_OF_TASK = {"assigned": "accepted", "wrapping": "wrapping", "completed": "completed"}


@dataclass
class Invite:
    """What an Invite made the contact's current task from (routers/interactions.py)."""

    sid: str  # KG…
    attributes: dict[str, Any]  # the Invite's `Routing.properties.attributes`, and the keys Flex adds
    task_channel: str  # `task_channel_unique_name` as sent ("default" when not: TaskRouter's default TaskChannel)
    priority: int
    created_at: datetime


@dataclass
class Segment:
    """A task an Invite left behind: as TaskRouter rendered it then, and what has happened to it since."""

    contact_id: str
    number: int
    task: dict[str, Any]  # the task resource when the Invite was made (its `sid`, attributes, queue, times)
    agent_id: str | None  # the worker it was assigned to
    offer_id: str | None  # the reservation it was accepted through
    closed_at: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def sid(self) -> str:
        sid: str = self.task["sid"]  # (the resource as JSON: its values are Any)
        return sid

    @property
    def status(self) -> str:
        status: str = self.task["assignment_status"]
        return status


Listener = Callable[[str, Segment], None]


def task_sid(contact_id: str, number: int) -> str:
    return f"WT{number:08x}{int(contact_id.split('-', 1)[1]):024x}"


class TaskSegments:
    def __init__(self) -> None:
        self._current: dict[str, int] = {}  # contact id → the segment it is in now (absent: 0)
        self._invites: dict[str, Invite] = {}  # contact id → the Invite its current task was made by
        self._finished: dict[str, Segment] = {}  # task SID → a segment an Invite ended
        self._offer_segment: dict[str, int] = {}  # offer id → the segment it was made in
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        """`listener(kind, segment)` when a finished segment's task wraps up or completes (callbacks.py)."""
        self._listeners.append(listener)

    # --- reading ----------------------------------------------------------------------------------

    def task_sid(self, contact_id: str) -> str:
        """The SID of the contact's task now."""
        return task_sid(contact_id, self._current.get(contact_id, 0))

    def resolve(self, sid: str) -> tuple[str, Segment | None] | None:
        """The contact a task SID names and, for a task an Invite ended, its segment (None: the contact's current
        task); None for a SID this mock never gave out."""
        if not _TASK_SID.match(sid):
            return None
        sid = "WT" + sid[2:].lower()
        number, contact_id = int(sid[2:10], 16), f"c-{int(sid[10:], 16):06d}"
        if number == self._current.get(contact_id, 0):
            return contact_id, None
        segment = self._finished.get(sid)
        return (contact_id, segment) if segment is not None else None

    def invite_of(self, contact_id: str) -> Invite | None:
        return self._invites.get(contact_id)

    def finished(self) -> list[Segment]:
        return list(self._finished.values())

    def offer_made(self, offer_id: str, contact_id: str) -> None:
        self._offer_segment[offer_id] = self._current.get(contact_id, 0)

    def offer_task_sid(self, offer_id: str, contact_id: str) -> str:
        """The SID of the task the offer (a reservation) was made for."""
        return task_sid(contact_id, self._offer_segment.get(offer_id, self._current.get(contact_id, 0)))

    def offer_segment(self, offer_id: str, contact_id: str) -> Segment | None:
        """The finished segment an offer was made in (None: the contact's current task)."""
        return self._finished.get(self.offer_task_sid(offer_id, contact_id))

    # --- an Invite and the inviting agent's participant -----------------------------------------------

    def begin(
        self, task: dict[str, Any], contact_id: str, agent_id: str | None, offer_id: str | None, invite: Invite
    ) -> Segment:
        """The contact's current task (`task`, rendered now) is left behind; its next task is the Invite's."""
        number = self._current.get(contact_id, 0)
        segment = Segment(
            contact_id, number, copy.deepcopy(task), agent_id, offer_id, attributes=json.loads(task["attributes"])
        )
        self._finished[segment.sid] = segment
        self._current[contact_id] = number + 1
        self._invites[contact_id] = invite
        return segment

    def undo(self, segment: Segment, invite: Invite | None) -> None:
        """The engine refused the transfer: the contact stays in the segment it was in."""
        self._finished.pop(segment.sid, None)
        self._current[segment.contact_id] = segment.number
        if invite is None:
            self._invites.pop(segment.contact_id, None)
        else:
            self._invites[segment.contact_id] = invite

    def update(self, segment: Segment, status: str, at: datetime, reason: str | None = None) -> None:
        """The segment's task moves on (assigned → wrapping → completed), as TaskRouter reports it."""
        if status == segment.status:
            return
        segment.task["assignment_status"] = status
        segment.task["date_updated"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if reason is not None:
            segment.task["reason"] = reason
        if status == "completed":
            segment.closed_at = at
        for listener in self._listeners:
            listener("wrapup" if status == "wrapping" else "completed", segment)

    def write_attributes(self, segment: Segment, attributes: dict[str, Any]) -> None:
        segment.attributes = attributes
        segment.task["attributes"] = json.dumps(attributes)

    def render(self, segment: Segment, now: datetime) -> dict[str, Any]:
        """The finished segment's task as TaskRouter answers it now (its age stops when it completes)."""
        task = dict(segment.task)
        created = datetime.strptime(task["date_created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=now.tzinfo)
        task["age"] = max(0, int(((segment.closed_at or now) - created).total_seconds()))
        return task
