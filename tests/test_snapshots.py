"""Layout snapshots of the agent screen (pytest-textual-snapshot), against the real mock servers.

Frozen clock, fixed seed and size: a changed snapshot means the screen changed.
Update with `.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update` and look at the report.
"""

from __future__ import annotations

import pytest

from scripts.scenes import SIZE, agent_flow_until, scene_app, scene_servers


@pytest.mark.parametrize(
    "step",
    ["available", "offer", "wrap-up", "wrap-up-masked", "picker", "new-caller", "chats-on-hold", "transfer-dialog", "consult"],
)
def test_agent_screen(step, snap_compare, tmp_path):
    with scene_servers(tmp_path) as servers:

        async def run_before(pilot) -> None:
            await agent_flow_until(pilot, servers, step)
            await pilot.pause(0.3)

        assert snap_compare(scene_app(servers), terminal_size=SIZE, run_before=run_before)
