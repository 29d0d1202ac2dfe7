"""Layout snapshot of the supervisor screen (pytest-textual-snapshot), replayed from tests/recordings/supervisor.jsonl.

Recorded on the mock CCaaS after a scripted half hour on the floor, the clock stopped at FROZEN_TIME: queues
with alerts and sparklines, staffing advice, agents in every kind of state (tests/support/scenes/supervisor_scene.py).
A changed snapshot means the screen changed. Update with
`.venv/bin/python -m pytest tests/ui/looks/test_supervisor_snapshots.py --snapshot-update` and look.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


def test_supervisor_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, "supervisor", tmp_path, SIZE)
