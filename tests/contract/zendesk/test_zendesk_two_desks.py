"""Two agents' desks on one Zendesk: a caller Zendesk does not know, known by a phone number
alone, reaches one agent and then another within the minutes Zendesk's search index lags new users ("It can take
up to a few minutes for new tickets, users, and other resources to be indexed for search"). Each desk pops the caller
and writes its wrap-up through its own outbox; neither remembers what the other made. Whatever the order of the two
desks' steps and however each is given the number, Zendesk ends with one user of that number, holding both
wrap-ups. Before, each desk that found nobody made the caller again: two users, each with one wrap-up.

The Zendesk-shaped mock runs in process on a clock the test steps; every exchange is checked against the fragment.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.models import Channel, Contact, ContactState, NewCustomer
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.hypothesis_profiles import examples
from tests.support.narrowing import present
from tests.support.stepped_clock import SteppedClock

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LAG_S = ZendeskMockSettings().search_lag_s
DIGITS = "4155550177"
# The same number as a contact center or an agent may give it.
WRITTEN = ["+14155550177", "(415) 555-0177", "415.555.0177", "+1 415 555 0177"]


@dataclass(frozen=True)
class Step:
    desk: int  # 0 or 1: which agent's desk
    what: Literal["pop", "wrap_up"]
    after_s: float  # the Zendesk clock moves this much before the step


@dataclass
class Desk:
    crm: ZendeskCrm
    transport: ContractTransport  # the desk's exchanges with Zendesk, each checked against the fragment
    outbox: Outbox
    address: str
    contact_id: str
    customer_id: str | None = None  # who the pop found (one match), else the sender finds or makes them
    popped: list[str] = field(default_factory=list)


class MeetAtCreate(httpx.AsyncBaseTransport):
    """Holds each desk's Create Or Update User until the other desk's is sent too (bounded): two desks making one
    caller at the same moment, each having looked them up and found nobody."""

    def __init__(self, inner: httpx.AsyncBaseTransport, meeting: asyncio.Barrier) -> None:
        self.inner, self.meeting = inner, meeting

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v2/users/create_or_update":
            async with asyncio.timeout(5):
                await self.meeting.wait()
        return await self.inner.handle_async_request(request)


class TwoDesks:
    """One Zendesk, two desks over it (each its own backend instance and outbox), on a clock the test steps."""

    def __init__(self, folder: Path, addresses: tuple[str, str], meeting: asyncio.Barrier | None = None) -> None:
        self.clock = SteppedClock()
        settings = MockSettings(data_dir=folder, seed=7, customers=20, simulator=False, fresh=True)
        app = create_app(settings, ZendeskMockSettings(), clock=self.clock)
        self.db_path = folder / "crm.db"
        self.desks: list[Desk] = []
        for n, address in enumerate(addresses):
            asgi = httpx.ASGITransport(app=app)
            transport = ContractTransport(MeetAtCreate(asgi, meeting) if meeting is not None else asgi)
            crm = ZendeskCrm("http://zendesk.test", DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=transport)
            self.desks.append(Desk(crm, transport, Outbox(folder / f"desk-{n}" / "outbox.db"), address, f"c-00010{n}"))

    async def play(self, step: Step) -> None:
        self.clock.step(step.after_s)
        desk = self.desks[step.desk]
        if step.what == "pop":
            found = await desk.crm.lookup(desk.address)
            desk.popped = [c.id for c in found.customers]
            desk.customer_id = desk.popped[0] if len(desk.popped) == 1 else None
            return
        contact = Contact(
            id=desk.contact_id,
            channel=Channel.VOICE,
            queue_id="billing",
            queue_name="Billing",
            from_address=desk.address,
            state=ContactState.AFTER_CONTACT_WORK,
            entered_queue_at=AT,
            offered_at=AT,
            answered_at=AT,
            ended_at=AT,
        )
        entry = enqueue_wrap_up(
            desk.outbox, contact, "agent-001", "Resolved", f"Wrapped on desk {step.desk}.", desk.customer_id
        )
        assert await OutboxSender(desk.outbox, desk.crm).send_due() == 1
        assert present(desk.outbox.get(entry.key)).state is EntryState.SENT, present(desk.outbox.get(entry.key))

    def users_of_the_number(self) -> list[str]:
        with sqlite3.connect(self.db_path) as db:
            rows = db.execute(
                "select distinct customer_id from customer_phones where digits_reversed like ?", [DIGITS[::-1] + "%"]
            ).fetchall()
        return [str(int(customer_id.partition("-")[2])) for (customer_id,) in rows]

    async def close(self) -> None:
        for desk in self.desks:
            await desk.crm.aclose()
            desk.outbox.close()


def orders() -> st.SearchStrategy[list[Step]]:
    """Each desk pops its caller, then writes its wrap-up; the two desks' steps in any order, the clock moving
    between them by less than the index's lag in all."""
    steps = [(0, "pop"), (0, "wrap_up"), (1, "pop"), (1, "wrap_up")]
    in_order = st.permutations(steps).filter(
        lambda order: all(order.index((n, "pop")) < order.index((n, "wrap_up")) for n in (0, 1))
    )
    waits = st.lists(st.sampled_from([0.0, 1.0, 25.0]), min_size=4, max_size=4)  # 100 s at most: under the lag (120 s)
    return st.builds(
        lambda order, after: [Step(n, what, s) for (n, what), s in zip(order, after, strict=True)],
        in_order,
        waits,
    )


