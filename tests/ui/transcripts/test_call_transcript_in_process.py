"""A call's live transcript on the desk, on the in-process backends (the mock's own engine and its caller
and agent speaking, time stepped). The agent answers a call: the call area, in the experts' place, shows who said
what and when, a line still being heard marked "hearing…"; the caller getting annoyed reads "mood negative" on its
title and "upset" on the call's row in the contacts list. A card number read out shows as its last four digits,
never whole. A supervisor monitoring the call reads the same lines and the mood on its card."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.agent.contacts.contact_list import ContactList
from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.api.routers import contacts
from agent_desktop_mocks.ccaas.core.wire.requests import ContactCreate
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until


def call_area(pilot: Pilot[None]) -> DeskCall:
    return pilot.app.screen.query_one(DeskCall)


def unwrapped(lines: list[str]) -> str:
    """The lines as one text, a line wrapped at the view's width joined again."""
    return " ".join(line.strip() for line in lines if line.strip())


def heard(pilot: Pilot[None]) -> str:
    return unwrapped(call_area(pilot).query_one(CallTranscriptView).plain_lines())


def contact_rows(pilot: Pilot[None]) -> str:
    table = pilot.app.screen.query_one(ContactList)
    return "\n".join(" ".join(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count))


async def answered_call(pilot: Pilot[None], mocks: InProcessMocks, intent: str | None = None) -> str:
    """The caller's name (the CRM knows them)."""
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    await go_available(pilot)
    if intent is None:
        await mocks.place_call(caller.phone_e164)
    else:
        body = ContactCreate(
            queue_id="billing", channel="voice", from_address=caller.phone_e164, attached=AttachedData(intent=intent)
        )
        await contacts.create(body, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
    await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    return caller.name


async def step_until(
    pilot: Pilot[None],
    mocks: InProcessMocks,
    condition: Callable[[], object],
    what: str,
    *,
    step_s: float = 0.4,
    most_s: float = 60,
    what_is: Callable[[], str] = lambda: "",
) -> None:
    """The mock's time forward a little at a time (its caller and agent speak meanwhile) until `condition`."""
    waited = 0.0
    while not condition():
        assert waited < most_s, f"{what}: not after {most_s} s of the mock's time: {what_is()}"
        mocks.time.advance(step_s)
        waited += step_s
        await pilot.pause(0.02)


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


async def test_a_call_shows_its_live_transcript_and_the_callers_mood(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        name = await answered_call(pilot, mocks)
        assert not call_area(pilot).display, "nothing said yet: the experts keep their place"
        await step_until(pilot, mocks, lambda: "hearing…" in heard(pilot), "a line still being heard")
        assert call_area(pilot).display, "the call's transcript in the experts' place"
        assert "Alex Morgan" in heard(pilot), heard(pilot)
        await step_until(
            pilot, mocks, lambda: "annoyed about it." in heard(pilot), "the complaint", what_is=lambda: heard(pilot)
        )
        lines = heard(pilot)
        assert "Thank you for calling, my name is Alex. How can I help you today?" in lines
        assert f"{name} " in lines, "the caller's lines under the CRM's name for them"
        await wait_until(pilot, lambda: "mood negative" in str(call_area(pilot).border_title), "the mood on the title")
        await wait_until(pilot, lambda: "upset" in contact_rows(pilot), "upset on the call's row")


async def test_a_line_still_being_heard_when_the_call_ends_is_cut_off_not_hearing(mocks: InProcessMocks) -> None:
    """A finished call's last line stayed "hearing…" through its wrap-up, as if the caller were still
    talking. Ended mid-sentence, the words heard of it stay, marked cut off by the call's end."""
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, mocks)
        await step_until(pilot, mocks, lambda: "hearing…" in heard(pilot), "a line still being heard")
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in contact_rows(pilot), "after-contact work")
        await wait_until(pilot, lambda: "hearing…" not in heard(pilot), "nothing heard any more")
        assert "cut off" in heard(pilot), heard(pilot)


async def test_a_card_number_read_out_on_a_call_shows_as_its_last_four_digits(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, mocks, intent="payment")
        await step_until(pilot, mocks, lambda: "The expiry" in heard(pilot), "the card read out, then the expiry")
        lines = heard(pilot)
        assert "my card is •••• 1111." in lines, lines
        assert "one one" not in lines
        held = agent_screen(pilot).desk.calls
        assert all("one one" not in line.text for call in held.values() for line in call.lines)


async def test_a_supervisor_monitoring_a_call_reads_what_is_said_and_the_mood(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, mocks)
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        screen = supervisor_screen(pilot)
        agents = screen.query_one("#agents", AgentTable)

        agents.focus()
        await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "floor")
        agents.move_cursor(agents.keys.index("agent-001"))
        await pilot.pause(0.1)
        await pilot.press("j")
        await wait_until(pilot, lambda: screen.desk.monitored.contacts, "monitoring the call")

        def card_lines() -> str:
            panel = screen.query_one(MonitorPanel)
            views = [view for view in panel.query(CallTranscriptView) if view.display]
            return unwrapped([line for view in views for line in view.plain_lines()])

        def card_state() -> str:
            panel = screen.query_one(MonitorPanel)
            return "\n".join(str(state.render()) for state in panel.query(".monitor-state"))

        await step_until(pilot, mocks, lambda: "annoyed about it." in card_lines(), "the caller's words on the card")
        assert "Alex Morgan" in card_lines()
        await wait_until(pilot, lambda: "mood negative" in card_state(), "the mood on the card")


async def test_at_80x24_the_calls_transcript_is_a_pane_of_its_own(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await answered_call(pilot, mocks)
        await step_until(pilot, mocks, lambda: "annoyed about it." in heard(pilot), "the caller's complaint")
        assert not call_area(pilot).display, "the card stays in front at 80x24"
        for _ in range(4):
            if call_area(pilot).display:
                break
            await pilot.press("f6")
            await pilot.pause(0.05)
        assert call_area(pilot).display, "f6 brings the call's transcript"
        assert "mood negative" in str(call_area(pilot).border_title)


async def test_a_calls_lines_go_to_the_crm_with_its_wrap_up_masked(mocks: InProcessMocks) -> None:
    """The next agent does not start blind: the call's transcript is kept with its interaction, as a chat's is, the
    card number read out as its last four digits."""
    app = desk_app(mocks.backends(), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, mocks, intent="payment")
        await step_until(pilot, mocks, lambda: "The expiry" in heard(pilot), "the card read out, then the expiry")
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in contact_rows(pilot), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "tab", *"Took a card payment.", "ctrl+s")
        crm = mocks.crm()
        customer = f"cus-{3 + 1:06d}"

        async def written() -> list[str]:
            mine = [i for i in await crm.list_interactions(customer) if i.agent_id == "agent-001"]
            if not mine:
                return []
            return [f"{line.role}: {line.text}" for line in (await crm.interaction(mine[0].id)).transcript]

        lines: list[str] = []
        for _ in range(100):
            if lines := await written():
                break
            await pilot.pause(0.05)
    assert lines[:2] == [
        "agent: Thank you for calling, my name is Alex. How can I help you today?",
        "customer: Hello, I would like to pay my outstanding balance by card please.",
    ]
    assert "customer: Sure, my card is •••• 1111." in lines
    assert all("one one" not in line for line in lines)
