"""Layout snapshots of the experts: the contact's experts suggested, the action menu, the escalation message.

Frozen clock and seed against the real mock servers. Update with
`.venv/bin/python -m pytest tests/test_presence_snapshots.py --snapshot-update` and look at the result.
"""

from __future__ import annotations

import pytest

from scripts.expert_scenes import EXPERT_STEPS, expert_flow_until
from scripts.scenes import SIZE, scene_app, scene_servers


@pytest.mark.parametrize("step", EXPERT_STEPS)
def test_experts(step, snap_compare, tmp_path):
    with scene_servers(tmp_path) as servers:

        async def run_before(pilot) -> None:
            await expert_flow_until(pilot, servers, step)
            await pilot.pause(0.3)

        assert snap_compare(scene_app(servers), terminal_size=SIZE, run_before=run_before)
