"""Layout snapshot of the supervisor screen (pytest-textual-snapshot) against the real mock CCaaS.

A scripted half hour on the floor, then the clock stops at FROZEN_TIME: queues with alerts and
sparklines, staffing advice, agents in every kind of state. A changed snapshot means the screen changed.
Update with `.venv/bin/python -m pytest tests/test_supervisor_snapshots.py --snapshot-update` and look.
"""

from __future__ import annotations

from scripts.scenes import SIZE
from scripts.supervisor_scene import SteadyFloor, frozen_clock, supervisor_app, supervisor_scene_ready


def test_supervisor_screen(snap_compare, tmp_path):
    with SteadyFloor(tmp_path) as servers:
        assert snap_compare(
            supervisor_app(servers, clock=frozen_clock), terminal_size=SIZE, run_before=supervisor_scene_ready
        )
