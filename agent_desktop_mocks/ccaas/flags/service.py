"""Flags and broadcasts: who may raise, answer and close a flag, who a broadcast goes to, and the events of each.

Every change runs in one transaction of the CCaaS database (the conversation service's) and is published once
committed: a flag's to its agent's stream and the supervisor stream (kept there to the contact's queue's
supervisors by the stream's scope), a broadcast to each targeted agent's stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import IN_HAND
from agent_desktop_mocks.ccaas.flags.schemas import Broadcast, BroadcastEvent, Flag, FlagChange, FlagEvent, FlagLine
from agent_desktop_mocks.ccaas.flags.store import FlagStore
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, NotFound, agent_topic
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC
from agent_desktop_mocks.ccaas.tables.supervisor_access import check_row_queue, supervisor_row
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_pci import mask_arriving


class FlagService:
    def __init__(self, store: FlagStore, conversations: ConversationService, supervisors: Iterable[SupervisorRow]):
        self.store = store
        self.conversations = conversations
        self.engine: Engine = conversations.engine
        self.events = conversations.events
        self.clock = conversations.clock
        self.supervisors = {row.id: row for row in supervisors}
        self._flags: dict[str, Flag] = {flag.id: flag for flag in store.all()}
        self._broadcasts = 0

    # --- who may -----------------------------------------------------------------------

    def _supervisor(self, who: Principal) -> SupervisorRow:
        return supervisor_row(self.supervisors, who)

    def _check_queue(self, row: SupervisorRow, queue_id: str, what: str) -> None:
        check_row_queue(row, queue_id, what)

    def flag(self, flag_id: str, who: Principal) -> Flag:
        """The flag, if `who` is its agent or a supervisor of its contact's queue."""
        flag = self._flags.get(flag_id)
        if flag is None:
            raise NotFound("flag", flag_id)
        if who.role == "agent":
            if who.subject != flag.agent_id:
                raise HTTPException(status.HTTP_403_FORBIDDEN, "not your flag")
        else:
            self._check_queue(self._supervisor(who), flag.queue_id, f"flag {flag_id}")
        return flag

    # --- requests ----------------------------------------------------------------------

    def flags_of(self, who: Principal) -> list[Flag]:
        """An agent's own flags, open and closed; a supervisor's: the open flags of their queues. Oldest first."""
        if who.role == "agent":
            mine = [f for f in self._flags.values() if f.agent_id == who.subject]
        else:
            row = self._supervisor(who)
            mine = [f for f in self._flags.values() if f.state == "open" and row.may_monitor(f.queue_id)]
        return sorted(mine, key=lambda f: (f.raised_at, f.id))

    def raise_flag(self, contact_id: str, who: Principal, text: str) -> Flag:
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the contact's agent raises a flag on it")
        contact = self.engine.read.contact(contact_id)
        if contact.agent_id != who.subject:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "not your contact")
        if contact.state not in IN_HAND:
            raise Conflict(f"contact is {contact.state.value}: a flag is raised on a contact in hand", contact.state)
        if any(f.contact_id == contact_id and f.state == "open" for f in self._flags.values()):
            raise Conflict(f"contact {contact_id} already has an open flag: add a line to it", "flagged")
        now = self.clock.now()
        agent = self.engine.read.agent(who.subject)
        line = FlagLine(author="agent", author_id=agent.id, name=agent.name, text=text, at=now)
        flag = Flag(
            id=f"f-{len(self._flags) + 1:06d}",
            contact_id=contact_id,
            queue_id=contact.queue_id,
            channel=contact.channel,
            agent_id=agent.id,
            agent_name=agent.name,
            raised_at=now,
            lines=[line],
        )
        return self._save("flag_raised", flag)

    def add_line(self, flag_id: str, who: Principal, text: str) -> Flag:
        flag = self.flag(flag_id, who)
        if flag.state == "closed":
            raise Conflict(f"flag {flag_id} is closed", "closed")
        if who.role == "agent":
            author_id, name = flag.agent_id, flag.agent_name
        else:
            row = self._supervisor(who)
            author_id, name = row.id, row.name
        lines, text = _thread_with(flag.lines, author_id, text)
        line = FlagLine(
            author="agent" if who.role == "agent" else "supervisor",
            author_id=author_id,
            name=name,
            text=text,
            at=self.clock.now(),
        )
        return self._save("flag_line", flag.model_copy(update={"lines": [*lines, line]}))

    def close(self, flag_id: str, who: Principal) -> Flag:
        flag = self.flag(flag_id, who)
        if flag.state == "closed":
            raise Conflict(f"flag {flag_id} is closed", "closed")
        name = flag.agent_name if who.role == "agent" else self._supervisor(who).name
        return self._close(flag, name)

    def _close(self, flag: Flag, by: str) -> Flag:
        closed = flag.model_copy(update={"state": "closed", "closed_at": self.clock.now(), "closed_by": by})
        return self._save("flag_closed", closed)

    def _save(self, change: FlagChange, flag: Flag) -> Flag:
        with self.conversations.transaction():
            self._flags[flag.id] = flag
            self.store.save(flag)
            event = FlagEvent(type=change, contact_id=flag.contact_id, flag=flag, at=self.clock.now())
            self.events.publish([SUPERVISOR_TOPIC, agent_topic(flag.agent_id)], change, event.model_dump(mode="json"))
        return flag

    def broadcast(self, who: Principal, text: str, minutes: float, queue_id: str | None) -> Broadcast:
        """To the agents who serve the queue (its skills), or every queue of the supervisor's (their team)."""
        row = self._supervisor(who)
        if queue_id is not None:
            self.engine.read.queue(queue_id)  # 404 for a queue that is not
            self._check_queue(row, queue_id, "the queue")
            queues = [queue_id]
        else:
            queues = [q.id for q in self.engine.read.queues() if row.may_monitor(q.id)]
        agents = sorted({agent for queue in queues for agent in self.engine.read.eligible_agents(queue)})
        now = self.clock.now()
        self._broadcasts += 1
        sent = Broadcast(
            id=f"b-{self._broadcasts:06d}",
            supervisor_id=row.id,
            supervisor_name=row.name,
            text=text,
            queue_id=queue_id,
            sent_at=now,
            expires_at=now + timedelta(minutes=minutes),
            agent_ids=agents,
        )
        if agents:
            with self.conversations.transaction():
                shown = sent.model_copy(update={"agent_ids": []})  # an agent is not told who else got it
                data = BroadcastEvent(broadcast=shown).model_dump(mode="json")
                self.events.publish([agent_topic(a) for a in agents], "broadcast", data)
        return sent

    # --- the engine's side ------------------------------------------------------------------

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        """A contact that completed (or was abandoned) closes its open flag: help on it is over."""
        ended = {e.contact.id for e in events if isinstance(e, ContactChanged) and e.contact.state not in IN_HAND}
        for flag in [f for f in self._flags.values() if f.state == "open" and f.contact_id in ended]:
            self._close(flag, "contact_ended")


def _thread_with(lines: list[FlagLine], author_id: str, text: str) -> tuple[list[FlagLine], str]:
    """The thread's lines and a new line of `author_id`'s, masked as one person's run of messages (each line was
    masked alone as it arrived): a card number split over two of their lines ("4111 1111" then "1111 1111") is
    masked in both, as the contact center masks a party's chat messages."""
    theirs = [at for at, line in enumerate(lines) if line.author_id == author_id]
    rewritten, masked = mask_arriving([lines[at].text for at in theirs], text)
    kept = list(lines)
    for at, now in zip(theirs, rewritten, strict=True):
        if now != kept[at].text:
            kept[at] = kept[at].model_copy(update={"text": now})
    return kept, masked
