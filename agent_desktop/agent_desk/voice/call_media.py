"""The softphone's calls as the desk holds them: each matched to a voice contact (which call carries which contact),
its media state (ringing, connected, on hold, muted, the codec) and the softphone's link (up, lost and why).

How a softphone call is matched to a contact (docs/voice.md): the contact's id where the softphone reads the caller's
`X-Agent-Desktop-Contact` header (`CallEvent.contact_hint`); else the caller's number, the user part of the From
address, against the number of a voice contact offered or in hand that has no call yet, the offered one first (baresip
1.0.0's events carry no SIP headers, so this is how the bundled softphone matches); a colleague's call (`C`) by the
user part of the address dialled against their directory address's. A call that matches no contact
waits: the offer it is for may come after it, and accepting that offer matches it then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy
from agent_desktop.domain.models import Contact
from agent_desktop.domain.vocabulary import Channel

_USER = re.compile(r"^sips?:([^@;>]*)@")
MIN_DIGITS = 3  # a number shorter than this matches nothing: "0" is no caller


class MediaState(StrEnum):
    RINGING = "ringing"
    CONNECTED = "connected"
    ON_HOLD = "on hold"
    ENDED = "ended"


class LinkState(StrEnum):
    NONE = "none"  # no softphone configured: calls have no sound
    CONNECTING = "connecting"
    UP = "up"
    LOST = "lost"


@dataclass(frozen=True)
class CallMedia:
    """One softphone call, as the call's row and area show it. `peer_name` and `reason` are untrusted text."""

    call_id: str
    state: MediaState = MediaState.RINGING
    peer_name: str = ""
    muted: bool = False
    codec: str = ""
    ended_by: EndedBy | None = None
    reason: str = ""
    lost: str = ""  # the softphone died or stopped answering mid-call: its words; the contact stays in hand
    # Each side's level as the contact center passes it on, 0..LEVEL_STEPS (0: nothing heard); `metered` once it told
    # one (a contact center that tells none, Twilio's or the in-process one, has no levels to draw).
    caller_level: int = 0
    agent_level: int = 0
    metered: bool = False

    @property
    def live(self) -> bool:
        """Up and carrying sound (connected or on hold), so its levels mean something."""
        return not self.lost and self.state in (MediaState.CONNECTED, MediaState.ON_HOLD)

    def words(self, *, codec: bool = True) -> str:
        """`connected · PCMU 8 kHz · muted`, `sound lost: …`: what the call's area says (plain text); `codec`: with
        the codec, where there is room for it."""
        if self.lost:
            return f"sound lost: {self.lost}"
        if self.state is MediaState.ENDED:
            by = {EndedBy.REMOTE: "by the caller", EndedBy.LOCAL: "here"}.get(self.ended_by or EndedBy.FAILURE)
            return f"sound ended {by}" if by else f"sound ended: {self.reason or 'failed'}"
        parts = [self.state.value]
        if self.codec and codec:
            parts.append(self.codec)
        if self.muted:
            parts.append("muted")
        return " · ".join(parts)


def caller_digits(address: str) -> str:
    """The digits of a phone number or of a SIP address's user part ("sip:+1 555@host" → "1555")."""
    found = _USER.match(address)
    return "".join(ch for ch in (found[1] if found else address) if ch.isdigit())


