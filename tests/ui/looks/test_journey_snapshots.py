"""Layout snapshots of the caller's journey on the agent's desk: an IVR offer, a callback being dialled.

Replayed from tests/recordings/agent-<step>.jsonl (frozen clock, fixed seed; the scenes are
tests/support/scenes/journey_scenes.py), with no server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.journey_scenes import JOURNEY_STEPS
from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


@pytest.mark.parametrize("step", JOURNEY_STEPS)
def test_journey_on_the_agent_screen(step: str, snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"agent-{step}", tmp_path, SIZE)
