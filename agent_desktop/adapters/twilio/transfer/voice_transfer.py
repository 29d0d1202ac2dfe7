"""Blind transfer of a call on Twilio, as TaskRouter documents it for calls in a conference (Call Control Concepts,
"Cold Transfer", and its sequence diagram: a *new task* naming the target, which the workflow must route on; then the
original task completed or wrapped). Voice tasks carry no Flex Interaction (Flex Conversations is the digital
channels), so a call cannot be invited like a chat (twilio_transfers.py).

Without a TwiML server of its own the desk redirects the caller's call (the task's `call_sid`) with inline TwiML,
UpdateCall `Twiml=<Response><Enqueue workflowSid="WW…"><Task>{…}</Task></Enqueue></Response>` (twilio_api_v2010.yaml):
the caller leaves the conference (the desk joined it with `EndConferenceOnCustomerExit`, so it ends and the agent's
leg hangs up) and `<Enqueue>` makes the new task for the same call, with the `<Task>` JSON as its attributes: the
original task's (none are carried over otherwise) and the target, as Twilio's Flex project template's workflow filters
read it: `transferTargetType` (`worker` or `queue`) and `transferTargetSid`; `transferNote`; `transferredFromTaskSid`
(the diagram: "include … TaskSID of original task"), by which the desk finds the new task (ListTask
`EvaluateTaskAttributes`, as `<Enqueue>` makes it asynchronously). The account's workflow must have those filters
(docs/backends.md). TwiML is at most 4,000 characters (Twilio's error 32018): the attributes are cut down to fit."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from agent_desktop.adapters.twilio import records
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Target, TargetKind

MAX_TWIML = 4000  # Twilio's limit on UpdateCall's Twiml (error 32018)
# What <Enqueue> writes about the call itself (TaskRouter's quickstart), and what describes the old task's call only.
WRITTEN_BY_ENQUEUE = frozenset(
    {
        "call_sid",
        "account_sid",
        "from",
        "to",
        "caller",
        "called",
        "direction",
        "call_status",
        "api_version",
        "conference",
        "conversations",
        "transferredFromTaskSid",
    }
)
KEPT_WHEN_SHORT = ("name", "channelType", "type", "subject", "queue", "customers")
FIND_TRIES = (0.0, 0.2, 0.4, 0.8, 1.6)  # seconds before each look for the new task (<Enqueue> makes it asynchronously)

Post = Callable[..., Awaitable[dict[str, Any]]]
ListOf = Callable[..., Awaitable[list[dict[str, Any]]]]
Sleep = Callable[[float], Awaitable[None]]


class TwilioVoiceTransfer:
    """`post`/`list_of` are the contact center's requests; `root` the REST API's account URL, `tasks` TaskRouter's."""

    def __init__(
        self, root: str, tasks: str, post: Post, list_of: ListOf, name: str, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._root, self._tasks = root, tasks
        self._post, self._list, self.name, self._sleep = post, list_of, name, sleep

    def _target(self, target: Target) -> dict[str, str]:
        if target.kind == TargetKind.QUEUE and records.is_sid("WQ", target.id):
            return {"transferTargetType": "queue", "transferTargetSid": target.id}
        if target.kind == TargetKind.AGENT and records.is_sid("WK", target.id):
            return {"transferTargetType": "worker", "transferTargetSid": target.id}
        raise BackendError(
            self.name, f"422 target: a TaskQueue (WQ…) or a Worker (WK…), not {target.kind.value} {target.id}", 422
        )

    def twiml(self, task: dict[str, Any], target: Target, note: str | None, by: str = "") -> str:
        """The `<Enqueue>` making the new task (the module's docstring says what its attributes are for)."""
        workflow = task.get("workflow_sid")
        if not (isinstance(workflow, str) and records.is_sid("WW", workflow)):
            raise BackendError(self.name, "409 the task names no Workflow to route the transferred call by", 409)
        routing = self._target(target) | {"transferredFromTaskSid": task["sid"]}
        carried = {k: v for k, v in records.attributes(task).items() if k not in WRITTEN_BY_ENQUEUE}
        note = note or ""
        for attributes in (carried, {k: carried[k] for k in KEPT_WHEN_SHORT if k in carried}, {}):
            for text in (note, note[:500], ""):
                body = attributes | routing | (records.handover_attributes(text, by) if text else {})
                document = (
                    f"<Response><Enqueue workflowSid={quoteattr(workflow)}><Task>{escape(json.dumps(body))}</Task>"
                    "</Enqueue></Response>"
                )
                if len(document) <= MAX_TWIML:
                    return document
        raise AssertionError("unreachable: the routing keys alone fit")

    async def redirect(
        self, task: dict[str, Any], call_sid: str, target: Target, note: str | None, by: str = ""
    ) -> None:
        """The caller's call out of the conference into `<Enqueue>`: the new task is made."""
        await self._post(f"{self._root}/Calls/{call_sid}.json", data={"Twiml": self.twiml(task, target, note, by)})

    async def new_task(self, old_sid: str) -> str | None:
        """The SID of the task the redirect made (naming `old_sid` as the one it continues), or None if none shows up."""
        for pause in FIND_TRIES:
            if pause:
                await self._sleep(pause)
            found = await self._list(
                self._tasks,
                "tasks",
                5,
                EvaluateTaskAttributes=f'transferredFromTaskSid == "{old_sid}"',
                Ordering="DateCreated:desc",
            )
            sids = [t.get("sid") for t in found if isinstance(t, dict)]
            new = next((s for s in sids if isinstance(s, str) and records.is_sid("WT", s) and s != old_sid), None)
            if new is not None:
                return new
        return None

    @staticmethod
    def reason(target: Target) -> str:
        """The old task's `Reason` when it is completed: the transfer, as its record in TaskRouter."""
        kind = "queue" if target.kind == TargetKind.QUEUE else "agent"
        return f"Transferred to {kind} {target.name or target.id}"
