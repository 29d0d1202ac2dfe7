"""`supervisor-ask-floor` (and `-80x24`): the supervisor's question about the floor (k), answered by the mock model
beside the figures the desk sent, on the in-process backends; billing's half hour below target, as the contact
center's stream brings it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.supervisor.models import QueueStatsEvent, WindowStats
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text, steady_cursors, supervisor_screen

SIZE = (120, 40)
QUESTION = "Why is billing's service level down?"


def billing_below_target(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    """Billing's last half hour as the stream would bring it: 61% against 80%, 9 of 60 callers gone unanswered."""
    desk = supervisor_screen(pilot).desk
    stats = WindowStats(
        queue_id="billing",
        queue_name=desk.floor.queue_name("billing"),
        window="30m",
        waiting=0,
        longest_wait_s=0.0,
        service_level_pct=61.0,
        service_level_target_pct=80,
        service_level_threshold_s=20,
        arrived=60,
        answered=51,
        abandoned=9,
        aht_s=120.0,
        arrival_rate_per_min=2.0,
        staffed=14,
    )
    desk.apply(QueueStatsEvent(at=mocks.clock.now(), last_30m=[stats]))


async def capture_ask_floor(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.desk_app import desk_app
    from tests.support.in_process.model import InProcessModel

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            backends = mocks.backends(supervisor=True, assist=InProcessModel(ModelMockSettings()))
            app = desk_app(backends, clock=mocks.clock.now, desks=("supervisor",))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                desk = supervisor_screen(pilot).desk
                await wait_until(pilot, lambda: "billing" in desk.floor.queue_ids(), "the floor's queues")
                billing_below_target(pilot, mocks)
                await pilot.press("k")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AskFloorBox", "the ask box")
                steady_cursors(pilot)
                await pilot.press(*QUESTION, "enter")
                box = pilot.app.screen
                await wait_until(pilot, lambda: not box.streaming, "the whole answer")  # type: ignore[attr-defined]
                await wait_until(pilot, lambda: "service level" in screen_text(pilot, "#ask-floor-answer"), "drawn")
                pilot.app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
