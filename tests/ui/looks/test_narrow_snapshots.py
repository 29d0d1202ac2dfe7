"""The desks at 80×24, the default size of most terminals (and 120×24, wide but short): the agent desk with a
call, a chat, an email and a wrap-up in hand, and the supervisor desk, each pane with rows of its own. The
voice call at 120×40 too (chat, email and the supervisor at 120×40: test_conversation_snapshots.py and
test_supervisor_snapshots.py). Each replays the recording of its scene (tests/recordings/, recorded at
120×40: the backends answer the same whatever the size). Update with `--snapshot-update` and look at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scenes.scene_recordings import snap_replayed
from tests.support.scenes.scenes import SIZE
from tests.support.snap_compare import SnapCompare

NARROW = (80, 24)
WIDE_SHORT = (120, 24)


@pytest.mark.parametrize(
    ("step", "size"),
    [("connected", NARROW), ("wrap-up", NARROW), ("offer", NARROW), ("connected", SIZE)],
    ids=["voice-80x24", "wrap-up-80x24", "offer-80x24", "voice-120x40"],
)
def test_agent_desk(step: str, size: tuple[int, int], snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"agent-{step}", tmp_path, size)


@pytest.mark.parametrize(
    ("step", "size"),
    [("chat", NARROW), ("email", NARROW), ("chat", WIDE_SHORT)],
    ids=["chat-80x24", "email-80x24", "chat-120x24"],
)
def test_conversation_desk(step: str, size: tuple[int, int], snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, f"conversation-{step}", tmp_path, size)


def test_supervisor_desk(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_replayed(snap_compare, "supervisor", tmp_path, NARROW)
