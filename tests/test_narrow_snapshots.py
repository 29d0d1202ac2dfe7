"""The desks at 80×24, the default size of most terminals (and 120×24, wide but short): the agent desk with a
call, a chat, an email and a wrap-up in hand, and the supervisor desk, each pane with rows of its own. The
voice call at 120×40 too (chat, email and the supervisor at 120×40: test_conversation_snapshots.py and
test_supervisor_snapshots.py). Update with `--snapshot-update` and look at the report.
"""

from __future__ import annotations

import pytest

from scripts.conversation_scenes import SPEED, conversation_flow_until, scene_app_in
from scripts.scenes import SIZE, agent_flow_until, scene_app, scene_servers
from scripts.supervisor_scene import SteadyFloor, frozen_clock, supervisor_app, supervisor_scene_ready

NARROW = (80, 24)
WIDE_SHORT = (120, 24)


@pytest.mark.parametrize(
    ("step", "size"),
    [("connected", NARROW), ("wrap-up", NARROW), ("offer", NARROW), ("connected", SIZE)],
    ids=["voice-80x24", "wrap-up-80x24", "offer-80x24", "voice-120x40"],
)
def test_agent_desk(step, size, snap_compare, tmp_path):
    with scene_servers(tmp_path) as servers:

        async def run_before(pilot) -> None:
            await agent_flow_until(pilot, servers, step)
            await pilot.pause(0.3)

        assert snap_compare(scene_app(servers), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize(
    ("step", "size"), [("chat", NARROW), ("email", NARROW), ("chat", WIDE_SHORT)], ids=["chat-80x24", "email-80x24", "chat-120x24"]
)
def test_conversation_desk(step, size, snap_compare, tmp_path):
    with scene_servers(tmp_path / "mocks", speed=SPEED) as servers:

        async def run_before(pilot) -> None:
            await conversation_flow_until(pilot, servers, step)

        assert snap_compare(scene_app_in(servers, tmp_path), terminal_size=size, run_before=run_before)


def test_supervisor_desk(snap_compare, tmp_path):
    with SteadyFloor(tmp_path) as servers:
        assert snap_compare(
            supervisor_app(servers, clock=frozen_clock), terminal_size=NARROW, run_before=supervisor_scene_ready
        )
