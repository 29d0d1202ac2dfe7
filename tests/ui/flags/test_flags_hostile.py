"""Hostile text in flags and broadcasts, fed to where the desks draw them: the supervisor's flags table
(agent name, contact, last line), the thread dialog on both desks, the broadcast banner above the agent's offer.
Each payload is shown as written, never parsed into an action, and no control character reaches the terminal
(tests/support/hostile_screen.py's check, as tests/ui/hostile/test_hostile_fed.py does for the other widgets)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from agent_desktop.domain.models import Broadcast, BroadcastEvent, Flag, FlagEvent, FlagLine
from agent_desktop.ui.shared.flag_thread_dialog import FlagThreadDialog
from tests.support.hostile_models import PAYLOADS
from tests.support.hostile_screen import check
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import agent_screen, supervisor_screen


@pytest.mark.parametrize("kind", list(PAYLOADS))
async def test_hostile_flags_and_broadcasts_are_drawn_literally(tmp_path: Path, kind: str) -> None:
    p = PAYLOADS[kind]
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))
    now = mocks.clock.now()
    line = FlagLine(author="agent", author_id="agent-001", name=p, text=p, at=now)
    flag = Flag(
        id=f"f-{kind}",
        contact_id="c-000042",
        queue_id="billing",
        agent_id="agent-001",
        agent_name=p,
        raised_at=now,
        lines=[line],
    )
    try:
        app = scene_app(mocks, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            desk_screen = agent_screen(pilot)
            sent = Broadcast(id="b-1", supervisor_name=p, text=p, sent_at=now, expires_at=now + timedelta(minutes=5))
            desk_screen.controller.receive(BroadcastEvent(broadcast=sent))
            banner = desk_screen.query_one("#broadcasts")
            await wait_until(pilot, lambda: banner.display, "the banner")
            await check(pilot, p, "agent: broadcast banner", cut=20)
            await pilot.app.push_screen(FlagThreadDialog(p, lambda: flag, "Reply"))  # the placeholder is the desk's
            await check(pilot, p, "agent: flag thread dialog", cut=20)
            pilot.app.pop_screen()
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            await wait_until(pilot, lambda: screen.desk.loaded, "the floor")
            screen.desk.apply(FlagEvent(type="flag_raised", contact_id=flag.contact_id, flag=flag, at=now))
            screen.redraw()
            await wait_until(pilot, lambda: screen.query_one("#flags").display, "the flags table")
            await check(pilot, p, "supervisor: flags table", cut=8)
    finally:
        await mocks.aclose()
