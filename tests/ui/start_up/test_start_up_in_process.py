"""Start-up draws the agent the access check read in the desk's first frame, before the contact center's stream
has said a word (`agent-desktop run` checks access first, agent_desktop/app/commands/run.py), and the desk works from it."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from textual.app import App
from textual.drivers.headless_driver import HeadlessDriver
from textual.screen import Screen

from agent_desktop.app import cli
from agent_desktop.app.commands import desktop, run
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.models import AgentState, ContactCenterEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import screen_text, wait_until

SIZE = (120, 40)


class SlowStream(InProcessContactCenter):
    """The in-process contact center whose stream connects only when the test lets it (a slow link)."""

    def __init__(self, app: FastAPI, agent_id: str, capabilities: ContactCenterCapabilities | None = None) -> None:
        super().__init__(app, agent_id, capabilities)
        self.connect = asyncio.Event()

    async def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        await self.connect.wait()
        async for item in super().events():
            yield item


async def test_the_first_frame_shows_the_agent_the_access_check_read_before_the_stream(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        backends = mocks.backends()
        contact_center = SlowStream(mocks.ccaas_app, backends.contact_center.agent_id)
        backends.contact_center = contact_center
        checked = await contact_center.check_access()
        app = desk_app(backends, clock=mocks.clock.now, agent=checked)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            status = screen_text(pilot, "#agent-status")
            assert "● Offline" in status, status
            assert checked.name in status, status
            assert "contact center" not in status  # the stream has not connected: nothing said about its link
            # Hidden until a conversation or a call is selected, their areas' parts are not composed for this frame.
            assert not pilot.app.screen.query("#conversation > *, #call > *")

            await pilot.press("v")  # its key works before the stream: the contact center is told
            for _ in range(100):
                if (await contact_center.get_agent()).state is AgentState.AVAILABLE:
                    break
                await pilot.pause(0.05)
            assert (await contact_center.get_agent()).state is AgentState.AVAILABLE, (
                "v did not reach the contact center"
            )

            contact_center.connect.set()  # and the stream, once up, brings the state it set
            await wait_until(pilot, lambda: "● Available" in screen_text(pilot, "#agent-status"), "Available by v")
            assert "contact center ●" in screen_text(pilot, "#agent-status")
    finally:
        await mocks.aclose()


async def test_without_a_checked_agent_the_desk_waits_for_the_stream(tmp_path: Path) -> None:
    """A contact center whose check reads no agent (a plug-in's): the status line says it is connecting."""
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        backends = mocks.backends()
        contact_center = SlowStream(mocks.ccaas_app, backends.contact_center.agent_id)
        backends.contact_center = contact_center
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "Connecting to the contact center" in screen_text(pilot, "#agent-status")
            contact_center.connect.set()
            await wait_until(pilot, lambda: "● Offline" in screen_text(pilot, "#agent-status"), "the agent, Offline")
    finally:
        await mocks.aclose()


def test_agent_desktop_leaves_the_collector_on_through_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk's one collector policy is the start-up freeze (agent_desktop/ui/app.py): `agent-desktop` no longer turns
    the collector off until then, which made a second policy, in another module, for no measured gain."""
    seen: list[bool] = []

    def open_desktop(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(desktop, "open_desktop", open_desktop)
    monkeypatch.setattr(run, "load", lambda config, **overrides: None)
    monkeypatch.setattr(run, "agent_access_check", lambda settings: lambda: None)
    monkeypatch.setattr(run, "in_thread", lambda function, *args: None)
    assert cli.main(["run"]) == 0
    assert seen == [True]


class TerminalWrites(HeadlessDriver):
    """A terminal that keeps what the app writes to it (the text, escape sequences removed), in order."""

    writes: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False  # so the app writes its frames here, as to a terminal

    def write(self, data: str) -> None:
        text = re.sub(r"\x1b(\[[0-9;?<>=]*[A-Za-z]|\][^\x07]*\x07|.)", "", data)
        if text.strip():
            TerminalWrites.writes.append(text)


async def test_the_first_thing_the_terminal_shows_is_the_whole_desk(tmp_path: Path) -> None:
    """The desk's first frame is the whole screen at once: it was the header alone, then the status line, then
    the rest two frames later (the screen was composed, laid out and rendered inside Textual's start-up batch,
    which throws that render away)."""
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    TerminalWrites.writes = []
    try:
        backends = mocks.backends()
        checked = await of_kind(backends.contact_center, InProcessContactCenter).check_access()

        app = desk_app(backends, clock=mocks.clock.now, agent=checked, driver_class=TerminalWrites)
        async with app.run_test(size=SIZE, headless=False) as pilot:
            await wait_until(pilot, lambda: TerminalWrites.writes, "a frame")
            first = TerminalWrites.writes[0]
            for part in (
                "Agent desktop",
                "● Offline",
                "Offer",
                "My contacts",
                "Selected contact",
                "Wrap-up",
                "Experts",
            ):
                assert part in first, f"{part!r} not in the first frame:\n{first}"
    finally:
        await mocks.aclose()


async def test_each_desk_looks_the_same_whether_it_opens_first_or_after_f2(tmp_path: Path) -> None:
    """The first desk is the app's default screen (its style file read with the app's); the other is pushed by
    f2 as before. The agent desk reached by f2 from the supervisor's looks as the agent desk opened first, and
    the supervisor's the other way round."""
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    shots: dict[tuple[str, str], str] = {}
    try:
        for desks in (("agent", "supervisor"), ("supervisor", "agent")):
            app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=desks)
            async with app.run_test(size=SIZE) as pilot:
                for desk in (*desks, desks[0]):
                    if app.screen is not app.get_screen(desk):
                        await pilot.press("f2")

                    shown = app.get_screen(desk)

                    def desk_in_front(app: App[None] = app, shown: Screen[Any] = shown) -> bool:
                        return app.screen is shown

                    await wait_until(pilot, desk_in_front, f"the {desk} desk")
                    await pilot.pause(0.3)
                    shots.setdefault((desk, desks[0]), app.export_screenshot())
        for desk in ("agent", "supervisor"):
            assert shots[(desk, "agent")] == shots[(desk, "supervisor")], (
                f"the {desk} desk differs when it opens second"
            )
    finally:
        await mocks.aclose()
