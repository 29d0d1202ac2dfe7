"""Every action applied once: its answer is drawn, and the stream's copy of the same change (the contact
center echoes the agent's own writes, as Twilio and Zendesk do) costs nothing; nor does any event that
changes nothing. Counted per action, as the agent would feel them: requests sent, events back, redraws.

The in-process mocks are the real contact center (tests/support/in_process). Each redraw the controller
asks for is counted as one: over HTTP the answer and the stream's event arrive apart, so coalescing
cannot be counted on to hide a second one. Both orders are played: the answer first (the usual case),
and the event first (the stream was quicker than the answer).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import AgentState, ContactEvent, ContactState, MessageEvent, ParticipantRole, ReadEvent
from agent_desktop.outbox.store import Outbox
from agent_desktop.ui.agent.agent_screen import OFFER_WAITS_FOR_LOOKUP_S
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from tests.support.in_process.mocks import InProcessMocks
from tests.support.loop_turns import LoopTurns
from tests.support.narrowing import present


@dataclass
class Counted:
    answer_redraws: int
    stream_redraws: int
    requests: list[str]
    events: list[str]

    @property
    def redraws(self) -> int:
        return self.answer_redraws + self.stream_redraws


class CountedCenter:
    """The in-process contact center, counting requests; `before_answer` runs between a request being
    done at the contact center and its answer reaching the desk (to let the stream go first)."""

    def __init__(self, inner: Any) -> None:  # a backend of any kind
        self._inner = inner
        self.requests: list[str] = []
        self.before_answer: Callable[[], Awaitable[object]] | None = None

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name == "events" or not inspect.iscoroutinefunction(attr):
            return attr

        async def request(*args: Any, **kwargs: Any) -> Any:
            self.requests.append(name)
            answer = await attr(*args, **kwargs)
            if self.before_answer is not None:
                await self.before_answer()
            return answer

        return request


class Rig:
    def __init__(self, mocks: InProcessMocks, tmp_path: Path) -> None:
        self.mocks = mocks
        self.center = CountedCenter(mocks.contact_center())
        self.desk = Desk(DEMO_AGENT_ID)
        self.redraws = 0
        self.controller = DeskController(
            self.desk,
            self.center,
            mocks.crm(),
            mocks.presence(),
            Outbox(tmp_path / "outbox.db"),
        )
        # The screen's redraws, as its pacer makes them of the desk's announcements (one a turn, an offer's held for
        # its caller's lookup a moment).
        self.pacer = RedrawPacer(LoopTurns(), self._redraw, feeds=(self.desk.feed,), lookups_s=OFFER_WAITS_FOR_LOOKUP_S)
        self._arrived: asyncio.Queue[object] = asyncio.Queue()
        self.alter: Callable[[object], object] = lambda event: event  # what the stream does to an event on its way
        self._pump = asyncio.ensure_future(self._read_stream())

    def _redraw(self) -> None:
        self.redraws += 1
        self.desk.take_changes()

    async def _read_stream(self) -> None:
        async for item in self.center.events():
            self._arrived.put_nowait(self.alter(item))

    async def deliver(self) -> list[object]:
        """What the stream has brought: received as the stream would, one at a time; then the work it
        started (a lookup, a conversation read) is let finish."""
        delivered: list[object] = []
        idle = 0
        while idle < 5:  # the pump moves what the log pushed within a few turns of the loop
            await asyncio.sleep(0)
            if self._arrived.empty():
                idle += 1
                continue
            idle = 0
            item = self._arrived.get_nowait()
            self.controller.receive(item)
            delivered.append(item)
        await self.settle()
        return delivered

    async def settle(self) -> None:
        while self.controller._tasks:
            await asyncio.gather(*list(self.controller._tasks), return_exceptions=True)
        for _ in range(5):
            await asyncio.sleep(0)

    async def act(self, action: Awaitable[object], *, stream_first: bool = False) -> Counted:
        """What one action cost: redraws by its answer and by the stream, requests, events back."""
        first = len(self.center.requests)
        events: list[object] = []
        stream_redraws = 0

        async def stream_goes_first() -> None:
            nonlocal stream_redraws
            before = self.redraws
            events.extend(await self.deliver())
            stream_redraws += self.redraws - before

        self.center.before_answer = stream_goes_first if stream_first else None
        before = self.redraws
        await action
        self.center.before_answer = None
        await self.settle()
        answer_redraws = self.redraws - before - stream_redraws
        before = self.redraws
        events += await self.deliver()
        stream_redraws += self.redraws - before
        return Counted(answer_redraws, stream_redraws, self.center.requests[first:], types(events))

    async def aclose(self) -> None:
        await self.controller.aclose()
        self._pump.cancel()
        await asyncio.gather(self._pump, return_exceptions=True)


async def at_once(use_case: Callable[[str], None], contact_id: str) -> None:
    """A use case that acts in the caller's turn (it starts its request in the background)."""
    use_case(contact_id)