class SoftphoneCalls:
    """The softphone's link and its calls, by the contact each carries. Every change is announced on the desk
    (`changed`): the contact's row and its call's area are redrawn, and the status line for the link."""

    def __init__(self, changed: Callable[[], DeskChanges], *, sound: bool = False) -> None:
        self._changed = changed
        self.link = LinkState.CONNECTING if sound else LinkState.NONE
        self.link_problem = ""  # why the link is lost (the softphone's words), or what it lacks while up
        self.ringer = ""  # where its calls ring apart from the headset ("alsa,hw:1"; "": on the headset)
        self.by_contact: dict[str, CallMedia] = {}
        self.waiting: dict[str, CallEvent] = {}  # rang, matched to no contact yet: by call id

    @property
    def sound(self) -> bool:
        return self.link is not LinkState.NONE

    def contact_of(self, call_id: str) -> str | None:
        return next((cid for cid, media in self.by_contact.items() if media.call_id == call_id), None)

    def media(self, contact_id: str | None) -> CallMedia | None:
        return self.by_contact.get(contact_id or "")

    def live_call(self, contact_id: str | None) -> str | None:
        """The softphone's call of the contact, while it is up (not ended, the link not lost)."""
        media = self.media(contact_id)
        if media is None or media.lost or media.state is MediaState.ENDED:
            return None
        return media.call_id

    # --- what the softphone says -----------------------------------------------------------------------------------

    def apply(self, event: CallEvent, candidates: Iterable[Contact]) -> str | None:
        """Apply one of the softphone's events; `candidates`: the voice contacts offered or in hand, the offered one
        first. The contact it is about (None: a call matched to none yet)."""
        contact_id = self.contact_of(event.call_id)
        placed = event.kind in (CallEventKind.RINGING, CallEventKind.ESTABLISHED) and event.call_id not in self.waiting
        if (event.kind is CallEventKind.INCOMING or placed) and contact_id is None:
            contact = match(event, candidates, taken=self._taken())
            if contact is None:
                self.waiting[event.call_id] = event
                return None
            contact_id = contact.id
            state = MediaState.CONNECTED if event.kind is CallEventKind.ESTABLISHED else MediaState.RINGING
            self._set(contact_id, CallMedia(event.call_id, peer_name=event.peer_name, state=state))
            return contact_id
        if contact_id is None:
            if event.kind is CallEventKind.CLOSED:
                self.waiting.pop(event.call_id, None)
            return None
        media = self.by_contact[contact_id]
        if event.kind in (CallEventKind.ESTABLISHED, CallEventKind.MEDIA_UP) and media.state is MediaState.RINGING:
            self._set(contact_id, replace(media, state=MediaState.CONNECTED))
        elif event.kind is CallEventKind.CLOSED:
            self._set(contact_id, replace(media, state=MediaState.ENDED, ended_by=event.ended_by, reason=event.reason))
        return contact_id

    def match_waiting(self, contact: Contact) -> str | None:
        """A call that rang before its contact was offered, matched to `contact` now: its id (None: none)."""
        if contact.id in self.by_contact and self.live_call(contact.id) is not None:
            return self.by_contact[contact.id].call_id
        for call_id, event in list(self.waiting.items()):
            if match(event, [contact], taken=self._taken()) is not None:
                del self.waiting[call_id]
                self._set(contact.id, CallMedia(call_id, peer_name=event.peer_name))
                return call_id
        return None

    def _taken(self) -> set[str]:
        return {cid for cid, media in self.by_contact.items() if media.state is not MediaState.ENDED and not media.lost}

    # --- what the desk did on the softphone ------------------------------------------------------------------------

    def update(self, contact_id: str, **what: object) -> None:
        media = self.by_contact.get(contact_id)
        if media is not None:
            self._set(contact_id, replace(media, **what))  # type: ignore[arg-type]

    def link_up(self, note: str = "", ringer: str = "") -> None:
        """Up; `note`: what the softphone lacks though it runs ("no sound device"), said beside the link; `ringer`:
        the device its calls ring on, apart from the headset."""
        self.link, self.link_problem, self.ringer = LinkState.UP, note, ringer
        self._changed().links = True

    def link_lost(self, why: str) -> None:
        """The softphone died or its link broke: said on every call it carried (the contacts stay in hand)."""
        self.link, self.link_problem = LinkState.LOST, why
        self.waiting.clear()
        changes = self._changed()
        changes.links = True
        for contact_id, media in self.by_contact.items():
            if media.state is not MediaState.ENDED and not media.lost:
                self.by_contact[contact_id] = replace(media, lost=why)
                changes.contacts.add(contact_id)
                changes.calls.add(contact_id)

    def levels(self, contact_id: str, caller: int, agent: int) -> None:
        """Each side's level of the contact's call, as the contact center heard it pass: the call's area alone is
        drawn again (`levels`), only if its call is up on the softphone and a level changed."""
        media = self.by_contact.get(contact_id)
        if media is None or not media.live:
            return
        if media.metered and (media.caller_level, media.agent_level) == (caller, agent):
            return
        self.by_contact[contact_id] = replace(media, caller_level=caller, agent_level=agent, metered=True)
        self._changed().levels.add(contact_id)

    def call_lost(self, contact_id: str, why: str) -> None:
        """A command on the call that the softphone did not carry out (it did not answer in time): said on the row."""
        self.update(contact_id, lost=why)

    def forget(self, contact_ids: Iterable[str]) -> None:
        """Contacts no longer on the desk: their calls' state with them."""
        for contact_id in contact_ids:
            self.by_contact.pop(contact_id, None)

    def _set(self, contact_id: str, media: CallMedia) -> None:
        self.by_contact[contact_id] = media
        changes = self._changed()
        changes.contacts.add(contact_id)
        changes.calls.add(contact_id)


def match(event: CallEvent, candidates: Iterable[Contact], *, taken: set[str]) -> Contact | None:
    """The contact `event`'s call carries: by the header's contact id, else by the caller's number (module doc)."""
    voice = [contact for contact in candidates if contact.channel is Channel.VOICE and contact.id not in taken]
    if event.contact_hint:
        return next((contact for contact in voice if contact.id == event.contact_hint), None)
    internal = sip_user(event.peer)
    if internal and (
        colleague := next((c for c in voice if c.colleague and sip_user(c.from_address) == internal), None)
    ):
        return colleague  # a colleague called: the user part of their directory address, dialled (docs/voice.md)
    digits = caller_digits(event.peer)
    if len(digits) < MIN_DIGITS:
        return None
    return next((contact for contact in voice if caller_digits(contact.from_address) == digits), None)


def sip_user(address: str) -> str:
    """The user part of a SIP address, lower case ("sip:Jane.Doe@host" → "jane.doe"); "" for anything else."""
    found = _USER.match(address)
    return found[1].lower() if found else ""
