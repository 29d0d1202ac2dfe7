"""Snapshots of the help screen (? or F1) over the agent desk on a call and over the supervisor desk, at 120×40
and at 80×24, replayed from the recordings of those desks (tests/recordings/agent-connected.jsonl,
supervisor.jsonl): opening help asks the backends nothing. Update with `--snapshot-update` and look at the
report; the help screen's behaviour is tests/e2e/keys/test_help_screen.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.help_scenes import SMALL, open_help, open_supervisor_help
from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_agent_help_snapshot(size: tuple[int, int], snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, "agent-connected", tmp_path, size, then=open_help)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_supervisor_help_snapshot(size: tuple[int, int], snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, "supervisor", tmp_path, size, then=open_supervisor_help)
