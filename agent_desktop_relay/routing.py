"""Whose stream a callback goes to, from the reservation's life (docs/backends.md, "The relay").

A task belongs to the worker whose reservation was accepted; while none is, to each worker it is offered to
(`reservation.created`). A rejected, timed-out, rescinded or canceled reservation takes that worker off the
offer and never moves the task (TaskQueues with `MaxReservedWorkers` above 1 offer one task to several
workers: the newest callback naming a worker is not the task's owner). A callback that names its worker goes
to that worker; `task.*` callbacks (no worker fields) go to the task's workers; Conversations webhooks name
only their conversation, which goes with the newest task naming it in its attributes (`conversationSid`:
a transfer makes a new task for the same conversation, docs/vendors/twilio-interactions.md), or, while that
task has nobody yet, with the task before it. A call's transcription line (transcription.py) is given the SID of
the newest task naming the call that someone holds (`call_sid`, as `<Enqueue>` writes it; a voice transfer makes a
new task for the same call, docs/vendors/twilio-voice.md), the desk's id of the call (the line itself is kept on the
call's own stream, store.py's `call_of_line`, read by the workers of `call_readers`), masked against the
final lines said before it on its track (transcription.py, `continued`: a number read out over two lines).

The rules read and write a `RoutingTable` that a store gives them inside the transaction that keeps the
callback (agent_desktop_relay/store.py), so they are the same whichever store holds the map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from agent_desktop_relay.transcription import SYSTEM, TRANSCRIPTION, Said, continued

# A reservation ending this way takes its worker off the offer and leaves the task where it was.
OFF_THE_OFFER = {"rejected", "timeout", "rescinded", "canceled", "cancelled"}


@dataclass(frozen=True)
class TaskRoute:
    owner: str | None = None  # the worker whose reservation was accepted
    offered: frozenset[str] = field(default_factory=frozenset)  # workers with a pending reservation

    def workers(self) -> list[str]:
        return [self.owner] if self.owner else sorted(self.offered)


class RoutingTable(Protocol):
    def task(self, sid: str) -> TaskRoute | None: ...

    def put_task(self, sid: str, route: TaskRoute) -> None: ...

    def link_conversation(self, conversation: str, task: str) -> None:
        """The task names the conversation (or the call: a `CA…` SID, kept the same way): it becomes the
        conversation's newest task, unless it was linked already (a late callback of an older task does not take
        the conversation back)."""
        ...

    def conversation_tasks(self, conversation: str) -> list[str]:
        """The tasks that named the conversation (or the call), newest first."""
        ...

    def said(self, call: str, role: str) -> Said | None:
        """What was taken on the call's track (role) so far: None, nothing yet (or forgotten with the routes)."""
        ...

    def put_said(self, call: str, role: str, said: Said) -> None: ...


def route(params: dict[str, str], table: RoutingTable) -> list[str]:
    """The workers whose streams the callback goes to (none: nobody's desk follows it), the map updated."""
    event, worker, task = params.get("EventType", ""), params.get("WorkerSid"), params.get("TaskSid")
    if task:
        known = table.task(task) or TaskRoute()
        for thread in threads_of(params.get("TaskAttributes")):
            table.link_conversation(thread, task)
        now = known
        if worker and event.startswith("reservation."):
            status = event.removeprefix("reservation.")
            if status == "created":
                now = TaskRoute(known.owner, known.offered | {worker})
            elif status == "accepted":
                now = TaskRoute(worker, frozenset())
            elif status in OFF_THE_OFFER:
                now = TaskRoute(known.owner, known.offered - {worker})
        table.put_task(task, now)
        return [worker] if worker else now.workers()
    if worker:
        return [worker]
    held = holding_task(params, table)
    if held is not None:
        holder = table.task(held)
        return holder.workers() if holder is not None else []
    return []


def holding_task(params: dict[str, str], table: RoutingTable) -> str | None:
    """For a callback that names only its conversation (or a call's transcription line, only its call): the newest
    task of it that someone holds or is offered."""
    thread = params.get("CallSid" if params.get("EventType") == TRANSCRIPTION else "ConversationSid")
    for sid in table.conversation_tasks(thread) if thread else []:
        holder = table.task(sid)
        if holder is not None and holder.workers():
            return sid
    return None


def kept_as(params: dict[str, str], table: RoutingTable) -> dict[str, str]:
    """The callback's parameters as the workers' streams keep them: a transcription line with the SID of the task
    it was routed by (the desk knows a call by its task), masked against its track's earlier lines (which it joins,
    in the map, if final); anything else as it came."""
    if params.get("EventType") != TRANSCRIPTION:
        return params
    call, role = params.get("CallSid", ""), params.get("Role", "")
    if role == SYSTEM:  # the transcription stopped or failed: no words heard, nothing to mask across
        return params | {"TaskSid": holding_task(params, table) or ""}
    line, said = continued(params, table.said(call, role))
    table.put_said(call, role, said)
    return line | {"TaskSid": holding_task(params, table) or ""}


def call_readers(call: str, table: RoutingTable) -> set[str]:
    """The workers holding or offered a task that named the call (its desks, which may read its lines)."""
    readers: set[str] = set()
    for sid in table.conversation_tasks(call):
        holder = table.task(sid)
        if holder is not None:
            readers |= {holder.owner} if holder.owner else set(holder.offered)
    return readers


def threads_of(attributes: str | None) -> list[str]:
    """What a task's attributes name that later callbacks name alone: its conversation (`conversationSid`) and its
    call (`call_sid`)."""
    try:
        value = json.loads(attributes or "{}")
    except (ValueError, RecursionError):  # attributes nested a thousand deep: nothing named, not a 500
        return []
    if not isinstance(value, dict):
        return []
    named = [value.get("conversationSid"), value.get("call_sid")]
    return [sid for sid, kind in zip(named, ("CH", "CA"), strict=True) if isinstance(sid, str) and sid.startswith(kind)]


def conversation_of(attributes: str | None) -> str | None:
    return next((sid for sid in threads_of(attributes) if sid.startswith("CH")), None)
