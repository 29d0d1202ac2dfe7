"""Whose stream a callback goes to, from the reservation's life (docs/backends.md, "The relay").

A task belongs to the worker whose reservation was accepted; while none is, to each worker it is offered to
(`reservation.created`). A rejected, timed-out, rescinded or canceled reservation takes that worker off the
offer and never moves the task (TaskQueues with `MaxReservedWorkers` above 1 offer one task to several
workers: the newest callback naming a worker is not the task's owner). A callback that names its worker goes
to that worker; `task.*` callbacks (no worker fields) go to the task's workers; Conversations webhooks name
only their conversation, which goes with the newest task naming it in its attributes (`conversationSid`:
a transfer makes a new task for the same conversation, docs/vendors/twilio-interactions.md), or, while that
task has nobody yet, with the task before it.

The rules read and write a `RoutingTable` that a store gives them inside the transaction that keeps the
callback (agent_desktop_relay/store.py), so they are the same whichever store holds the map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

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
        """The task names the conversation: it becomes the conversation's newest task, unless it was linked
        already (a late callback of an older task does not take the conversation back)."""
        ...

    def conversation_tasks(self, conversation: str) -> list[str]:
        """The tasks that named the conversation, newest first."""
        ...


def route(params: dict[str, str], table: RoutingTable) -> list[str]:
    """The workers whose streams the callback goes to (none: nobody's desk follows it), the map updated."""
    event, worker, task = params.get("EventType", ""), params.get("WorkerSid"), params.get("TaskSid")
    if task:
        known = table.task(task) or TaskRoute()
        conversation = conversation_of(params.get("TaskAttributes"))
        if conversation:
            table.link_conversation(conversation, task)
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
    conversation = params.get("ConversationSid")
    if conversation:
        for sid in table.conversation_tasks(conversation):
            holder = table.task(sid)
            if holder is not None and holder.workers():
                return holder.workers()
    return []


def conversation_of(attributes: str | None) -> str | None:
    try:
        value = json.loads(attributes or "{}")
    except (ValueError, RecursionError):  # attributes nested a thousand deep: no conversation named, not a 500
        return None
    found = value.get("conversationSid") if isinstance(value, dict) else None
    return found if isinstance(found, str) and found.startswith("CH") else None