def types(events: list[object]) -> list[str]:
    return [getattr(event, "type", type(event).__name__) for event in events]


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    settings = MockSettings(data_dir=tmp_path / "mocks", seed=42, customers=20, experts=30, simulator=False, fresh=True)
    mocks = InProcessMocks(settings)
    rig = Rig(mocks, tmp_path)
    try:
        await rig.deliver()  # up, the snapshot
        await rig.controller.go_available()
        await rig.deliver()
        yield rig
    finally:
        await rig.aclose()
        await mocks.aclose()


async def offered(rig: Rig, channel: str = "voice") -> str:
    contact = await rig.mocks.place_call("dana@example.com" if channel != "voice" else "+14155550123", channel=channel)
    await rig.deliver()
    assert rig.desk.offer is not None
    assert rig.desk.offer.contact.id == contact.id
    return contact.id


ORDERS = pytest.mark.parametrize("stream_first", [False, True], ids=["answer first", "stream first"])


@ORDERS
async def test_hold_and_resume_are_drawn_once_and_their_echo_costs_nothing(rig: Rig, stream_first: bool) -> None:
    await offered(rig)
    await rig.act(rig.controller.accept())
    for action, state in ((rig.controller.hold, ContactState.ON_HOLD), (rig.controller.resume, ContactState.CONNECTED)):
        cost = await rig.act(action(), stream_first=stream_first)
        assert present(rig.desk.selected_contact()).state is state
        assert cost.requests == [f"{action.__name__}_contact"]
        assert cost.events == ["contact"]  # the contact center's copy of the answer
        assert cost.redraws == 1  # was 2: the answer, then the same contact again from the stream
        assert (cost.answer_redraws, cost.stream_redraws) == ((0, 1) if stream_first else (1, 0))


@ORDERS
async def test_accept_and_end_draw_the_contact_once_and_the_agents_state_once(rig: Rig, stream_first: bool) -> None:
    await offered(rig)
    accepted = await rig.act(rig.controller.accept(), stream_first=stream_first)
    assert (accepted.requests, accepted.events) == (["accept_offer"], ["contact", "agent_state"])
    # Two things changed: the contact is connected (the answer or its event, whichever came first) and the
    # agent is Busy (the stream only). Was 3: the contact drawn twice.
    assert accepted.redraws == 2
    assert rig.desk.agent_state() is AgentState.BUSY
    ended = await rig.act(rig.controller.end(), stream_first=stream_first)
    assert (ended.requests, ended.events) == (["end_contact"], ["contact", "agent_state"])
    # The wrap-up in front as `e` is pressed (decided in the key's turn), the contact center's after-contact work
    # and the agent's state line: drawn with the first when the answer comes in the same turn, after it when
    # the stream's event comes first.
    assert ended.redraws == (3 if stream_first else 2)
    assert present(rig.desk.selected_contact()).state is ContactState.AFTER_CONTACT_WORK


@ORDERS
async def test_a_chat_reply_is_two_requests_one_event_back_and_one_redraw(rig: Rig, stream_first: bool) -> None:
    contact_id = await offered(rig, "chat")
    await rig.act(rig.controller.accept())
    conversation = rig.desk.conversations[contact_id]
    assert conversation.loaded

    typed = await rig.act(at_once(rig.controller.conversation.typed, contact_id))
    # "typing" goes to the contact center once, and is not echoed to the typist's own stream (nor drawn).
    assert (typed.requests, typed.events, typed.redraws) == (["set_typing"], [], 0)

    sent = await rig.act(
        rig.controller.conversation.send_text(contact_id, "Let me look into that."), stream_first=stream_first
    )
    # Was three requests (typing, send, typing stopped), five events back and more than one redraw: the
    # message ends the typing there, and its echo is known here by the item's id.
    assert sent.requests == ["send_message"]
    assert sent.events == ["message"]
    assert sent.redraws == 1
    mine = [item for item in conversation.items if item.role is ParticipantRole.AGENT and item.kind == "message"]
    assert [item.text for item in mine] == ["Let me look into that."]
    assert conversation.inactivity_deadline is not None  # the echo's deadline is kept (the clock draws it)


