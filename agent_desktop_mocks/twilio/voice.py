"""The Voice side of the Twilio mock's calls: which call TaskRouter's conference instruction bridged into a
conference, and the conference's end.

As Twilio documents it (docs/vendors/twilio-voice.md): a bare `ReservationStatus=accepted` on a voice
reservation accepts it and bridges nothing; `Instruction=conference` on a *pending* one dials the worker and
moves the caller (the task's `call_sid`, put there by `<Enqueue>`) into a conference named by the Task SID.
The conference lives while its call is in hand (connected or on hold) and until it is ended
(`UpdateConference Status=completed`), or its customer's call leaves it with `EndConferenceOnCustomerExit` set (the
call redirected by UpdateCall `Twiml`: routers/calls.py), then answers `completed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact, ContactState

IN_CONFERENCE = (ContactState.CONNECTED, ContactState.ON_HOLD)
ACCOUNT_NUMBER = "+15005550006"  # the account's Twilio number the callers dial (a test number of Twilio's)


@dataclass
class Bridge:
    """One conference made by a conference instruction: `key` names its SID (`CF`) and its worker's leg (`CA`)."""

    key: str
    contact_id: str
    task_sid: str  # its FriendlyName
    agent_id: str
    to: str  # the worker's leg was dialled to this
    caller_id: str  # from this
    worker_ends_it: bool  # EndConferenceOnExit
    customer_ends_it: bool  # EndConferenceOnCustomerExit
    created: datetime
    ended: datetime | None = None
    ended_by: str | None = None  # the call whose leaving ended it (its `call_sid_ending_conference`)
    reason: str = "conference-ended-via-api"  # its `reason_conference_ended` once ended


@dataclass
class VoiceCalls:
    bridges: dict[str, Bridge] = field(default_factory=dict)  # conference key → its bridge, oldest first
    latest: dict[str, str] = field(default_factory=dict)  # contact id → its latest conference's key

    def bridge(
        self,
        contact: Contact,
        task_sid: str,
        to: str,
        caller_id: str,
        *,
        worker_ends_it: bool,
        customer_ends_it: bool,
        now: datetime,
    ) -> Bridge:
        key = f"{contact.id}:{len(self.bridges) + 1}"
        made = Bridge(
            key, contact.id, task_sid, contact.agent_id or "", to, caller_id, worker_ends_it, customer_ends_it, now
        )
        self.bridges[key], self.latest[contact.id] = made, key
        return made

    def live(self, bridge: Bridge, contact: Contact) -> bool:
        """Whether the conference is in progress: not ended, and its call still in its worker's hands."""
        return (
            bridge.ended is None
            and self.latest.get(contact.id) == bridge.key
            and contact.state in IN_CONFERENCE
            and contact.agent_id == bridge.agent_id
        )

    def end(self, bridge: Bridge, now: datetime, *, by_call: str | None = None) -> None:
        """Ended through the API, or (`by_call`) by that participant leaving with end-conference-on-exit set."""
        if bridge.ended is None:
            bridge.ended = now
            if by_call is not None:
                bridge.ended_by, bridge.reason = by_call, "participant-with-end-conference-on-exit-left"

    def bridge_of(self, contact_id: str) -> Bridge | None:
        """The contact's latest conference."""
        key = self.latest.get(contact_id)
        return self.bridges.get(key) if key is not None else None
