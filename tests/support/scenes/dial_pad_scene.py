"""Dial pad for `make screenshots`: the agent Not ready, `D` pressed, a number typed as the region writes
it, the caller IDs of the agent's queues listed with billing's first chosen. And a call to a colleague: the first free
colleague of the directory searched for, `C`, the call in hand on its own row (their name, `internal`). On the
in-process mocks: every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.widgets import Input

from agent_desktop.domain.vocabulary import Availability
from agent_desktop.ui.agent.conversations.dial_pad import DialPad
from agent_desktop_mocks.ccaas.voice.contact_uri import parse_contact_uri
from tests.support.in_process.scenes import loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text

SIZE = (120, 40)


async def capture_dial_pad(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await pilot.press("n", "enter")
                await wait_until(
                    pilot, lambda: "Not ready" in str(app.screen.query_one("#agent-status").render()), "Not ready"
                )
                await pilot.press("D")
                await wait_until(
                    pilot, lambda: isinstance(app.screen, DialPad) and bool(app.screen.choices), "the dial pad"
                )
                await pilot.press(*"(512) 555-0199")
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_colleague_call(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await pilot.press("n", "enter")
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: "Not ready" in screen_text(pilot, "#agent-status"), "Not ready")
                await wait_until(pilot, lambda: len(desk.directory.experts) > 3, "the directory")
                colleague = min(
                    (e for e in desk.directory.experts.values() if e.presence.availability is Availability.AVAILABLE),
                    key=lambda e: e.id,
                )
                assert colleague.address is not None
                registry = mocks.ccaas_app.state.colleague_softphones
                registry.register(
                    colleague.address, parse_contact_uri("sip:colleague@127.0.0.1:5090"), mocks.clock.now()
                )
                await pilot.press("slash")
                app.screen.query_one("#expert-search", Input).value = colleague.name
                await wait_until(pilot, lambda: list(desk.directory.experts) == [colleague.id], "the search")
                await pilot.press("enter")
                highlighted = agent_screen(pilot).experts.highlighted
                await wait_until(pilot, lambda: (h := highlighted()) is not None and h.id == colleague.id, "their row")
                await pilot.press("C")
                await wait_until(pilot, lambda: "internal" in screen_text(pilot, "#contacts"), "the call's row")
                app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