async def test_the_agents_own_read_mark_is_not_sent_back_and_the_customers_still_arrives(rig: Rig) -> None:
    contact_id = await offered(rig, "chat")
    await rig.act(rig.controller.accept())
    await rig.mocks.customer_says(contact_id, "Are you there?")
    await rig.deliver()
    conversation = rig.desk.conversations[contact_id]
    assert conversation.unread > 0
    read = await rig.act(at_once(rig.controller.conversation.mark_read, contact_id))
    assert conversation.unread == 0
    # The marker is the desk's own: the contact center keeps it and sends nothing back (was a `read` event).
    assert (read.requests, read.events) == (["mark_read"], [])
    assert (read.answer_redraws, read.stream_redraws) == (1, 0)  # the unread count, drawn at once

    await rig.controller.conversation.send_text(contact_id, "Yes, I am here.")
    await rig.deliver()
    rig.mocks.time.advance(10)  # the customer's chat window shows it, and they read it
    events = await rig.deliver()
    customers_reads = [e for e in events if isinstance(e, ReadEvent)]
    assert [e.role for e in customers_reads] == [ParticipantRole.CUSTOMER]
    mine = [item for item in conversation.items if item.role is ParticipantRole.AGENT and item.kind == "message"]
    assert mine[-1].read_at is not None


def later_copy(event: object) -> object:
    """The stream's copy of a change, as a platform may send it: under the event's id, with a field the action's
    answer did not have yet (the contact's announced wait, the message's delivery)."""
    if isinstance(event, ContactEvent):
        return event.model_copy(update={"contact": event.contact.model_copy(update={"ewt_s": 42.0})})
    if isinstance(event, MessageEvent):
        return event.model_copy(update={"item": event.item.model_copy(update={"delivered_at": event.item.created_at})})
    return event


@ORDERS
async def test_the_streams_copy_of_an_answer_is_dropped_by_its_id_whatever_it_holds(
    rig: Rig, stream_first: bool
) -> None:
    """The desk knows the copy by the ids the answer names (X-Event-Ids), not by comparing the two: an accept,
    a hold and a chat reply are each drawn once though the copy differs from the answer."""
    rig.alter = later_copy
    await offered(rig)
    accepted = await rig.act(rig.controller.accept(), stream_first=stream_first)
    assert accepted.events == ["contact", "agent_state"]
    assert accepted.redraws == 2  # the contact once (was twice: the copy differed), the agent's state once
    held = await rig.act(rig.controller.hold(), stream_first=stream_first)
    assert (held.events, held.redraws) == (["contact"], 1)
    assert present(rig.desk.selected_contact()).state is ContactState.ON_HOLD


@ORDERS
async def test_the_streams_copy_of_a_chat_reply_is_dropped_by_its_id_whatever_it_holds(
    rig: Rig, stream_first: bool
) -> None:
    """The same for the agent's message (here the item's own id would do as well: it was the rule before)."""
    rig.alter = later_copy
    chat = await offered(rig, "chat")
    await rig.act(rig.controller.accept())
    sent = await rig.act(
        rig.controller.conversation.send_text(chat, "Let me look into that."), stream_first=stream_first
    )
    assert (sent.events, sent.redraws) == (["message"], 1)
    mine = [
        i.text for i in rig.desk.conversations[chat].items if i.role is ParticipantRole.AGENT and i.kind == "message"
    ]
    assert mine == ["Let me look into that."]


async def test_a_snapshot_of_what_the_desk_holds_already_is_not_drawn_again(rig: Rig) -> None:
    """A reconnect's resync sends the agent and every contact as they are: nothing to draw."""
    await offered(rig)
    await rig.act(rig.controller.accept())
    resync = await rig.center._snapshot()
    rig.redraws = 0
    for event in resync:
        rig.controller.receive(event)
    assert [type(event).__name__ for event in resync] == ["AgentStateEvent", "ContactEvent"]
    assert rig.redraws == 0
