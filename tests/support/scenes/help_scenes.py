"""The help screen (? or F1) over the agent desk on a call and over the supervisor desk: for the snapshot tests
and `make screenshots`, at 120×40 and at 80×24."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from tests.support.scenes.pilot_steps import offer_in_front, wait_until
from tests.support.scenes.scenes import SceneServers, agent_flow_until, scene_app, scene_servers
from tests.support.scenes.supervisor_scene import SteadyFloor, frozen_supervisor_app, supervisor_scene_ready

SMALL = (80, 24)


async def open_help(pilot: Pilot[None], key: str = "question_mark", *, offer_pending: bool = False) -> None:
    """`offer_pending`: an offer comes over the help as over anything open (attention rule 1); a look at it, then
    escape sends it back to its card and the help is in front."""
    await pilot.press(key)
    if offer_pending:
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over the help")
        await pilot.pause(0.5)
        await pilot.press("escape")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "the help screen")
    await pilot.pause(0.3)


async def agent_help(pilot: Pilot[None], servers: SceneServers) -> None:
    """On a call: some keys apply (end, hold, transfer), others say when they would (accept, resume)."""
    await agent_flow_until(pilot, servers, "connected")
    await open_help(pilot)


async def supervisor_help(pilot: Pilot[None]) -> None:
    await supervisor_scene_ready(pilot)
    await open_supervisor_help(pilot)


async def open_supervisor_help(pilot: Pilot[None]) -> None:
    # The start's service-level toasts would cover half of it at 80×24 (another screen's business).
    pilot.app.clear_notifications()
    await open_help(pilot, "f1")


async def capture_help(name: str, folder: Path, desk: str, size: tuple[int, int]) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        if desk == "supervisor":
            with SteadyFloor(Path(data_dir)) as servers:
                app = frozen_supervisor_app(servers)
                async with app.run_test(size=size) as pilot:
                    await supervisor_help(pilot)
                    return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        with scene_servers(Path(data_dir)) as servers:
            app = scene_app(servers)
            async with app.run_test(size=size) as pilot:
                await agent_help(pilot, servers)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
