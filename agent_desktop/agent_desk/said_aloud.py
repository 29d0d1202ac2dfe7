"""What changed without the agent's doing, as plain lines in the order it happened: an offer, a customer's message,
a caller's line heard on a call and their mood when it changes, a missed offer, a notice. The reader mode's review region shows them (agent_desktop/ui/agent/reader_log.py) so a
screen reader can read them back; the lines carry their meaning in words, never in colour or a symbol. Card data is
masked and control characters removed, as everywhere a backend's text is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import ParticipantRole

if TYPE_CHECKING:  # the desk imports its features; this reads it
    from agent_desktop.agent_desk.desk import Desk

LIMIT = 200  # characters a line keeps of a message or a subject


def _plain(text: str | None) -> str:
    return one_line(mask_pci(text or ""), LIMIT)


class SaidAloud:
    def __init__(self) -> None:
        self._offer_id: str | None = None
        self._missed_id: str | None = None
        # Contact id -> the transcript items already said or seen, for the conversations on the desk only: one that
        # leaves the desk is forgotten with it, or a reader-mode desk would keep every chat of its shift.
        self._heard: dict[str, set[str]] = {}
        # The same for the calls in hand: each caller's final line said once, and their mood as last said.
        self._call_heard: dict[str, set[str]] = {}
        self._moods: dict[str, str | None] = {}

    def lines(self, desk: Desk, changes: DeskChanges) -> list[str]:
        said: list[str] = []
        offer = desk.offer
        if offer is not None and offer.id != self._offer_id:
            self._offer_id = offer.id
            contact = offer.contact
            about = f": {_plain(contact.subject)}" if contact.subject else ""
            said.append(
                f"Offer: {contact.channel.value} from {_plain(shown_phone(contact.from_address))} in {_plain(contact.queue_name)}"
                f"{about}. a accepts, r rejects."
            )
        missed = desk.missed_offer
        if missed is not None and missed.id != self._missed_id:
            self._missed_id = missed.id
            said.append(
                f"Missed offer: {missed.contact.channel.value} from {_plain(shown_phone(missed.contact.from_address))}."
            )
        for contact_id in sorted(changes.conversations):
            said.extend(self._messages(desk, contact_id))
        for contact_id in sorted(changes.calls):
            said.extend(self._call_lines(desk, contact_id))
        for contact_id in [c for c in self._call_heard if c not in desk.held]:  # the call left the desk
            self._call_heard.pop(contact_id, None)
            self._moods.pop(contact_id, None)
        said.extend(f"{_plain(notice.title)}: {_plain(notice.text)}" for notice in changes.notices)
        return said

    def _messages(self, desk: Desk, contact_id: str) -> list[str]:
        if contact_id not in desk.conversations:  # it left the desk (finished or transferred away): nothing to say
            self._heard.pop(contact_id, None)
            return []
        items = desk.conversations.transcript(contact_id)
        heard = self._heard.get(contact_id)
        if heard is None:  # first seen: what it already held is not news, but a chat's opening message is
            self._heard[contact_id] = heard = {item.id for item in items[:-1]}
        said = []
        for item in items:
            if item.id in heard:
                continue
            heard.add(item.id)
            if item.role is ParticipantRole.CUSTOMER and item.kind == "message":
                said.append(f"Message from {_plain(item.display_name)}: {_plain(item.text)}")
        return said

    def _call_lines(self, desk: Desk, contact_id: str) -> list[str]:
        """The caller's lines heard since the last look, each once its words are final, then their mood where it
        changed ("The caller's mood: negative ↓ worse"): what the call's area shows in colour and a symbol, in words."""
        call = desk.calls.get(contact_id)
        if call is None or contact_id not in desk.held:
            return []
        heard = self._call_heard.setdefault(contact_id, set())
        said = []
        for line in call.lines:
            if line.role is ParticipantRole.CUSTOMER and line.final and line.id not in heard:
                heard.add(line.id)
                said.append(f"On the call, {_plain(line.display_name) or 'the caller'}: {_plain(line.text)}")
        if said:
            mood = call.customer_mood()
            words = mood.words if mood is not None and mood.worth_saying else None
            if words != self._moods.get(contact_id):
                self._moods[contact_id] = words
                if words is not None:
                    said.append(f"The caller's mood: {words}.")
        return said
