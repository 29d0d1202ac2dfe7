"""What the supervisor's drill-downs read and do: an agent's contacts today (kept live from the floor's stream
while open), a queue's contacts waiting and in progress, and a waiting contact moved to another queue."""

from __future__ import annotations

from typing import Protocol

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact, ContactEvent
from agent_desktop.domain.vocabulary import IN_HAND
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.refusals import refusal_words
from agent_desktop.supervisor_desk.use_case import DeskNotices, SupervisorUseCaseHost


class DrilldownDesk(DeskNotices, Protocol):
    """The supervisor's desk as the drill-downs read it (desk.py's SupervisorDesk): the floor, the agents' days open."""

    @property
    def floor(self) -> Floor: ...

    @property
    def agent_days(self) -> dict[str, dict[str, Contact]]: ...


class DrilldownUseCases:
    def __init__(self, controller: SupervisorUseCaseHost[DrilldownDesk]) -> None:
        self.controller = controller
        self.desk = controller.desk
        self.console = controller.console

    def _refused(self, error: BackendError, title: str) -> None:
        self.desk.notice(refusal_words(error), title, "error")

    # --- an agent's day ---------------------------------------------------------------

    async def open_agent_day(self, agent_id: str) -> bool:
        """Read the agent's contacts today; the floor's stream keeps them live until `close_agent_day`."""
        try:
            contacts = await self.console.agent_contacts_today(agent_id)
        except BackendError as error:
            self._refused(error, "Contacts today")
            return False
        self.desk.agent_days[agent_id] = {c.id: c for c in contacts}
        return True

    def close_agent_day(self, agent_id: str) -> None:
        self.desk.agent_days.pop(agent_id, None)

    def agent_day(self, agent_id: str) -> list[Contact]:
        """The agent's contacts today, newest first."""
        day = self.desk.agent_days.get(agent_id, {})
        return sorted(day.values(), key=lambda c: c.offered_at or c.entered_queue_at, reverse=True)

    # --- a queue's contacts ----------------------------------------------------------------

    async def load_waiting(self, queue_id: str) -> bool:
        """Read the queue's waiting contacts once; the floor's stream keeps them live from then on."""
        try:
            contacts = await self.console.waiting_contacts(queue_id)
        except BackendError as error:
            self._refused(error, "Waiting contacts")
            return False
        self.desk.floor.set_waiting(queue_id, contacts)
        return True

    def waiting(self, queue_id: str) -> list[Contact]:
        """The queue's contacts waiting, longest first."""
        return sorted(self.desk.floor.waiting.get(queue_id, {}).values(), key=lambda c: (c.entered_queue_at, c.id))

    def in_progress(self, queue_id: str) -> list[Contact]:
        """The queue's contacts in the agents' hands (talking, on hold, in wrap-up), longest handled first."""
        contacts = [
            contact
            for hand in self.desk.floor.in_hand.values()
            for contact in hand.values()
            if contact.queue_id == queue_id and contact.state in IN_HAND
        ]
        return sorted(contacts, key=lambda c: (c.answered_at or c.entered_queue_at, c.id))

    def may_move(self, queue_id: str, contact_id: str | None) -> bool:
        """Only a contact still waiting in the queue can be moved."""
        return contact_id is not None and contact_id in self.desk.floor.waiting.get(queue_id, {})

    def move_targets(self, queue_id: str) -> list[tuple[str, str]]:
        """The other queues, as (id, name), in the configured order."""
        floor = self.desk.floor
        return [(q, floor.queue_name(q)) for q in floor.queue_ids() if q != queue_id]

    async def move_contact(self, contact_id: str, queue_id: str) -> bool:
        """Move a waiting contact to another queue (it keeps its place in time)."""
        try:
            contact = await self.console.move_contact(contact_id, queue_id)
        except BackendError as error:
            self._refused(error, "Move")
            return False
        self.desk.floor.apply_contact(ContactEvent(contact=contact))  # the stream will say the same
        self.controller.told(f"{contact_id} moved to {contact.queue_name}.", "Move")
        return True
