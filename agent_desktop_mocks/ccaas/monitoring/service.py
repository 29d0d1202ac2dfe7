"""Monitoring sessions: who watches which contact in which mode, kept in SQLite and in memory (for the
conversation service, which asks on every event who else must see it: `watchers`).

Every change runs in one transaction of the CCaaS database (the conversation service's, which shares the
connection) and is published as an event once committed. A contact that leaves its agent (after-contact
work, a transfer, an abandon) ends its monitoring (`on_engine_events`, after the engine's commit); at start the
sessions stored are taken up again and those whose contact ended meanwhile are closed (`restore`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.conversations.limits import LimitError, check_message
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import DIGITAL, MessageEvent, ParticipantEvent, TranscriptItem
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, Channel, Contact
from agent_desktop_mocks.ccaas.monitoring.schemas import (
    CustomerView,
    MonitorChange,
    MonitorEvent,
    Monitoring,
    MonitorMode,
    Participant,
    Participants,
)
from agent_desktop_mocks.ccaas.monitoring.store import MonitoringStore
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, Invalid, NotFound, agent_topic
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_pci import mask_pci


def monitor_topic(supervisor_id: str) -> str:
    """The stream of one supervisor's monitoring: the contacts they watch, every event of each."""
    return f"monitor:{supervisor_id}"


