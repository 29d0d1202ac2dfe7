"""When things happen in a conversation: the simulated customer's receipts, typing and answers, and inactivity.

After an agent's message the customer's side delivers it (chat, SMS, email), reads it (chat
only: SMS and email have no read receipts), thinks, types (chat only: typing events) and
answers (customer.py decides what). A newer agent message before the answer restarts the
plan, and the answer then replies to everything the agent wrote since the customer's last
message. Delays are human ones divided by the mock's `speed`. The inactivity deadline
(the core sets it) ends the conversation when it passes.

Timers are typed (`TimelineTimer`), in a heap on the monotonic clock; the timeline is a part of
the server's one scheduler (common/scheduler.py): `next_due()` says when, `fire_due()` fires the due
ones, `on_scheduled` wakes the scheduler for a sooner one. Nothing here is lost by a restart:
`start()` re-arms deadlines, undelivered messages and awaited answers from what is stored.
"""

from __future__ import annotations

import heapq
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from agent_desktop_mocks.ccaas.conversations import customer as customers
from agent_desktop_mocks.ccaas.conversations import simulated_agents
from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.conversations.service import ConversationService, item_number
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, ContactState
from agent_desktop_mocks.ccaas.shell.engine import NotFound

ANSWERS_LINES = 20  # a customer answers the agent's last lines, not a whole backlog
CATCH_UP_RETRY_S = 0.5  # after the conversations failed to take in the engine's changes, try again this soon

TimelineKind = Literal["deliver", "read", "typing", "answer", "agent_line", "inactive", "catch_up", "wake", "send"]


@dataclass(frozen=True, order=True)
class TimelineTimer:
    kind: TimelineKind
    contact_id: str  # empty for `catch_up` (the service's, not a conversation's)
    token: str  # what it is for: the item id (deliver, read), the plan's generation (typing: with its seconds;
    # answer), the simulated agent's id (agent_line), the deadline (inactive), the snooze's end (wake), the
    # scheduled reply's time (send)


