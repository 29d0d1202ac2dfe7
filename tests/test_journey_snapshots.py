"""Layout snapshots of the caller's journey on the agent's desk: an IVR offer, a callback being dialled.

Frozen clock, fixed seed and size (see tests/test_snapshots.py); the scenes are scripts/journey_scenes.py.
"""

from __future__ import annotations

import pytest

from scripts.journey_scenes import JOURNEY_STEPS
from scripts.scenes import SIZE, agent_flow_until, scene_app, scene_servers


@pytest.mark.parametrize("step", JOURNEY_STEPS)
def test_journey_on_the_agent_screen(step, snap_compare, tmp_path):
    with scene_servers(tmp_path) as servers:

        async def run_before(pilot) -> None:
            await agent_flow_until(pilot, servers, step)
            await pilot.pause(0.3)

        assert snap_compare(scene_app(servers), terminal_size=SIZE, run_before=run_before)
