"""Seen in the demo: "a supervisor's broadcast to the team ("Sent to 7 agents of your team for 15 min") never
reached the agent's screen, Offline or above the next offer". Tried again the way the trial did: the demo's mock
servers over HTTP with their floor running, the agent signed in and Offline at 120×40, the supervisor's broadcast to
its team (the dialog's default), then the agent going Available and a call offered. Not reproduced (the broadcast
reached the Offline agent and stayed in view above the offer): this test keeps it so, read from what the app wrote to
the terminal (tests/support/terminal_grid.py), not from the widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import agent_screen, routable, screen_text, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.terminal_grid import TerminalGrid

WORDS = "Fire drill at 3"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=0.05) as served:
        yield served


def screen_named(pilot: Pilot[None], name: str) -> bool:
    return type(pilot.app.screen).__name__ == name


def shown(grid: TerminalGrid, words: str) -> bool:
    return any(words in line for line in grid.lines())


@pytest.mark.exclusive
async def test_a_broadcast_to_the_team_reaches_an_offline_agent_and_stays_above_the_next_offer(
    servers: SceneServers,
) -> None:
    app = desk_app(servers.backends(supervisor=True), desks=("agent", "supervisor"))
    async with app.run_test(size=SIZE) as pilot:
        grid = TerminalGrid(pilot.app)
        await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent Offline")
        await pilot.press("f2")
        await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "the supervisor's desk")
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: screen_named(pilot, "BroadcastDialog"), "the broadcast dialog")
        await pilot.press(*WORDS, "enter")  # for 15 minutes, to the team: as the dialog opens
        await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "sent")
        sent = [n.message for n in notifications(pilot.app) if "Sent to" in n.message]
        assert sent, [n.message for n in notifications(pilot.app)]
        assert "of your team" in sent[-1], sent
        await pilot.press("f2")
        await wait_until(pilot, lambda: screen_named(pilot, "AgentScreen"), "the agent's desk")
        await wait_until(
            pilot, lambda: shown(grid, WORDS), lambda: "the broadcast on the terminal:\n" + "\n".join(grid.lines())
        )
        assert "Offline" in "\n".join(grid.lines())

        await pilot.press("v")  # Available
        await wait_until(pilot, lambda: routable(pilot), "the agent Available")
        servers.place_call(servers.caller(3).phone_e164, subject="Late fee")
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.offer is not None, "an offer")
        offer = desk.offer
        assert offer is not None
        await wait_until(
            pilot,
            lambda: desk.offer is not offer or shown(grid, "Offer") and shown(grid, offer.contact.subject or "Voice"),
            lambda: "the offer on the terminal:\n" + "\n".join(grid.lines()),
        )
        assert desk.offer is offer, "the offer still there as the terminal shows it (20 s to answer)"
        assert shown(grid, WORDS), "the broadcast in view with the offer:\n" + "\n".join(grid.lines())
