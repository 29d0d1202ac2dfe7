"""Blind transfer on Twilio through Flex Interactions (twilio_flex_v1.yaml), for the Twilio contact center.

A task's attributes name its interaction and channel (`flexInteractionSid`, `flexInteractionChannelSid`, where
Flex keeps them). `CreateInteractionChannelInvite` invites a TaskQueue (`queue_sid`) or a Worker (`worker_sid`):
the workflow routes a new task there. The transferring worker then leaves the channel:
`UpdateInteractionChannelParticipant` `Status=closed` on its own participant, as Twilio documents the transfer of
an interaction. Why this and not TaskRouter task re-creation or Flex's `Transfers`: docs/backends.md."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from desktop.backends import twilio_records as records
from desktop.backends.errors import BackendError
from desktop.backends.models import Target, TargetKind

FLEX_BASE_URL = "https://flex-api.twilio.com"
INVITE_TARGETS = frozenset({TargetKind.QUEUE, TargetKind.AGENT})  # an address is no invite's target

Post = Callable[..., Awaitable[dict[str, Any]]]
ListOf = Callable[..., Awaitable[list[dict[str, Any]]]]


class TwilioTransfers:
    """`post`/`list_of` are the contact center's requests (auth, backoff, errors, paging)."""

    def __init__(self, base_url: str, workspace_sid: str, worker_sid: str, post: Post, list_of: ListOf, name: str) -> None:
        self.root = f"{base_url.rstrip('/')}/v1/Interactions"
        self._workspace, self._worker = workspace_sid, worker_sid
        self._post, self._list, self.name = post, list_of, name

    def _channel(self, task: dict[str, Any]) -> str:
        extra = records.attributes(task)
        interaction, channel = extra.get("flexInteractionSid"), extra.get("flexInteractionChannelSid")
        if not (isinstance(interaction, str) and records.is_sid("KD", interaction) and isinstance(channel, str)
                and records.is_sid("UO", channel)):  # fmt: skip
            raise BackendError(self.name, "409 the task names no Flex interaction to transfer it through", 409)
        return f"{self.root}/{interaction}/Channels/{channel}"

    def _routed(self, target: Target) -> dict[str, str]:
        if target.kind == TargetKind.QUEUE and records.is_sid("WQ", target.id):
            return {"queue_sid": target.id}
        if target.kind == TargetKind.AGENT and records.is_sid("WK", target.id):
            return {"worker_sid": target.id}
        raise BackendError(self.name, f"422 target: a TaskQueue (WQ…) or a Worker (WK…), not {target.kind.value} {target.id}", 422)

    async def transfer(self, task: dict[str, Any], target: Target, note: str | None) -> None:
        """Invite the target to the task's channel (the task's attributes go with it, and `transferNote`), then
        close this worker's participant."""
        channel, routed = self._channel(task), self._routed(target)
        attributes = {**records.attributes(task), **({"transferNote": note} if note else {})}
        properties = {"workspace_sid": self._workspace, "workflow_sid": task.get("workflow_sid"),
                      "task_channel_unique_name": task.get("task_channel_unique_name"), "attributes": attributes, **routed}  # fmt: skip
        await self._post(f"{channel}/Invites", data={"Routing": json.dumps({"properties": properties})})
        participants = await self._list(f"{channel}/Participants", "participants", 100)
        mine = [p for p in participants if p.get("type") == "agent"
                and (p.get("routing_properties") or {}).get("worker_sid") == self._worker]  # fmt: skip
        for participant in mine:  # this worker leaves the channel: the invited one has it now
            await self._post(f"{channel}/Participants/{participant['sid']}", data={"Status": "closed"})
