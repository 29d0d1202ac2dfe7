"""Voice on Twilio for the Twilio contact center: the call's conference as TaskRouter's conference instruction
makes it (twilio_taskrouter_v1.yaml, twilio_api_v2010.yaml; doc links in docs/vendors/twilio-voice.md).

A voice reservation is accepted with `Instruction=conference` while it is still pending (a bare
`ReservationStatus=accepted` connects no call): TaskRouter dials the worker (`To`, else their `contact_uri`) from
`From` and moves the caller into a conference named by the Task SID. The desk finds that conference by its
`FriendlyName` (ListConference, in progress) and the customer's leg by the task's `call_sid` (what `<Enqueue>`
puts there); hold is that participant's `Hold`; hanging up ends the conference (`Status=completed`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from agent_desktop.adapters.twilio import records
from agent_desktop.domain.errors import BackendError

Get = Callable[..., Awaitable[dict[str, Any]]]
Post = Callable[..., Awaitable[dict[str, Any]]]
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
# What the desk hears of the conference when it is told (where `conference_status_callback` is set).
CONFERENCE_EVENTS = ("start", "end", "join", "leave", "hold")


class TwilioVoice:
    """`get`/`post` are the contact center's requests (auth, backoff, errors); `caller_id` the `From` of the
    worker's leg (None: the number the caller dialled, the task's `to`: a Twilio number of the account)."""

    def __init__(
        self,
        api_base_url: str,
        account_sid: str,
        caller_id: str | None,
        status_callback: str | None,
        get: Get,
        post: Post,
        name: str,
    ) -> None:
        self.root = f"{api_base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}"
        self._caller_id, self._callback = caller_id, status_callback
        self._get, self._post, self.name = get, post, name
        self._conferences: dict[str, str] = {}  # task SID → its conference's SID

    def accept_fields(self, task: dict[str, Any]) -> dict[str, Any]:
        """The conference instruction for the task's pending reservation. The agent leaving does not end the
        call (it is what a transfer would need); the customer hanging up does."""
        caller_id = self._caller_id or str(records.attributes(task).get("to") or "")
        if not PHONE.match(caller_id):  # TaskRouter refuses the instruction without one (error 40141)
            raise BackendError(
                self.name,
                "422 no caller ID for the call to the agent: set [ccaas] voice_caller_id "
                "to a Twilio number of the account (E.164, e.g. +14155550100)",
                422,
            )
        fields: dict[str, Any] = {
            "Instruction": "conference",
            "From": caller_id,
            "EndConferenceOnExit": "false",
            "EndConferenceOnCustomerExit": "true",
        }
        if self._callback:
            fields |= {
                "ConferenceStatusCallback": self._callback,
                "ConferenceStatusCallbackEvent": list(CONFERENCE_EVENTS),
            }
        return fields

    @staticmethod
    def call_sid(task: dict[str, Any]) -> str | None:
        """The caller's call, as `<Enqueue>` names it in the task's attributes."""
        sid = records.attributes(task).get("call_sid")
        return sid if isinstance(sid, str) and records.is_sid("CA", sid) else None

    async def conference(self, task: dict[str, Any]) -> str | None:
        """The SID of the task's conference not yet ended (named by the Task SID), or None; remembered, so a call
        in hand costs one request a read (its participant), not two."""
        if task["sid"] in self._conferences:
            return self._conferences[task["sid"]]
        page = await self._get(f"{self.root}/Conferences.json", FriendlyName=task["sid"], PageSize=20)
        conferences = page.get("conferences") if isinstance(page, dict) else None
        for found in conferences if isinstance(conferences, list) else []:
            sid = found.get("sid") if isinstance(found, dict) else None
            if (
                isinstance(sid, str)
                and records.is_sid("CF", sid)
                and found.get("friendly_name") == task["sid"]
                and found.get("status") in ("init", "in-progress")
            ):
                self._conferences[task["sid"]] = sid
                return sid
        return None

    def forget(self, task_sid: str) -> None:
        self._conferences.pop(task_sid, None)

    async def _customer_leg(self, task: dict[str, Any]) -> str | None:
        call, conference = self.call_sid(task), None
        if call is not None:
            conference = await self.conference(task)
        return f"{self.root}/Conferences/{conference}/Participants/{call}.json" if conference else None

    async def held(self, task: dict[str, Any]) -> bool | None:
        """Whether the customer is on hold; None where the call has no conference (not bridged, or ended)."""
        url = await self._customer_leg(task)
        if url is None:
            return None
        try:
            participant = await self._get(url)
        except BackendError as error:
            if error.status != 404:
                raise
            self.forget(task["sid"])  # the conference has ended: no hold
            return None
        return bool(participant.get("hold"))

    async def hold(self, task: dict[str, Any], hold: bool) -> bool:
        url = await self._customer_leg(task)
        try:
            if url is None:
                raise BackendError(self.name, "404 no conference", 404)
            participant = await self._post(url, data={"Hold": "true" if hold else "false"})
        except BackendError as error:
            if error.status != 404:
                raise
            self.forget(task["sid"])
            raise BackendError(
                self.name, "409 the call is in no conference (not bridged, or ended): nothing to hold", 409
            ) from None
        return bool(participant.get("hold"))

    async def hang_up(self, task: dict[str, Any]) -> None:
        """End the task's conference (every leg hangs up); nothing to do where there is none."""
        conference = await self.conference(task)
        self.forget(task["sid"])
        if conference is not None:
            await self._post(f"{self.root}/Conferences/{conference}.json", data={"Status": "completed"})
