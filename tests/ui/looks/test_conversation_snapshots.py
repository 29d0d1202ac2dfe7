"""Layout snapshots of the conversation workspace (a chat in progress, an email being answered), replayed from
recordings: no server runs, and the simulated customer's answer is in tests/recordings/conversation-*.jsonl.

Update with `.venv/bin/python -m pytest tests/ui/looks/test_conversation_snapshots.py --snapshot-update` and look at
the report; re-record with `make recordings` (docs/testing.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.conversation_scenes import CONVERSATION_STEPS
from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


@pytest.mark.parametrize("step", CONVERSATION_STEPS)
def test_conversation_workspace(step: str, snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"conversation-{step}", tmp_path, SIZE)