class Timeline:
    def __init__(
        self,
        service: ConversationService,
        *,
        speed: float = 1.0,
        simulated_agents: frozenset[str] = frozenset(),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.service = service
        self.speed = speed
        self.simulated_agents = simulated_agents  # the simulator's agents, who write scripted lines
        self._monotonic = monotonic
        self._rng = random.Random(service.seed)  # timing only: what is said does not depend on it
        self._timers: list[tuple[float, int, TimelineTimer]] = []
        self._seq = itertools.count()
        self.on_scheduled: Callable[[], None] = lambda: None  # the scheduler's `wake`
        self._plans: dict[str, int] = {}  # contact id → generation of the customer's planned answer
        self._catch_up_armed = False
        service.on_agent_message = self.agent_wrote
        service.on_joined = self.joined
        service.on_customer_message = self.customer_wrote
        service.on_waits = self.arm_waits
        self.catch_up: Callable[[], None] = lambda: None  # following.py's (wiring.py sets it, and `behind`)

    def start(self) -> None:
        """Re-arm what was under way when the server stopped."""
        for record in self.service.store.active():
            self.arm_inactivity(record)
            self.arm_waits(record)
            for _, item in self.service.store.messages(record.contact_id, "agent"):
                if item.delivered_at is None:
                    self._after(0.5, "deliver", record.contact_id, item.id)
            last = self.service.store.last_message(record.contact_id, "agent")
            if not record.customer.awaiting_reply or last is None or last.delivered_at is None:
                continue  # nothing awaited, or its delivery (re-armed above) leads to the answer
            if record.channel == Channel.CHAT and item_number(last.id) > record.customer_last_read:
                self._after(0.5, "read", record.contact_id, last.id)
            else:
                self._plan_answer(record)

    # --- reacting to the service ----------------------------------------------------

    def agent_wrote(self, record: ConversationRecord, item: TranscriptItem) -> None:
        self._after(self._rng.uniform(0.2, 0.8), "deliver", record.contact_id, item.id)
        self.arm_inactivity(record)
        if self._answers(record):  # the answer is planned once the message is delivered (read, in a chat)
            record.customer.awaiting_reply = True
            self.service.store.save(record)

    def joined(self, record: ConversationRecord) -> None:
        self.arm_inactivity(record)
        if record.agent_id in self.simulated_agents:
            self._after(self._rng.uniform(2.0, 5.0), "agent_line", record.contact_id, record.agent_id or "")

    def customer_wrote(self, record: ConversationRecord) -> None:
        self.arm_inactivity(record)
        if record.agent_id in self.simulated_agents:
            self._after(self._rng.uniform(3.0, 8.0), "agent_line", record.contact_id, record.agent_id or "")

    def behind(self) -> None:
        """The service failed to take in the engine's changes: it catches up soon (or on the engine's next change)."""
        if not self._catch_up_armed:
            self._catch_up_armed = True
            self._at(self._monotonic() + CATCH_UP_RETRY_S, "catch_up", "", "")

    def arm_inactivity(self, record: ConversationRecord) -> None:
        deadline = record.inactivity_deadline
        if deadline is not None:
            remaining = (deadline - self.service.clock.now()).total_seconds()
            self._at(self._monotonic() + max(0.0, remaining), "inactive", record.contact_id, deadline.isoformat())

    def arm_waits(self, record: ConversationRecord) -> None:
        """The snooze's end and the scheduled reply's time (a stale timer finds its token changed and does nothing)."""
        now = self.service.clock.now()
        if record.snoozed_until is not None:
            remaining = (record.snoozed_until - now).total_seconds()
            self._at(
                self._monotonic() + max(0.0, remaining), "wake", record.contact_id, record.snoozed_until.isoformat()
            )
        if record.scheduled_reply is not None:
            send_at = record.scheduled_reply.send_at
            remaining = (send_at - now).total_seconds()
            self._at(self._monotonic() + max(0.0, remaining), "send", record.contact_id, send_at.isoformat())

    # --- timers -----------------------------------------------------------------------

    def next_due(self) -> float | None:
        return self._timers[0][0] if self._timers else None

    def fire_due(self) -> None:
        now = self._monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, timer = heapq.heappop(self._timers)
            if timer.kind == "catch_up":
                self._catch_up_armed = False
                if self.service.behind:
                    self.catch_up()  # its own transaction; failing, it asks for another try
                continue
            record = self.service.active(timer.contact_id)
            if record is None:
                continue  # the conversation ended
            with self.service.transaction():
                self._fire[timer.kind](self, record, timer.token)

    def _at(self, due: float, kind: TimelineKind, contact_id: str, token: str) -> None:
        heapq.heappush(self._timers, (due, next(self._seq), TimelineTimer(kind, contact_id, token)))
        self.on_scheduled()

    def _after(self, human_s: float, kind: TimelineKind, contact_id: str, token: str) -> None:
        self._at(self._monotonic() + human_s / self.speed, kind, contact_id, token)

    def _fire_deliver(self, record: ConversationRecord, item_id: str) -> None:
        number = item_number(item_id)
        item = self.service.store.item(number)
        if item is None or item.delivered_at is not None:
            return
        self.service.apply(self.service.core.delivered(record, number, item))
        if record.channel == Channel.CHAT and self._answers(record):
            self._after(self._rng.uniform(0.5, 2.0), "read", record.contact_id, item_id)
        elif record.customer.awaiting_reply:
            self._plan_answer(record)

    def _fire_read(self, record: ConversationRecord, item_id: str) -> None:
        number = item_number(item_id)
        if number <= record.customer_last_read:
            return
        unread = self.service.store.messages(record.contact_id, "agent", after=record.customer_last_read, up_to=number)
        self.service.apply(self.service.core.customer_read(record, item_id, unread))
        if record.customer.awaiting_reply:
            self._plan_answer(record)

    def _plan_answer(self, record: ConversationRecord) -> None:
        generation = self._plans.get(record.contact_id, 0) + 1
        self._plans[record.contact_id] = generation
        think, typing = customers.typing_s(self._rng, self._draft(record), record.channel)
        if record.channel == Channel.CHAT:
            self._after(think, "typing", record.contact_id, f"{generation}:{typing}")
        else:
            self._after(think + typing, "answer", record.contact_id, str(generation))

    def _fire_typing(self, record: ConversationRecord, token: str) -> None:
        generation, _, typing = token.partition(":")
        if self._plans.get(record.contact_id) != int(generation):
            return
        if not record.customer_typing:
            self.service.set_customer_typing(record, True)
        self._after(float(typing), "answer", record.contact_id, generation)

    def _fire_answer(self, record: ConversationRecord, generation: str) -> None:
        if self._plans.get(record.contact_id) != int(generation):
            return
        del self._plans[record.contact_id]
        record.customer.awaiting_reply = False
        answer = customers.answer(
            self.service.seed,
            record.contact_id,
            self.service.intents.by_id[record.customer.intent],
            record.customer,
            self._agent_text(record),
            record.channel,
            self.service.intents,
        )
        if answer is None:  # they went quiet
            if record.customer_typing:
                self.service.set_customer_typing(record, False)
            self.service.store.save(record)
            return
        self.service.customer_says(record, answer.text)
        if answer.leaves:
            self.service.end_by_customer(record, "customer_left")

    def _fire_agent_line(self, record: ConversationRecord, agent_id: str) -> None:
        """A simulated agent's next line (simulated_agents.py), while they still hold the chat."""
        if record.agent_id != agent_id:
            return
        try:
            if self.service.engine.read.contact(record.contact_id).state != ContactState.CONNECTED:
                return
        except NotFound:
            return
        said = [
            item.text
            for _, item in self.service.store.messages(record.contact_id, "agent")
            if item.participant_id == agent_id
        ]
        first_name = (record.agent_name or agent_id).split()[0]
        intents = self.service.intents
        line = simulated_agents.next_line(
            intents.by_id[record.customer.intent], record.customer, said, first_name, intents.agent
        )
        if line is not None:
            self.service.agent_says(record, agent_id, line)

    def _fire_inactive(self, record: ConversationRecord, deadline: str) -> None:
        if record.inactivity_deadline is not None and record.inactivity_deadline.isoformat() == deadline:
            self.service.end_by_customer(record, "customer_inactive")

    def _fire_wake(self, record: ConversationRecord, until: str) -> None:
        if record.snoozed_until is not None and record.snoozed_until.isoformat() == until:
            self.service.apply(self.service.core.wake(record, "time"))

    def _fire_send(self, record: ConversationRecord, send_at: str) -> None:
        reply = record.scheduled_reply
        if reply is None or reply.send_at.isoformat() != send_at or record.agent_id is None:
            return
        try:
            connected = self.service.engine.read.contact(record.contact_id).state == ContactState.CONNECTED
        except NotFound:
            connected = False
        core = self.service.core
        self.service.apply(core.send_scheduled(record, record.agent_id) if connected else core.not_sent(record))

    _fire: dict[str, Callable[[Timeline, ConversationRecord, str], None]] = {
        "wake": _fire_wake,
        "send": _fire_send,
        "deliver": _fire_deliver,
        "read": _fire_read,
        "typing": _fire_typing,
        "answer": _fire_answer,
        "agent_line": _fire_agent_line,
        "inactive": _fire_inactive,
    }

    # --- what the customer answers --------------------------------------------------------

    def _answers(self, record: ConversationRecord) -> bool:
        """Whether this customer still answers (an idle one has gone quiet)."""
        state = record.customer
        return state.idle_after is None or state.turn < state.idle_after

    def _agent_text(self, record: ConversationRecord) -> str:
        """What the agent wrote since the customer's last message (the last lines of it: people answer those)."""
        last = self.service.store.last_message(record.contact_id, "customer")
        written = self.service.store.messages(
            record.contact_id, "agent", after=item_number(last.id) if last else 0, newest=ANSWERS_LINES
        )
        return "\n".join(item.text for _, item in written)

    def _draft(self, record: ConversationRecord) -> str:
        """The answer the customer would give now (on a copy: only its length sets the typing time)."""
        draft = customers.answer(
            self.service.seed,
            record.contact_id,
            self.service.intents.by_id[record.customer.intent],
            record.customer.model_copy(deep=True),
            self._agent_text(record),
            record.channel,
            self.service.intents,
        )
        return draft.text if draft else ""