@settings(max_examples=examples(40))
@given(order=orders(), written=st.tuples(st.sampled_from(WRITTEN), st.sampled_from(WRITTEN)))
def test_a_new_caller_reaching_two_desks_within_the_lag_is_one_user_with_both_wrap_ups(
    order: list[Step], written: tuple[str, str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_played(Path(folder), order, written))


async def _played(folder: Path, order: list[Step], written: tuple[str, str]) -> None:
    assert sum(step.after_s for step in order) < LAG_S, "within the index's lag"
    desks = TwoDesks(folder, written)
    try:
        for step in order:
            await desks.play(step)
        users = desks.users_of_the_number()
        assert len(users) == 1, f"{len(users)} users of the one caller's number: {users}"
        history = await desks.desks[0].crm.list_interactions(users[0])
        assert sorted(str(i.contact_id) for i in history) == ["c-000100", "c-000101"], "both wrap-ups on that user"
    finally:
        await desks.close()


async def test_a_caller_one_agent_named_pops_on_another_desk_within_the_lag(tmp_path: Path) -> None:
    """Agent A's new-caller form makes Ana Diaz; she calls again a minute later and reaches agent B, whose desk
    made nothing: the pop names her (before: nobody, the index had not caught up, and B made her again)."""
    desks = TwoDesks(tmp_path, ("+1 415 555 0177", "(415) 555-0177"))
    try:
        first, second = desks.desks
        assert (await first.crm.lookup(first.address)).customers == []
        ana = await first.crm.create_customer(NewCustomer(name="Ana Diaz", phones=[first.address]), "new-caller-a")
        desks.clock.step(60)
        assert await second.crm.search_customers("Ana Diaz") == [], "the index has not caught up"
        calling = await second.crm.lookup(second.address)
        assert [c.name for c in calling.customers] == ["Ana Diaz"]
        assert present(calling.record).customer.id == ana.id
        assert desks.users_of_the_number() == [ana.id]
    finally:
        await desks.close()


async def test_two_desks_making_the_caller_at_the_same_moment_make_one_user(tmp_path: Path) -> None:
    """Both pops found nobody and both wrap-ups go out at once: each desk's sender looks the caller up, finds nobody
    and makes them; Create Or Update User by the number's external id makes the second an update of the first."""
    desks = TwoDesks(tmp_path, ("+14155550177", "415.555.0177"), meeting=asyncio.Barrier(2))
    try:
        for n in (0, 1):
            await desks.play(Step(n, "pop", 0.0))
        await asyncio.gather(*(desks.play(Step(n, "wrap_up", 0.0)) for n in (0, 1)))
        users = desks.users_of_the_number()
        assert len(users) == 1, f"{len(users)} users of the one caller's number: {users}"
        made = [
            status
            for desk in desks.desks
            for method, path, status in desk.transport.exchanges
            if (method, path) == ("POST", "/api/v2/users/create_or_update")
        ]
        assert sorted(made) == [200, 201], "both desks made the caller at once: one made, one updated"
        [user] = users
        history = await desks.desks[1].crm.list_interactions(user)
        assert sorted(str(i.contact_id) for i in history) == ["c-000100", "c-000101"]
    finally:
        await desks.close()
