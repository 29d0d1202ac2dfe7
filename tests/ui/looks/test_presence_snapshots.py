"""Layout snapshots of the experts: the contact's experts suggested, the action menu, the escalation message.

Replayed from tests/recordings/agent-experts-*.jsonl (frozen clock and seed), with no server. Update with
`.venv/bin/python -m pytest tests/ui/looks/test_presence_snapshots.py --snapshot-update` and look at the result.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.expert_scenes import EXPERT_STEPS
from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


@pytest.mark.parametrize("step", EXPERT_STEPS)
def test_experts(step: str, snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"agent-{step}", tmp_path, SIZE)