class MonitoringService:
    def __init__(
        self,
        store: MonitoringStore,
        conversations: ConversationService,
        supervisors: Iterable[SupervisorRow],
        *,
        announce: bool = False,
    ) -> None:
        self.store = store
        self.conversations = conversations
        self.engine: Engine = conversations.engine
        self.events = conversations.events
        self.clock = conversations.clock
        self.supervisors = {row.id: row for row in supervisors}
        self.announce = announce
        self._sessions: dict[str, dict[str, Monitoring]] = defaultdict(dict)  # contact id → supervisor id → session
        conversations.watchers = self.watchers

    # --- who may -----------------------------------------------------------------

    def supervisor(self, who: Principal) -> SupervisorRow:
        if who.role != "supervisor":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only a supervisor may monitor, whisper or barge")
        row = self.supervisors.get(who.subject)
        if row is None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "this supervisor may monitor no queue")
        return row

    def _contact_for(self, contact_id: str, who: Principal) -> tuple[SupervisorRow, Contact]:
        row = self.supervisor(who)
        contact = self.engine.read.contact(contact_id)
        if not row.may_monitor(contact.queue_id):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"contact {contact_id} is in the {contact.queue_name} queue, outside your queues "
                f"({', '.join(row.queues)})",
            )
        return row, contact

    # --- what the streams need ---------------------------------------------------------

    def watchers(self, contact_id: str) -> list[str]:
        """The monitoring streams an event of this contact goes to."""
        return [monitor_topic(s) for s in sorted(self._sessions.get(contact_id, {}))]

    def _agent_told(self, *modes: MonitorMode | None) -> bool:
        """The agent learns of a supervisor when the policy announces monitoring, or when one whispers or barges."""
        return self.announce or any(mode in ("whisper", "barge") for mode in modes)

    def _publish(
        self, change: MonitorChange, session: Monitoring, previous: MonitorMode | None, reason: str | None = None
    ) -> None:
        mode = None if change == "supervisor_left" else session.mode
        event = MonitorEvent(
            type=change,
            contact_id=session.contact_id,
            channel=session.channel,
            agent_id=session.agent_id,
            supervisor_id=session.supervisor_id,
            supervisor_name=session.supervisor_name,
            mode=mode,
            previous_mode=previous,
            reason=reason,
            at=self.clock.now(),
        )
        topics = [
            monitor_topic(s) for s in sorted({*self._sessions.get(session.contact_id, {}), session.supervisor_id})
        ]
        if session.agent_id and self._agent_told(mode, previous):
            topics.append(agent_topic(session.agent_id))
        self.events.publish(topics, event.type, event.model_dump(mode="json"))

    # --- requests ----------------------------------------------------------------------

    def sessions_of(self, who: Principal) -> list[Monitoring]:
        row = self.supervisor(who)
        return [s for by in self._sessions.values() for sid, s in by.items() if sid == row.id]

    def join(self, contact_id: str, who: Principal, mode: MonitorMode) -> Monitoring:
        """Join the contact in `mode`, or change the mode of a supervisor already on it (PUT: the same again
        changes nothing)."""
        row, contact = self._contact_for(contact_id, who)
        if contact.state not in TALKING:
            raise Conflict(
                f"contact is {contact.state.value}: only a contact in progress can be monitored", contact.state
            )
        current = self._sessions.get(contact_id, {}).get(row.id)
        if current is not None and current.mode == mode:
            return current
        with self.conversations.transaction():
            return self._set_mode(row, contact, current, mode)

    def _set_mode(
        self, row: SupervisorRow, contact: Contact, current: Monitoring | None, mode: MonitorMode
    ) -> Monitoring:
        now = self.clock.now()
        previous = current.mode if current else None
        session = Monitoring(
            contact_id=contact.id,
            channel=contact.channel,
            queue_id=contact.queue_id,
            agent_id=contact.agent_id,
            supervisor_id=row.id,
            supervisor_name=row.name,
            mode=mode,
            since=current.since if current else now,
            mode_since=now,
        )
        self._sessions[contact.id][row.id] = session
        self.store.save(session)
        self._publish("supervisor_mode_changed" if current else "supervisor_joined", session, previous)
        record = self.conversations.active(contact.id)
        if record is not None and (mode == "barge") != (previous == "barge"):
            self._customer_sees(record, session, joined=mode == "barge")
        return session

    def leave(self, contact_id: str, who: Principal) -> None:
        row, _ = self._contact_for(contact_id, who)
        session = self._sessions.get(contact_id, {}).get(row.id)
        if session is None:
            raise NotFound("monitoring of contact", contact_id)
        with self.conversations.transaction():
            self._end(session, "left")

    def _end(self, session: Monitoring, reason: str) -> None:
        record = self.conversations.active(session.contact_id)
        if record is not None and session.mode == "barge":
            self._customer_sees(record, session, joined=False)
        self._publish("supervisor_left", session, session.mode, reason)
        by = self._sessions.get(session.contact_id, {})
        by.pop(session.supervisor_id, None)
        if not by:
            self._sessions.pop(session.contact_id, None)
        self.store.delete(session.contact_id, session.supervisor_id)

    def _customer_sees(self, record: ConversationRecord, session: Monitoring, *, joined: bool) -> None:
        """A barging supervisor is a participant of the conversation: joined and left are in the transcript."""
        name = session.supervisor_name
        kind: Literal["participant_joined", "participant_left"] = "participant_joined" if joined else "participant_left"
        text = f"{name} joined the conversation" if joined else f"{name} left the conversation"
        item = self.conversations.add_item(
            record, "supervisor", name, text, kind=kind, participant_id=session.supervisor_id
        )
        self.conversations.publish(record, ParticipantEvent(type=kind, contact_id=record.contact_id, item=item))
        self.conversations.store.save(record)

    def whisper(self, contact_id: str, who: Principal, text: str) -> TranscriptItem:
        """A line only the agent (and supervisors watching) see; joins in whisper mode if monitoring only."""
        return self._say(contact_id, who, text, whisper=True)

    def barge_message(self, contact_id: str, who: Principal, text: str) -> TranscriptItem:
        """The supervisor writes to the customer, under their own name; barges in first if not barging."""
        return self._say(contact_id, who, text, whisper=False)

    def _say(self, contact_id: str, who: Principal, text: str, *, whisper: bool) -> TranscriptItem:
        row, contact = self._contact_for(contact_id, who)
        session = self._sessions.get(contact_id, {}).get(row.id)
        if session is None:
            raise Conflict("join the contact first (PUT /v1/contacts/{id}/monitoring)", "not_monitoring")
        if contact.channel not in DIGITAL:
            raise NotFound("conversation of contact", contact_id)
        record = self.conversations.active(contact_id)
        if record is None or contact.state not in TALKING:
            raise Conflict("the conversation has ended", "closed")
        try:
            check_message(record.channel, text, None)
        except LimitError as error:
            raise Invalid(error.field, str(error), {"characters": len(text)}) from error
        wanted: MonitorMode = "whisper" if whisper else "barge"
        with self.conversations.transaction():
            if whisper and session.mode == "monitor" or not whisper and session.mode != "barge":
                session = self._set_mode(row, contact, session, wanted)
                record = self.conversations.active(contact_id) or record  # the joined item is in it now
            item = self.conversations.add_item(
                record,
                "supervisor",
                row.name,
                mask_pci(text),
                kind="whisper" if whisper else "message",
                participant_id=row.id,
            )
            event = MessageEvent(
                contact_id=contact_id,
                item=item,
                inactivity_deadline=None if whisper else record.inactivity_deadline,
                awaiting_reply_since=record.awaiting_reply_since,  # a supervisor's line leaves it to the agent
            )
            self.conversations.publish(record, event)
            self.conversations.store.save(record)
        return item

    def take_over(self, contact_id: str, who: Principal, *, softphone: bool) -> Contact:
        """The supervisor on a call takes it over from its agent: the agent's part ends (`ended_by: takeover`, their
        wrap-up begins), the call goes on at the supervisor's softphone (`softphone`: one is registered). Refused,
        saying why: not a call (422), a call no longer in progress, one the supervisor is not on, no softphone (409)."""
        row, contact = self._contact_for(contact_id, who)
        if contact.channel != Channel.VOICE:
            raise Invalid(
                "contact_id",
                f"contact {contact_id} is a {contact.channel.value}: only a call is taken over",
                contact_id,
            )
        if contact.state not in TALKING:
            raise Conflict(
                f"contact is {contact.state.value}: only a call in progress can be taken over", contact.state
            )
        if row.id not in self._sessions.get(contact_id, {}):
            raise Conflict(
                "you are not on this call: monitor it first (PUT /v1/contacts/{id}/monitoring), then take it over",
                "not_monitoring",
            )
        if not softphone:
            raise Conflict(
                "you have no softphone registered (PUT /v1/supervisor/softphone): the call would ring nowhere",
                "no_softphone",
            )
        return self.engine.contacts.take_over(contact_id, row.id, row.name)

    def participants(self, contact_id: str, who: Principal) -> Participants:
        """Everyone on the contact. Its agent sees a silent monitor only when the policy announces it."""
        contact = self.engine.read.contact(contact_id)
        if who.role == "supervisor":
            self._contact_for(contact_id, who)
        elif who.role != "agent" or contact.agent_id != who.subject:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not your contact")
        record = self.conversations.store.get(contact_id)
        people = [
            Participant(
                id=contact.from_address, role="customer", name=record.customer_name if record else contact.from_address
            )
        ]
        if contact.agent_id and contact.state in TALKING:
            people.append(Participant(id=contact.agent_id, role="agent", name=self._agent_name(contact.agent_id)))
        for session in self._sessions.get(contact_id, {}).values():
            if who.role == "supervisor" or self._agent_told(session.mode):
                people.append(
                    Participant(
                        id=session.supervisor_id,
                        role="supervisor",
                        name=session.supervisor_name,
                        mode=session.mode,
                        since=session.since,
                        mode_since=session.mode_since,
                    )
                )
        return Participants(
            contact_id=contact.id,
            channel=contact.channel,
            queue_id=contact.queue_id,
            state=contact.state,
            agent_id=contact.agent_id,
            announced=self.announce,
            participants=people,
        )

    def customer_view(self, contact_id: str, who: Principal) -> CustomerView:
        """The customer's side of the conversation (as the web chat widget or gateway shows it); the
        contact center's own token stands for it, as for `customer-messages`."""
        if who.role != "supervisor":
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, "only the contact center's own side may see what the customer sees"
            )
        self._contact_for(contact_id, who)  # a supervisor of its queue
        record = self.conversations.store.get(contact_id)
        if record is None:
            raise NotFound("conversation of contact", contact_id)
        items, _ = self.conversations.store.page(contact_id, None, 10_000)
        shown = [item for item in items if item.kind != "whisper"]
        names = [record.customer_name]
        if record.agent_id:
            names.append(record.agent_name or record.agent_id)
        names += [s.supervisor_name for s in self._sessions.get(contact_id, {}).values() if s.mode == "barge"]
        read = f"m-{record.agent_last_read:06d}" if record.agent_last_read else None
        return CustomerView(contact_id=contact_id, participants=names, items=shown, read_up_to_item_id=read)

    # --- the engine's side ------------------------------------------------------------------

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        """A contact monitored left its agent (after-contact work, transfer, abandon): its supervisors leave."""
        ended = [
            session
            for event in events
            if isinstance(event, ContactChanged) and event.contact.state not in TALKING
            for session in list(self._sessions.get(event.contact.id, {}).values())
        ]
        if ended:
            with self.conversations.transaction():
                for session in ended:
                    if session.supervisor_id in self._sessions.get(session.contact_id, {}):
                        self._end(session, _why_ended(events, session))

    def restore(self) -> None:
        """Take up the sessions stored by an earlier run; close those whose contact is no longer in progress."""
        stale = []
        for session in self.store.all():
            self._sessions[session.contact_id][session.supervisor_id] = session
            try:
                in_progress = self.engine.read.contact(session.contact_id).state in TALKING
            except NotFound:
                in_progress = False
            if not in_progress:
                stale.append(session)
        if stale:
            with self.conversations.transaction():
                for session in stale:
                    self._end(session, "contact_ended")

    def _agent_name(self, agent_id: str) -> str:
        try:
            return self.engine.read.agent(agent_id).name
        except NotFound:
            return agent_id


def _why_ended(events: list[DomainEvent], session: Monitoring) -> str:
    """Why a session on a contact ended: its supervisor took the call over, or the contact left its agent."""
    for event in events:
        if isinstance(event, ContactChanged) and event.contact.id == session.contact_id:
            taken = event.contact.taken_over_by
            if taken is not None and taken.supervisor_id == session.supervisor_id:
                return "taken_over"
    return "contact_ended"
