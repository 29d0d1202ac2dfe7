"""Over the real mock servers on loopback, by keyboard (Pilot): the agent's desk answers a call whose caller
came through the IVR to pay by card; what the caller and the agent say arrives on the desk's event stream as it is
heard and shows in the call's area, the card number read out as its last four digits; the supervisor's desk (f2)
monitoring the call reads the same lines on its card. No file of the contact center or the desk holds the number
read out in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.agent.conversations.desk_call import DeskCall
from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers

SPOKEN = b"one one one one"  # four of the card's digits in a row, as the caller reads them out


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=2.0, call_transcripts=True) as served:
        yield served


def unwrapped(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def call_text(pilot: Pilot[None]) -> str:
    return unwrapped(pilot.app.screen.query_one(DeskCall).query_one(CallTranscriptView).plain_lines())


def card_text(pilot: Pilot[None]) -> str:
    panel = pilot.app.screen.query_one(MonitorPanel)
    return unwrapped([line for view in panel.query(CallTranscriptView) if view.display for line in view.plain_lines()])


async def test_a_calls_words_reach_the_agent_and_the_supervisor_with_the_card_masked(
    servers: SceneServers, tmp_path: Path
) -> None:
    app = desk_app(servers.backends(supervisor=True), desks=("agent", "supervisor"))
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        servers.as_supervisor(
            "POST",
            "/v1/contacts",
            {
                "queue_id": "billing",
                "channel": "voice",
                "from_address": servers.caller(3).phone_e164,
                "attached": {"intent": "payment", "menu_path": ["1", "2"]},
            },
        )
        await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
        await pilot.press("a")
        await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
        await wait_until(pilot, lambda: "Thank you for calling" in call_text(pilot), "the agent's greeting")
        await wait_until(pilot, lambda: "my card is •••• 1111." in call_text(pilot), "the card read out, masked")
        assert "one one" not in call_text(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        screen = supervisor_screen(pilot)
        agents = screen.query_one("#agents", AgentTable)
        agents.focus()
        await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "floor")
        agents.move_cursor(agents.keys.index("agent-001"))
        await pilot.pause(0.1)
        await pilot.press("j")
        # The caller goes on while the supervisor gets there: whichever of their last lines is said after the join.
        later = ("The expiry is twelve twenty eight.", "Great, thank you so much for your help!")
        await wait_until(pilot, lambda: any(line in card_text(pilot) for line in later), "the caller's words")
        assert "one one" not in card_text(pilot)
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            assert SPOKEN not in path.read_bytes(), f"{path} holds the card number read out"
