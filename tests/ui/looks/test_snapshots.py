"""Layout snapshots of the agent screen (pytest-textual-snapshot), replayed from recordings: no server runs.

Each scene is the agent flow driven by keys, its backends served from tests/recordings/agent-<step>.jsonl
(recorded against the real mock servers on a frozen clock and a fixed seed: tests/support/scenes/scene_recordings.py).
A changed snapshot means the screen changed; a stale recording fails with `RecordingStale`.
Update with `.venv/bin/python -m pytest tests/ui/looks/test_snapshots.py --snapshot-update` and look at the report;
re-record with `make recordings` (docs/testing.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


@pytest.mark.parametrize(
    "step",
    [
        "available",
        "offer",
        "wrap-up",
        "wrap-up-masked",
        "picker",
        "new-caller",
        "chats-on-hold",
        "transfer-dialog",
        "consult",
    ],
)
def test_agent_screen(step: str, snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"agent-{step}", tmp_path, SIZE)
