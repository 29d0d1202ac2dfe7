"""Layout snapshots of the experts: the contact's experts suggested, the action menu, the escalation message.

Replayed from tests/recordings/agent-experts-*.jsonl (frozen clock and seed), with no server. Update with
`.venv/bin/python -m pytest tests/test_presence_snapshots.py --snapshot-update` and look at the result.
"""

from __future__ import annotations

import pytest

from scripts.expert_scenes import EXPERT_STEPS
from scripts.scene_recordings import snap_replayed
from scripts.scenes import SIZE


@pytest.mark.parametrize("step", EXPERT_STEPS)
def test_experts(step, snap_compare, tmp_path):
    assert snap_replayed(snap_compare, f"agent-{step}", tmp_path, SIZE)
