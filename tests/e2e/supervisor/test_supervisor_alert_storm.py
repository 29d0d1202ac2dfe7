"""A fresh floor of 100 queues does not bury the supervisor in toasts, by Pilot.

Before: the first caller of each queue who hung up made its service level 0 % and a toast of its
own, and at 100 queues they covered half the screen for about 30 s. Now a level counts once
ten contacts left the queue, and the alerts that appear together make one notification.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content

from agent_desktop.ui.app import AgentDesktopApp
from tests.support.callers_rig import Callers, quiet_floor
from tests.support.scenes.pilot_steps import supervisor_screen, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers
from tests.support.scenes.supervisor_scene import rows, status, supervisor_app, wait_for_floor

QUEUES = 100


@pytest.fixture
def big_floor(tmp_path: Path) -> Iterator[SceneServers]:
    with quiet_floor(tmp_path, agents=200, queues=QUEUES) as servers:
        yield servers


def queue_toasts(app: AgentDesktopApp) -> list[str]:
    """The queue alerts notified so far (shown or already timed out: a loaded machine may outlast a toast)."""
    notified: list[tuple[str, str]] = app.notified  # type: ignore[attr-defined]  # recording_notifications's
    return [f"{title}: {message}" for title, message in notified if title.startswith("Queue alert")]


def recording_notifications(app: AgentDesktopApp) -> AgentDesktopApp:
    app.notified = []  # type: ignore[attr-defined]  # the test's record, on the app it records
    notify = app.notify

    def recorded(message: str | Content, *, title: str | Content = "", **options: Any) -> None:
        app.notified.append((str(title), str(message)))  # type: ignore[attr-defined]  # (as above)
        return notify(message, title=title, **options)

    app.notify = recorded  # type: ignore[method-assign]  # each notification recorded, then shown
    return app


async def test_a_fresh_floor_of_100_queues_makes_no_storm_of_alerts(big_floor: SceneServers) -> None:
    callers = Callers(big_floor)
    assert len(callers.queue_ids) == QUEUES
    for queue_id in callers.queue_ids[:60]:
        callers.call(queue_id, hang_up=True)  # 0 % from one contact: shown, not alerted
    below = callers.queue_ids[60:63]
    for queue_id in below:
        callers.call(queue_id, 10, hang_up=True)  # 0 % from ten contacts: that counts
    app = recording_notifications(supervisor_app(big_floor))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        await wait_until(pilot, lambda: bool(queue_toasts(app)), "the alert")
        await pilot.pause(3)  # a few more statistics arrive
        toasts = queue_toasts(app)
        assert len(toasts) == 1, toasts
        assert toasts[0].startswith("Queue alerts: 3 queues")
        names = [supervisor_screen(pilot).desk.floor.queue_name(q) for q in below]
        assert all(name in toasts[0] for name in names)
        assert "(+2 more)" in status(pilot)
        marked = [r for r in rows(pilot, "#queues") if r.startswith("⚠")]
        assert len(marked) == 3
        first = next(
            r
            for r in rows(pilot, "#queues")
            if supervisor_screen(pilot).desk.floor.queue_name(callers.queue_ids[0])[:10] in r
        )
        assert "0% ▶ few" in first  # the level is there, dim, without "Below"

        # More queues cross while the floor runs: they join the status line at once, the next
        # notification waits its turn (one every 20 s at most).
        for queue_id in callers.queue_ids[63:70]:
            callers.call(queue_id, 10, hang_up=True)
        await wait_until(pilot, lambda: "(+9 more)" in status(pilot), "ten queues alerting")
        await pilot.pause(2)
        assert len(queue_toasts(app)) == 1
