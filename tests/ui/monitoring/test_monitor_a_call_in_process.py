"""A supervisor monitoring a voice call reads a useful card, not an empty panel and a line of
jargon. On the in-process backends (the demo's two desks in one app): the agent answers a call and puts the
customer on hold; the supervisor joins it from the Agents table (`j`). The card says who is on the call, how long
since it was answered (the clock moving), that the customer is on hold and for how long, the customer's record
in a line (name, tier, open cases: from the CRM), and in plain words that the call's sound is not on this desk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until


def call_card(pilot: Pilot[None]) -> str:
    panel = pilot.app.screen.query_one(MonitorPanel)
    cards = [card for card in panel.query("MonitorCard") if card.display]
    return "\n".join(str(card.query_one(".monitor-call").render()) for card in cards if card.query(".monitor-call"))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_monitoring_a_call_shows_who_how_long_the_hold_and_the_customer(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=size) as pilot:
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await go_available(pilot)
            await mocks.place_call(caller.phone_e164)
            await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
            await pilot.press("h")
            await wait_until(
                pilot,
                lambda: any(h.contact.state == "on_hold" for h in agent_screen(pilot).desk.held.values()),
                "on hold",
            )
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            agents = screen.query_one("#agents", AgentTable)
            agents.focus()
            await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "floor")
            agents.move_cursor(agents.keys.index("agent-001"))
            await pilot.pause(0.1)
            await pilot.press("j")
            await wait_until(pilot, lambda: caller.name in call_card(pilot), "the customer from the CRM")
            card = call_card(pilot)
            assert "Alex Morgan" in card, card
            assert "on hold" in card, card
            assert "since answered" in card, card
            assert "Billing" in card, card
            assert "open case" in card, card
            assert "sound" in card, card
            assert "audio" not in card, card
            assert "contact's state" not in card, card
            before = card
            mocks.time.advance(5)
            await wait_until(pilot, lambda: call_card(pilot) != before, "the call's clock moving", timeout_s=5)
    finally:
        await mocks.aclose()
