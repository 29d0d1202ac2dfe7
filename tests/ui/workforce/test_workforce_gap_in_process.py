"""Gap chart by keys on the in-process backends: on the supervisor screen `g` shows today's scheduled −
needed agents per half-hour of the queue under the cursor (bars, the half-hour now marked, the worst gap in words),
the queue's own figures from the contact center; moving to another queue redraws it for that queue; `g` hides it.
A contact center that keeps no WFM offers no `g`. At 80×24 too."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from agent_desktop.supervisor_desk.workforce.workforce_gap import gap_chart
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, loaded, scene_app, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import screen_text, supervisor_screen

SMALL = (80, 24)


async def supervisor(pilot: Pilot[None]) -> None:
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor screen")


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_g_shows_the_gap_chart_of_the_queue_under_the_cursor(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        await supervisor(pilot)
        screen = supervisor_screen(pilot)
        chart, queues = screen.query_one("#workforce", WorkforceChart), screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: queues.cursor_key is not None, "the queues")
        assert not chart.display, "hidden until asked for"
        first = present(queues.cursor_key)
        await pilot.press("g")
        await wait_until(pilot, lambda: chart.coverage is not None, "the coverage")
        expected = gap_chart(await mocks.supervisor().queue_coverage(first), supervisor_screen(pilot).controller.now())
        assert present(chart.coverage).queues == (first,)
        assert chart.chart is not None
        assert chart.chart.gaps == expected.gaps
        assert expected.words.split(".")[0] in screen_text(pilot, "#workforce-words"), (
            "the worst gap in words, on screen"
        )
        await pilot.press("down")
        await wait_until(pilot, lambda: chart.coverage is not None and chart.coverage.queues != (first,), "next queue")
        assert present(chart.coverage).queues == (queues.cursor_key,)
        await pilot.press("g")
        await pilot.pause()
        assert not chart.display


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_the_gap_chart_draws_short_below_a_zero_line_and_spare_above_it(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    """A shortage was a short bar and a surplus a tall one from one baseline."""
    async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=size) as pilot:
        await loaded(pilot)
        await supervisor(pilot)
        screen = supervisor_screen(pilot)
        chart, queues = screen.query_one("#workforce", WorkforceChart), screen.query_one("#queues", QueueTable)
        await wait_until(pilot, lambda: queues.cursor_key is not None, "the queues")
        await pilot.press("g")
        await wait_until(pilot, lambda: chart.coverage is not None, "the coverage")
        await pilot.pause()
        lines = screen_text(pilot, "#workforce-bars").split("\n")
        zero = next(i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"─"})
        gaps = present(chart.chart).gaps
        assert any(g <= -1 for g in gaps), gaps
        for i, gap in enumerate(gaps):
            column = i * 2
            up = "".join(line[column : column + 1] for line in lines[:zero]).strip()
            down = "".join(line[column : column + 1] for line in lines[zero + 1 :]).strip()
            if gap <= -1:
                assert down, (i, gap, lines)
                assert not up, (i, gap, lines)
            elif gap >= 1:
                assert up, (i, gap, lines)
                assert not down, (i, gap, lines)
            else:
                assert not up, (i, gap, lines)
                assert not down, (i, gap, lines)
        assert "below it: agents short" in screen_text(pilot, "#workforce-words")


async def test_the_charts_words_and_axis_are_in_the_supervisors_own_time(
    mocks: InProcessMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked again: a supervisor at 06:10 in UTC−2 read "Now (08:00)" (UTC) over an axis in
    their own time. The words now say the time the axis and the supervisor's clock say."""
    import time

    monkeypatch.setenv("TZ", "Atlantic/South_Georgia")  # UTC−2 all year
    time.tzset()
    try:
        async with scene_app(mocks, desks=("agent", "supervisor")).run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await supervisor(pilot)
            screen = supervisor_screen(pilot)
            chart, queues = screen.query_one("#workforce", WorkforceChart), screen.query_one("#queues", QueueTable)
            await wait_until(pilot, lambda: queues.cursor_key is not None, "the queues")
            await pilot.press("g")
            await wait_until(pilot, lambda: chart.coverage is not None, "the coverage")
            await pilot.pause()
            words = screen_text(pilot, "#workforce-words")
            local = screen.controller.now().astimezone()
            half_hour = local.replace(minute=local.minute - local.minute % 30).strftime("%H:%M")
            assert f"Now ({half_hour})" in words, (half_hour, words)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
