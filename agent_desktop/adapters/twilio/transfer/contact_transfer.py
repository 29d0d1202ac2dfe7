"""A blind transfer of a contact in this desk's hands (TaskRouter makes a new task of it), and the tasks it made:
the callbacks of a transferred task read as the contact going on under the new one. A part of `TwilioContactCenter`
(contact_center.py), which builds it and which it sees only as `TransferHost`; the Flex Invite and the call's `<Enqueue>` are transfers.py and
voice_transfer.py."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Protocol

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.calls.call_hold import CallHold
from agent_desktop.adapters.twilio.calls.call_transcription import CallTranscription
from agent_desktop.adapters.twilio.calls.voice import TwilioVoice
from agent_desktop.adapters.twilio.transfer.flex_transfer import TwilioTransfers
from agent_desktop.adapters.twilio.transfer.voice_transfer import TwilioVoiceTransfer
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact, Target
from agent_desktop.domain.vocabulary import TALKING, Channel, ContactState

TRANSFERS_KEPT = 200  # tasks this desk transferred, remembered so their completion reads as the contact moving on


class TransferHost(Protocol):
    """The contact center as a transfer sees it (contact_center.py's TwilioContactCenter): how it reads and posts a
    task, the contacts in hand, what it remembers of answered and held tasks, the agent's name, and the parts a
    transfer goes through (Flex Invite, the call's `<Enqueue>`, its conference and transcription). The center
    builds its parts; they never import it."""

    @property
    def name(self) -> str: ...

    @property
    def _ws(self) -> str: ...

    @property
    def _agent_name(self) -> str: ...

    @property
    def _answered(self) -> dict[str, datetime]: ...

    @property
    def _call_hold(self) -> CallHold: ...

    @property
    def _voice(self) -> TwilioVoice: ...

    @property
    def _voice_transfer(self) -> TwilioVoiceTransfer: ...

    @property
    def _transfers(self) -> TwilioTransfers: ...

    @property
    def _transcription(self) -> CallTranscription | None: ...

    async def _post(self, url: str, **kwargs: Any) -> dict[str, Any]: ...

    async def _task(self, task_sid: str) -> tuple[dict[str, Any], str]: ...

    def _task_url(self, contact_id: str) -> str: ...

    def _contact(self, task: dict[str, Any]) -> Contact: ...

    async def list_contacts(self) -> list[Contact]: ...


class ContactTransfer:
    def __init__(self, center: TransferHost) -> None:
        self.center = center
        self.transferred: dict[str, str] = {}  # task SID → the task its Flex Interactions Invite made (transfers)
        # Task SIDs being transferred now (the new task not known yet), each set once it is known or the transfer failed.
        self.moving: dict[str, asyncio.Event] = {}

    async def transfer(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """Blind, to a TaskQueue or a Worker; only a task in this worker's hands. A conversation: Flex Interactions'
        channel Invite, then this worker's participant closed (twilio_transfers.py); a call: the caller redirected
        into `<Enqueue>`, then this task completed (`_transfer_call`). Either makes a new task: the answer is the
        contact as the new task, `transferred_from` this one."""
        task, _ = await self.center._task(self.center._task_url(contact_id).rsplit("/", 1)[-1])
        if self.center._contact(task).state not in TALKING or contact_id not in {
            c.id for c in await self.center.list_contacts()
        }:
            state = records.TASK_STATE.get(task.get("assignment_status") or "", ContactState.QUEUED).value
            raise BackendError(self.center.name, f"409 contact is {state}", 409, state)
        self.moving[contact_id] = asyncio.Event()  # its task completes as part of the transfer: not completed here
        try:
            if records.channel(task) == Channel.VOICE.value:
                found, completed = await self._transfer_call(task, target, note)
                if (
                    found is None
                ):  # the call moved, but its new task did not show up: this one is completed all the same
                    return self.center._contact(completed)
                new_sid = found
            else:
                new_sid = await self.center._transfers.transfer(task, target, note, self.center._agent_name)
        finally:
            self.moving.pop(contact_id).set()
        self.transferred[contact_id] = new_sid
        while len(self.transferred) > TRANSFERS_KEPT:
            self.transferred.pop(next(iter(self.transferred)))
        self.center._answered.pop(contact_id, None)
        self.center._call_hold.held_since.pop(contact_id, None)
        return await self.moved_on(contact_id)

    async def _transfer_call(
        self, task: dict[str, Any], target: Target, note: str | None
    ) -> tuple[str | None, dict[str, Any]]:
        """The caller redirected into `<Enqueue>` (a new task for the call), then this task completed with the
        transfer as its reason (the sequence diagram: "complete original task (or move to wrap)": completed, as the
        agent is free at once, as on every backend; the Reason is the record); the new task's SID (None: not found
        after the redirect, the call moved all the same) and this task completed."""
        call = self.center._voice.call_sid(task)
        if call is None or await self.center._voice.conference(task) is None:
            raise BackendError(
                self.center.name, "409 the call is in no conference (not bridged, or ended): nothing to transfer", 409
            )
        if self.center._transcription is not None:  # the next desk starts its own once it takes the call
            await self.center._transcription.stop(task["sid"])
        await self.center._voice_transfer.redirect(task, call, target, note, self.center._agent_name)
        self.center._voice.forget(task["sid"])  # the caller left: the conference has ended
        new_sid = await self.center._voice_transfer.new_task(task["sid"])
        completed = await self.center._post(
            f"{self.center._ws}/Tasks/{task['sid']}",
            data={"AssignmentStatus": "completed", "Reason": self.center._voice_transfer.reason(target)},
        )
        return new_sid, completed

    async def moved_on(self, contact_id: str) -> Contact:
        """The contact as the task a transfer of `contact_id` made (out of this desk's hands unless offered here)."""
        new, _ = await self.center._task(self.transferred[contact_id])
        return records.contact(new, None).model_copy(update={"transferred_from": contact_id})
