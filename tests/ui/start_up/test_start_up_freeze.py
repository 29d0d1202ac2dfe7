"""The desk's start-up freeze (agent_desktop/ui/app.py): a while after the first screen, what start-up made is taken
out of the garbage collector's full collections (gc.freeze), and given back when the desk closes, so that a
process that runs many desks (the tests) does not keep every one. The test session freezes its own imports
(tests/conftest.py) and turns the desk's freeze off for every other test; here it runs."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import agent_desktop.ui.app
from tests.support.in_process.scenes import SIZE, loaded, scene_app, scene_mocks


async def test_the_desk_freezes_start_up_and_unfreezes_when_it_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agent_desktop.ui.app, "FREEZE_AFTER_S", 0.05)
    mocks = scene_mocks(tmp_path / "mocks")
    gc.unfreeze()  # the session's own freeze, taken again below
    try:
        app = scene_app(mocks)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await pilot.pause(0.2)
            assert gc.get_freeze_count() > 10_000, "start-up's objects are frozen"
        assert gc.get_freeze_count() == 0, "the closed desk gave them back"
    finally:
        await mocks.aclose()
        gc.collect()
        gc.freeze()
