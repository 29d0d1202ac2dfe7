"""Monitoring by keyboard on the in-process backends: the demo's two desks in one app, the agent
answering a chat, the supervisor joining it from the Agents table (`j`), seeing the customer's next message in
the monitor panel, whispering (`w`) — a line with the bell on the agent's side, never in the customer's view —
barging (`b`), changing mode (`m`) and leaving (`l`). The same flow over real servers is
tests/e2e/monitoring/test_supervisor_monitor.py."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.models import Contact
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.supervisor import InProcessSupervisorConsole
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import (
    back_to_contacts,
    go_available,
    in_front,
    shows_connected,
    supervisor_screen,
    wait_until,
)

SIZE = (120, 40)


def panel_text(pilot: Pilot[None]) -> str:
    panel = pilot.app.screen.query_one(MonitorPanel)
    cards = [card for card in panel.query("MonitorCard") if card.display]
    lines = []
    for card in cards:
        lines.append(f"{card.border_title} / {card.border_subtitle}")  # mode · agent / channel contact
        lines += card.query_one(".monitor-transcript", TranscriptView).plain_lines()
    return "\n".join(lines)


def agent_transcript(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


def shown_keys(pilot: Pilot[None]) -> set[str]:
    return {key.key for key in pilot.app.screen.query_one(KeyFooter).shown()}


async def chat_taken_then_supervisor(pilot: Pilot[None], mocks: InProcessMocks) -> Contact:
    """The agent's desk takes customer 3's chat ("Late fee"), then f2 opens the supervisor's screen; the chat."""
    await go_available(pilot)
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    chat = await mocks.place_call(caller.email, channel="chat", subject="Late fee")
    await wait_until(pilot, lambda: "Late fee" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the chat connected")
    await back_to_contacts(pilot)
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")
    return chat


async def test_a_supervisor_monitors_whispers_barges_and_leaves_by_keys(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    backends = mocks.backends(supervisor=True)
    bells = []
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]  # the chat's customer
            chat = await chat_taken_then_supervisor(pilot, mocks)
            screen = supervisor_screen(pilot)
            assert "j" not in shown_keys(pilot), "j applies in the Agents table only"
            agents = screen.query_one("#agents", AgentTable)
            agents.focus()
            await wait_until(
                pilot, lambda: agents.row_count > 0 and "agent-001" in screen.desk.floor.in_hand, "the floor"
            )
            agents.move_cursor(agents.keys.index("agent-001"))
            await pilot.pause(0.1)
            assert "j" in shown_keys(pilot)
            assert "w" not in shown_keys(pilot)
            await pilot.press("j")
            await wait_until(
                pilot, lambda: chat.id in panel_text(pilot) and "Monitoring ·" in panel_text(pilot), "the monitor card"
            )
            assert {"w", "b", "m", "l"} <= shown_keys(pilot), sorted(shown_keys(pilot))
            assert "Late fee" in panel_text(pilot) or caller.name.split()[0] in panel_text(pilot)

            await mocks.customer_says(chat.id, "Is anyone reading this?")
            await wait_until(pilot, lambda: "Is anyone reading this?" in panel_text(pilot), "the customer's next line")
            # (no receipt from the supervisor: proven over real servers with no agent desk reading, tests/e2e)

            await pilot.press("w")
            await wait_until(
                pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "monitor-input", "the line"
            )  # keys before it would reach the table
            await pilot.press(*"Offer the refund")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Offer the refund" in panel_text(pilot), "the whisper in the monitor card")
            await wait_until(pilot, lambda: "Whispering" in panel_text(pilot), "the mode: whispering")
            customer_side = mocks.ccaas_app.state.monitoring.customer_view(chat.id, SUPERVISOR)
            assert "Offer the refund" not in [item.text for item in customer_side.items]

            await pilot.press("b")
            await wait_until(
                pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "monitor-input", "the line"
            )  # keys before it would reach the table
            await pilot.press(*"I am the team lead")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Barged in" in panel_text(pilot), "the mode: barged in")
            await wait_until(
                pilot,
                lambda: (
                    "I am the team lead"
                    in [i.text for i in mocks.ccaas_app.state.monitoring.customer_view(chat.id, SUPERVISOR).items]
                ),
                "the barge message on the customer's side",
            )
            await pilot.press("m")  # barge → monitor
            await wait_until(pilot, lambda: "Monitoring ·" in panel_text(pilot), "the mode: monitor again")

            await pilot.press("f2")  # the agent's side
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the agent screen")
            await wait_until(pilot, lambda: "Whisper · Riley Chen" in agent_transcript(pilot), "the whisper line")
            await wait_until(
                pilot, lambda: "I am the team lead" in agent_transcript(pilot), "the barge line on the agent's side"
            )
            lines = agent_transcript(pilot)
            assert "Offer the refund" in lines
            assert "to the agent only" in lines
            assert "Riley Chen joined the conversation" in lines  # the barge shows the supervisor as a participant
            assert bells, "a whisper rings the bell"

            await pilot.press("f2")
            await wait_until(
                pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen"
            )
            await pilot.press("l")
            await wait_until(pilot, lambda: not pilot.app.screen.query_one(MonitorPanel).display, "the panel gone")
            assert await of_kind(backends.supervisor, InProcessSupervisorConsole).monitored() == []

            # The agent's day (d) offers the same key on a contact in progress.
            await pilot.press("d")
            await wait_until(
                pilot,
                lambda: type(pilot.app.screen).__name__ == "AgentDrilldown" and in_front(pilot, AgentDrilldown).loaded,
                "the agent's day",
            )
            await pilot.press("j")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "back on the floor")
            await wait_until(pilot, lambda: chat.id in panel_text(pilot), "monitoring again, from the agent's day")
    finally:
        await mocks.aclose()
