"""Blind transfer on Twilio through Flex Interactions (twilio_flex_v1.yaml), for the Twilio contact center.

A task's attributes name its interaction and channel (`flexInteractionSid`, `flexInteractionChannelSid`, where
Flex keeps them). `CreateInteractionChannelInvite` creates a *new task* for the interaction (Invites doc), routed by
the `Routing.properties` the doc lists: `workspace_sid`; `workflow_sid` (mandatory where the workspace has more than
one); `queue_sid` for a TaskQueue, `queue_sid` and `worker_sid` for a Worker (both "required for agent-initiated",
as the doc's "add a specific agent" example sends them); `task_channel_unique_name` and `task_channel_sid` (else
the new task lands on the default TaskChannel, outside the agent's chat or SMS capacity); `priority` (else the
workflow's); `attributes`: the task's own, since none are carried over to the new task (Park an Interaction), and
`transferNote`. No `timeout`: the workflow's reservation timeout stays the one the desk counts an offer down by.
The transferring worker then leaves: `UpdateInteractionChannelParticipant` `Status=closed` on its own participant,
which completes its (old) task. The invite's answer names the new task (`routing.properties.sid`): the contact
goes on under that SID. Why this and not TaskRouter task re-creation or Flex's `Transfers`: docs/backends.md."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from agent_desktop.adapters.twilio import records
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Target, TargetKind

FLEX_BASE_URL = "https://flex-api.twilio.com"
INVITE_TARGETS = frozenset({TargetKind.QUEUE, TargetKind.AGENT})  # an address is no invite's target
TASK_CHANNEL_SID = re.compile(r"^TC[0-9a-fA-F]{32}$")

Post = Callable[..., Awaitable[dict[str, Any]]]
ListOf = Callable[..., Awaitable[list[dict[str, Any]]]]


class TwilioTransfers:
    """`post`/`list_of` are the contact center's requests (auth, backoff, errors, paging)."""

    def __init__(
        self, base_url: str, workspace_sid: str, worker_sid: str, post: Post, list_of: ListOf, name: str
    ) -> None:
        self.root = f"{base_url.rstrip('/')}/v1/Interactions"
        self._workspace, self._worker = workspace_sid, worker_sid
        self._post, self._list, self.name = post, list_of, name

    def _channel(self, task: dict[str, Any]) -> str:
        extra = records.attributes(task)
        interaction, channel = extra.get("flexInteractionSid"), extra.get("flexInteractionChannelSid")
        if not (
            isinstance(interaction, str)
            and records.is_sid("KD", interaction)
            and isinstance(channel, str)
            and records.is_sid("UO", channel)
        ):
            raise BackendError(self.name, "409 the task names no Flex interaction to transfer it through", 409)
        return f"{self.root}/{interaction}/Channels/{channel}"

    def _routed(self, task: dict[str, Any], target: Target) -> dict[str, str]:
        if target.kind == TargetKind.QUEUE and records.is_sid("WQ", target.id):
            return {"queue_sid": target.id}
        if target.kind == TargetKind.AGENT and records.is_sid("WK", target.id):
            queue = task.get("task_queue_sid")  # the worker is reached in the queue the contact is in now
            if not (isinstance(queue, str) and records.is_sid("WQ", queue)):
                raise BackendError(self.name, "409 the task names no TaskQueue to invite the worker in", 409)
            return {"queue_sid": queue, "worker_sid": target.id}
        raise BackendError(
            self.name, f"422 target: a TaskQueue (WQ…) or a Worker (WK…), not {target.kind.value} {target.id}", 422
        )

    def routing_properties(
        self, task: dict[str, Any], target: Target, note: str | None, by: str = ""
    ) -> dict[str, Any]:
        """What the Invites doc asks for to create the new task (the module's docstring says why each)."""
        properties: dict[str, Any] = {"workspace_sid": self._workspace, **self._routed(task, target)}
        if records.is_sid("WW", str(task.get("workflow_sid") or "")):
            properties["workflow_sid"] = task["workflow_sid"]
        if isinstance(task.get("task_channel_unique_name"), str) and task["task_channel_unique_name"]:
            properties["task_channel_unique_name"] = task["task_channel_unique_name"]
        if TASK_CHANNEL_SID.match(str(task.get("task_channel_sid") or "")):
            properties["task_channel_sid"] = task["task_channel_sid"]
        if isinstance(task.get("priority"), int) and not isinstance(task.get("priority"), bool):
            properties["priority"] = task["priority"]
        properties["attributes"] = {
            **records.attributes(task),
            **(records.handover_attributes(note, by) if note else {}),
        }
        return properties

    async def transfer(self, task: dict[str, Any], target: Target, note: str | None, by: str = "") -> str:
        """Invite the target to the task's channel, then close this worker's participant of the task; the new
        task's SID."""
        channel, properties = self._channel(task), self.routing_properties(task, target, note, by)
        invite = await self._post(f"{channel}/Invites", data={"Routing": json.dumps({"properties": properties})})
        routing = invite.get("routing") if isinstance(invite, dict) else None
        created = routing.get("properties") if isinstance(routing, dict) else None
        new_sid = created.get("sid") if isinstance(created, dict) else None
        if not (isinstance(new_sid, str) and records.is_sid("WT", new_sid)):
            raise BackendError(self.name, "502 Flex answered the transfer's invite without the new task's SID", 502)
        participants = await self._list(f"{channel}/Participants", "participants", 100)
        mine = [
            p
            for p in participants
            if isinstance(p, dict)
            and p.get("type") == "agent"
            and isinstance(p.get("routing_properties"), dict)
            and p["routing_properties"].get("worker_sid") == self._worker
            and p["routing_properties"].get("task_sid") in (None, task["sid"])
            and isinstance(p.get("sid"), str)
        ]
        for participant in mine:  # this worker leaves the channel: its task completes, the invited one has it now
            await self._post(f"{channel}/Participants/{participant['sid']}", data={"Status": "closed"})
        return new_sid
