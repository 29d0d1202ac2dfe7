"""The supervisor's queue figures read without explaining, on the in-process backends.

A hundred queues (simulator off; the figures a push would carry applied to the desk as the stream does):
- the queues start in a stated order, alphabetical by name, and the title and the help say so;
- "service level, lowest first" puts 0 % and 25 % first (a plain numeric order, however few contacts a
  level is from), queues no contact has left yet last, saying so;
- a queue below its target shows the target beside "Below";
- at 80×24 a long name is shortened by whole words (or a word's first letters and a dot), never cut in the
  middle of a word, and the rows can still be told apart.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.domain.supervisor.models import QueueStatsEvent, WindowStats
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import supervisor_screen, wait_until

QUEUES = 100
# queue id → (service level %, contacts that left the queue): the figures, shuffled among the queues
LEVELS = {
    "fraud_north": (54.0, 24),
    "sales_west": (82.0, 30),
    "billing_south": (100.0, 12),
    "retention_east": (0.0, 1),
    "moving_north": (25.0, 4),
}


def figures(queue_id: str, name: str, level: float | None, left: int) -> WindowStats:
    return WindowStats(
        queue_id=queue_id,
        queue_name=name,
        waiting=0,
        longest_wait_s=0.0,
        service_level_pct=level,
        answered=left,
        abandoned=0,
        arrived=left,
        service_level_target_pct=80.0,
        service_level_threshold_s=20,
    )


async def floor_with_levels(pilot: Pilot[None]) -> QueueTable:
    screen = supervisor_screen(pilot)
    table = screen.query_one(QueueTable)
    await wait_until(pilot, lambda: len(table.keys) == QUEUES, "the hundred queues")
    floor = screen.desk.floor
    stats = [figures(q, floor.queue_name(q), *LEVELS.get(q, (None, 0))) for q in floor.queue_ids()]
    screen.desk.apply(QueueStatsEvent(at=screen.clock() + timedelta(seconds=1), today=stats, last_30m=stats))
    screen.redraw()
    await pilot.pause()
    return table


@pytest.fixture
def mocks(tmp_path: Path) -> InProcessMocks:
    settings = MockSettings(
        data_dir=tmp_path, seed=42, customers=20, experts=30, agents=120, queues=QUEUES, simulator=False, fresh=True
    )
    return InProcessMocks(settings)


def supervisor_app(mocks: InProcessMocks) -> AgentDesktopApp:
    return desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("supervisor",))


async def test_queues_start_by_name_and_sort_by_service_level_numerically(mocks: InProcessMocks) -> None:
    try:
        async with supervisor_app(mocks).run_test(size=(120, 40)) as pilot:
            table = await floor_with_levels(pilot)
            floor = supervisor_screen(pilot).desk.floor
            names = [floor.queue_name(q) for q in table.keys]
            assert names == sorted(names, key=str.casefold), names[:8]
            assert "by name" in str(table.border_title)

            table.focus()
            await pilot.press("s")
            await pilot.pause()
            assert "service level, lowest first" in str(table.border_title)
            levels = [table.cell(q, "sl").plain.split("%")[0].strip() for q in table.keys[:5]]
            assert levels == ["0", "25", "54", "82", "100"], [table.cell(q, "sl").plain for q in table.keys[:6]]
            last = table.cell(table.keys[-1], "sl").plain
            assert "no contacts" in last, last
            below = table.cell("fraud_north", "sl").plain
            assert "Below" in below, below
            assert "80%" in below, below
    finally:
        await mocks.aclose()


WORD_OR_ABBREVIATION = re.compile(r"^[\w'&]+\.?$")


@pytest.mark.parametrize("size", [(80, 24)])
async def test_names_at_80_columns_are_shortened_by_whole_words(mocks: InProcessMocks, size: tuple[int, int]) -> None:
    try:
        async with supervisor_app(mocks).run_test(size=size) as pilot:
            table = await floor_with_levels(pilot)
            floor = supervisor_screen(pilot).desk.floor
            drawn = {q: table.drawn_text(q)[1:].split("  ")[0].strip().removeprefix("⚠ ") for q in table.keys}
            assert len(set(drawn.values())) == QUEUES
            for queue_id, shown in drawn.items():
                full = floor.queue_name(queue_id)
                if shown == full:
                    continue
                full_words = full.replace("—", " ").split()
                for word in shown.replace("—", " ").replace("…", " ").split():
                    assert word in full_words or (
                        WORD_OR_ABBREVIATION.match(word)
                        and word.endswith(".")
                        and any(w.startswith(word[:-1]) for w in full_words)
                    ), f"{full!r} drawn as {shown!r}: {word!r} is cut mid-word"
    finally:
        await mocks.aclose()
