"""Layout snapshots of the conversation workspace (a chat in progress, an email being answered), against
the real mock servers: frozen clock, fixed seed and size, the simulated customers' answers waited for.

Update with `.venv/bin/python -m pytest tests/test_conversation_snapshots.py --snapshot-update` and look at
the report.
"""

from __future__ import annotations

import pytest

from scripts.conversation_scenes import CONVERSATION_STEPS, SPEED, conversation_flow_until, scene_app_in
from scripts.scenes import SIZE, scene_servers

# Run alone after the parallel run: under the other worker's load the simulated customer's answer once did not
# reach the screen within 30 s (a chat scene, full `make test`; it passes alone in 15 s). Not explained yet.
pytestmark = pytest.mark.heavy


@pytest.mark.parametrize("step", CONVERSATION_STEPS)
def test_conversation_workspace(step, snap_compare, tmp_path):
    with scene_servers(tmp_path / "mocks", speed=SPEED) as servers:

        async def run_before(pilot) -> None:
            await conversation_flow_until(pilot, servers, step)

        assert snap_compare(scene_app_in(servers, tmp_path), terminal_size=SIZE, run_before=run_before)
