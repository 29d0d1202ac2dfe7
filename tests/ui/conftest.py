"""The UI tier's shared fixture: the three mocks of a scene, in process, their clock at the scenes' frozen instant
(tests/support/in_process/scenes.py). A module that needs them built otherwise (a faster floor) defines its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_mocks


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks")
    try:
        yield running
    finally:
        await running.aclose()
