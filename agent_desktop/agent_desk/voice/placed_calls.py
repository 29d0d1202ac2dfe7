"""Calls the agent places: the dial pad's number (kept for next time, or the card's), its caller ID
chosen per queue from the contact center's list, the number checked in the desk's region before it is dialled
(domain/dialled_number.py), and the call placed: a voice contact in hand, its own row, wrap-up and write-back as an
inbound call's. A refusal, the desk's or the contact center's, is said in the dial pad and the number stays there.
A colleague of the experts' directory called at their softphone (`C`) is placed the same way, refused in words when
they are not free (domain/calls/colleague_call.py) or the contact center cannot ring them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agent_desktop.agent_desk.callers.lookups import CallerLookup
from agent_desktop.agent_desk.changes import Effect
from agent_desktop.agent_desk.experts.directory import ExpertDirectory
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.agent_desk.voice.softphone_use_cases import SoftphoneUseCases
from agent_desktop.domain.calls.caller_id import is_withheld
from agent_desktop.domain.calls.colleague_call import colleague_call_refusal
from agent_desktop.domain.dialled_number import dialled_number
from agent_desktop.domain.dialling_protocol import PlacedCall
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats import phone_format
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Agent, Contact, Queue
from agent_desktop.domain.vocabulary import Channel


@dataclass(frozen=True)
class CallerIdChoice:
    """A number a call may show, for one queue (the queue's first is its default)."""

    queue_id: str
    queue_name: str
    caller_id: str


class PlacedCallsDesk(DeskNotices, Protocol):
    """The desk as placing a call reads it (desk/model.py's Desk): the agent and their queues, the card on screen and
    the selected contact (where the dial pad's first number comes from)."""

    @property
    def agent(self) -> Agent | None: ...

    @property
    def queues(self) -> dict[str, Queue]: ...

    def popped_lookup(self) -> CallerLookup | None: ...

    def selected_contact(self) -> Contact | None: ...

    @property
    def directory(self) -> ExpertDirectory: ...

    def apply_answer(self, contact: Contact) -> list[Effect]: ...


class PlacedCalls(DeskUseCase[PlacedCallsDesk]):
    def __init__(self, controller: UseCaseHost[PlacedCallsDesk], sound: SoftphoneUseCases) -> None:
        super().__init__(controller)
        self.sound = sound
        self.kept_number = ""  # what the dial pad held when it closed without a call: shown when it opens again
        self.kept_choice: CallerIdChoice | None = None

    def first_number(self) -> str:
        """The dial pad's number as it opens: what was typed and kept, else the phone of the card on screen (its
        customer's first, else the selected call's caller), else nothing."""
        if self.kept_number:
            return self.kept_number
        lookup = self.desk.popped_lookup()
        if lookup is not None and lookup.record is not None and lookup.record.customer.phones:
            return lookup.record.customer.phones[0]
        contact = self.desk.selected_contact()
        if contact is not None and contact.channel is Channel.VOICE and not is_withheld(contact.from_address):
            return contact.from_address
        return ""

    def _my_queues(self) -> list[Queue]:
        """The queues the agent serves (all the desk knows if none fits their skills), the selected contact's first."""
        agent = self.desk.agent
        skills = set(agent.skills) if agent is not None else set()
        queues = [q for q in self.desk.queues.values() if set(q.skills) <= skills] or list(self.desk.queues.values())
        contact = self.desk.selected_contact()
        queues.sort(key=lambda q: contact is None or q.id != contact.queue_id)
        return queues

    async def caller_ids(self) -> list[CallerIdChoice] | str:
        """Each caller ID of the queues the agent serves, the selected contact's queue first (its first number is
        the default); or why there is none, in words."""
        queues = self._my_queues()
        choices: list[CallerIdChoice] = []
        try:
            for queue in queues:
                numbers = await self.ports.dialler.caller_ids(queue.id)
                choices += [CallerIdChoice(queue.id, queue.name, number) for number in numbers]
        except BackendError as error:
            return error.message
        return choices or "None of your queues has a caller ID to call from."

    async def place(self, typed: str, choice: CallerIdChoice | None) -> str | None:
        """The number typed called from `choice`'s queue with its caller ID: None once placed, else why not (the
        number is kept for the dial pad either way until a call goes)."""
        self.kept_number, self.kept_choice = typed, choice
        if choice is None:
            return "Choose a caller ID to call from."
        read = dialled_number(typed, phone_format.region())
        if read.number is None:
            return read.why
        try:
            placed = await self.ports.dialler.place_call(read.number, choice.queue_id, choice.caller_id)
        except BackendError as error:
            return error.message
        self.kept_number = ""
        shown = phone_format.shown_phone(placed.contact.from_address)
        self.desk.notice(f"Calling {shown} from {choice.queue_name}.", "Call")
        self._dial(placed)
        return None

    async def call_back(self) -> None:
        """The caller of the voicemail in hand called back, from its queue's first caller ID (else the first of the
        agent's queues): placed as the dial pad places a call; a refusal said."""
        contact = self.desk.selected_contact()
        if contact is None or contact.voicemail is None:
            return
        choices = await self.caller_ids()
        why = choices if isinstance(choices, str) else None
        if not isinstance(choices, str):
            choice = next((c for c in choices if c.queue_id == contact.queue_id), choices[0])
            why = await self.place(contact.voicemail.number, choice)
        if why is not None:
            self.kept_number = ""  # the dial pad is not where this number was typed
            self.desk.notice(f"The call back was not placed: {why}", "Call back", "error")

    async def call_colleague(self, person_id: str) -> None:
        """A colleague of the directory called at their softphone: a contact in hand named for them, wrapped up in the
        first of the agent's queues; refused in words, by their presence as the directory has it now or by the
        contact center (no softphone, already on a call), with nothing typed anywhere touched."""
        expert = self.desk.directory.expert(person_id)
        if expert is None:
            return
        name = one_line(expert.name, 40)
        why = colleague_call_refusal(expert)
        queues = self._my_queues()
        if why is None and not queues:
            why = "you serve no queue to wrap the call up in."
        if why is not None or expert.address is None:
            self.desk.notice(f"Not called: {why}", f"Call {name}", "error")
            return
        try:
            called = one_line(expert.name, 200)  # the contact center keeps a name of at most 200 characters
            placed = await self.ports.colleagues.place_internal_call(expert.address, called, queues[0].id)
        except BackendError as error:
            self.desk.notice(f"Not called: {error.message}", f"Call {name}", "error")
            return
        self.desk.notice(f"Calling {name} (internal).", "Call")
        self._dial(placed)

    def _dial(self, placed: PlacedCall) -> None:
        """The placed call in hand from the contact center's answer, then the agent's leg dialled on the softphone,
        matched to it as it rings: a leg that rang before the contact's event came matched no contact and stayed so."""
        self._carry_out(self.desk.apply_answer(placed.contact))
        if placed.dial_uri is not None:
            self._spawn(self.sound.dial(placed.dial_uri))

    def closed(self, typed: str, choice: CallerIdChoice | None) -> None:
        """The dial pad left without a call: what it held is shown when it opens again."""
        self.kept_number, self.kept_choice = typed, choice
