"""Snooze and send later on the agent's desk, on the mock contact center in-process (its clock the
test's): `z` snoozes the selected chat until a time picked in a dialog, marked z on the contacts list; a customer's
"thanks" after our reply leaves it asleep, a question wakes it and the agent is told; ctrl+f schedules the
composer's reply (marked »), the customer writing first hands its text back to the composer and says so, and
otherwise it is sent at its time; `Z` lists only the snoozed and scheduled. A desk started again shows what the
contact center holds; the supervisor's queue panel counts the snoozed and scheduled per queue. On a contact center
that holds neither, `z` is refused with a notice that says why."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.ui.agent.contacts.contact_list import ContactList
from agent_desktop.ui.agent.conversations.wait_time_dialog import WaitTimeDialog
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import go_available, loaded, scene_app, scene_mocks, take, wait_until
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen, type_burst

SNOOZED = re.compile(r" z( |$)")


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


def rows(pilot: Pilot[None]) -> dict[str, str]:
    table = pilot.app.screen.query_one("#contacts", ContactList)
    return {str(row.value): table.get_cell(str(row.value), "contact").plain for row in table.rows}


def subtitle(pilot: Pilot[None]) -> str:
    return Content.from_markup(str(pilot.app.screen.query_one("#contacts", ContactList).border_subtitle or "")).plain


def said(pilot: Pilot[None]) -> str:
    return " | ".join(f"{n.title}: {n.message}" for n in notifications(pilot.app))


def composer_of(pilot: Pilot[None], contact_id: str) -> str:
    return agent_screen(pilot).desk.conversations.composer.get(contact_id, "")


async def pick_first_time(pilot: Pilot[None]) -> None:
    """The time dialog open; enter picks its first choice (in 1 hour)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, WaitTimeDialog), "the time dialog")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, WaitTimeDialog), "the time dialog closed")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_snooze_sleeps_through_a_thanks_and_wakes_on_a_question(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        chat = await take(pilot, mocks, "ann@example.com", "chat", "Charged twice this month")
        await pilot.press("i")
        await type_burst(pilot, "Refund on its way.")
        await pilot.press("enter", "escape")
        await wait_until(pilot, lambda: "↩" not in rows(pilot)[chat], lambda: f"replied: {rows(pilot)}")

        await pilot.press("z")
        await pick_first_time(pilot)
        await wait_until(pilot, lambda: SNOOZED.search(rows(pilot)[chat]), lambda: f"snoozed: {rows(pilot)}")
        assert "Snoozed until" in said(pilot)
        assert agent_screen(pilot).desk.conversations[chat].seconds_left(mocks.clock.now()) is None, "no countdown"
        assert "1 later (Z)" in subtitle(pilot)

        await mocks.customer_says(chat, "Thanks!")  # the case is resolved: a thanks does not reopen it
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.conversations[chat].items[-1].text == "Thanks!", "the thanks shown")
        assert SNOOZED.search(rows(pilot)[chat]), rows(pilot)
        assert "↩" not in rows(pilot)[chat]

        await mocks.customer_says(chat, "Sorry, is it the full amount?")
        await wait_until(pilot, lambda: not SNOOZED.search(rows(pilot)[chat]), lambda: f"woken: {rows(pilot)}")
        assert "↩" in rows(pilot)[chat]
        assert "wrote: the snoozed conversation is awake again" in said(pilot)

        await pilot.press("z")  # snoozed again, for the desk started below
        await pick_first_time(pilot)
        await wait_until(pilot, lambda: SNOOZED.search(rows(pilot)[chat]), lambda: f"snoozed again: {rows(pilot)}")

    async with scene_app(mocks).run_test(size=size) as pilot:  # the desk started again: the contact center's
        await wait_until(pilot, lambda: SNOOZED.search(rows(pilot).get(chat, "")), lambda: f"kept: {rows(pilot)}")


async def test_a_reply_sent_later_comes_back_when_the_customer_writes_first_and_else_goes(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        chat = await take(pilot, mocks, "bo@example.com", "chat", "Where is my parcel?")
        other = await take(pilot, mocks, "cy@example.com", "chat", "Change my address")
        agent_screen(pilot).desk.select(chat)
        later = "I will confirm with the courier tomorrow."
        await pilot.press("i")
        await type_burst(pilot, later)
        await pilot.press("ctrl+f")
        await pick_first_time(pilot)
        await wait_until(pilot, lambda: "»" in rows(pilot)[chat], lambda: f"scheduled: {rows(pilot)}")
        assert composer_of(pilot, chat) == ""  # the contact center holds it now
        assert "Reply scheduled for" in said(pilot)

        await pilot.press("escape", "Z")  # only the snoozed and scheduled (and the selected)
        await wait_until(pilot, lambda: list(rows(pilot)) == [chat], lambda: f"filtered: {rows(pilot)}")
        assert subtitle(pilot) == "Snoozed or later: 1 of 2 · Z shows all"
        await pilot.press("Z")
        await wait_until(pilot, lambda: set(rows(pilot)) == {chat, other}, lambda: f"all: {rows(pilot)}")

        await mocks.customer_says(chat, "Any news?")  # the customer wrote first: not sent, the text back
        await wait_until(pilot, lambda: "»" not in rows(pilot)[chat], lambda: f"cancelled: {rows(pilot)}")
        await wait_until(
            pilot, lambda: composer_of(pilot, chat) == later, lambda: f"given back: {composer_of(pilot, chat)!r}"
        )
        assert "wrote first: the scheduled reply was not sent; it is back in the composer" in said(pilot)

        await pilot.press("i", "ctrl+f")  # scheduled again; this time nobody writes first
        await pick_first_time(pilot)
        await wait_until(pilot, lambda: "»" in rows(pilot)[chat], lambda: f"scheduled again: {rows(pilot)}")
        mocks.time.advance(3601)
        desk = agent_screen(pilot).desk

        def sent() -> bool:
            items = desk.conversations[chat].items
            return any(i.role is ParticipantRole.AGENT and i.text == later for i in items)

        await wait_until(pilot, sent, "the reply sent at its time")
        await wait_until(pilot, lambda: "»" not in rows(pilot)[chat], lambda: f"sent: {rows(pilot)}")


async def test_without_the_contact_centers_snooze_the_key_is_refused_saying_why(mocks: InProcessMocks) -> None:
    backends = mocks.backends(capabilities=ContactCenterCapabilities(flags=True))  # holds no snooze
    async with desk_app(backends, clock=mocks.clock.now).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "di@example.com", "chat", "Refund")
        await pilot.press("z")
        await wait_until(pilot, lambda: "keeps no snooze or scheduled reply" in said(pilot), lambda: said(pilot))
        assert not isinstance(pilot.app.screen, WaitTimeDialog)


async def test_the_supervisor_counts_snoozed_and_scheduled_conversations_per_queue(mocks: InProcessMocks) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=(150, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await take(pilot, mocks, "ed@example.com", "chat", "Charged twice this month")
        await pilot.press("z")
        await pick_first_time(pilot)
        await pilot.press("i")
        await type_burst(pilot, "The bank confirms tomorrow.")
        await pilot.press("ctrl+f")
        await pick_first_time(pilot)
        await pilot.press("escape", "f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor's desk")
        queues = pilot.app.screen.query_one("#queues", QueueTable)

        def later() -> str:
            return queues.cell("billing", "later").plain if "billing" in queues else ""

        await wait_until(pilot, lambda: later() == "1·1", lambda: f"Later: {later()!r}", mocks=mocks, step_s=1)
        assert "later" in [queues.columns[i].key for i in queues._shown_columns], "shown at 150 columns"
