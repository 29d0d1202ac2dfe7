"""Queue names on a big floor can be told apart at every width, on the
in-process backends.

A hundred queues: "Fraud — Premium", "Fraud — Partners", "Technical support — Premium"… At 170 and 120
columns each queue's whole name is shown in the queues and staffing panels (the sparklines, then P(wait),
Erlangs and ASA give their room first); at 80 columns a name is shortened by whole words, never cut inside one
("Billi. Central", "Technic…support" were), keeping the part where such names differ, and no two rows read the
same: the staffing panel's "SL fcst" gives its room for that. The gap chart and the queue's drill-down name
the queue whole; the agent's day names the queue of each contact whole. The alert line in the header is never cut.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import DataTable

from agent_desktop.domain.models import Flag, FlagLine
from agent_desktop.staffing.floor import Alert, Floor
from agent_desktop.ui.supervisor.alerts.flags_table import FlagsTable
from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown
from agent_desktop.ui.supervisor.floor_status import FloorStatus
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.supervisor.staffing.staffing_table import StaffingTable
from agent_desktop.ui.supervisor.staffing.workforce_chart import WorkforceChart
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import (
    go_available,
    in_front,
    open_details,
    shows_connected,
    supervisor_screen,
    wait_until,
)
from tests.support.scenes.scenes import FROZEN_TIME

QUEUES = 100
LONG_ALERT = "Orders and delivery — Overflow: longest wait 612 s > 60 s"


def names_drawn(table: QueueTable | StaffingTable, floor: Floor) -> dict[str, str]:
    """queue id → the name as the row is drawn now (the first column, up to the gap before the next)."""
    return {key: table.drawn_text(key)[1:].split("  ")[0].strip() for key in table.keys}


def cut_inside_a_word(shown: str, name: str) -> bool:
    """`shown` has a word that is not one of `name`'s whole words ("Billi.", "Tec.", "sup…"); a word followed by
    "…" (the rest of the name left out) and the dash are whole."""
    words = name.split()
    return any(word.rstrip("…") not in words for word in shown.removeprefix("⚠ ").split() if word.rstrip("…"))


def flag_in(queue_id: str, n: int, at: datetime) -> Flag:
    return Flag(
        id=f"flag-{n}",
        contact_id=f"c-{n:06}",
        queue_id=queue_id,
        agent_id="agent-002",
        agent_name="Joanna Carter",
        raised_at=at,
        lines=[FlagLine(author="agent", name="Joanna Carter", text="help", at=at)],
    )


def queue_in_flag(row: str, n: int) -> str:
    """The queue as a flag's row draws it: between its contact and its last line."""
    found = re.search(rf"c-{n:06}\s+(.*?)\s+Joanna Carter: help", row)
    assert found, row
    return found.group(1)


def lines_of(widget: Widget) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@pytest.mark.parametrize("size", [(170, 45), (120, 40), (80, 24)])
async def test_every_queue_can_be_told_apart_and_the_alert_is_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    settings = MockSettings(
        data_dir=tmp_path, seed=42, customers=20, experts=30, agents=120, queues=QUEUES, simulator=False, fresh=True
    )
    mocks = InProcessMocks(settings, start=FROZEN_TIME)  # inside the fixed day's opening hours: the gap chart's now
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("supervisor",))
        async with app.run_test(size=size) as pilot:
            screen = supervisor_screen(pilot)
            await wait_until(pilot, lambda: len(screen.query_one(QueueTable).keys) == QUEUES, "the hundred queues")
            await pilot.pause(0.2)
            floor = screen.desk.floor
            for table in (screen.query_one(QueueTable), screen.query_one(StaffingTable)):
                drawn = names_drawn(table, floor)
                assert len(set(drawn.values())) == QUEUES, sorted(
                    n for n in drawn.values() if list(drawn.values()).count(n) > 1
                )
                cut = {floor.queue_name(k): d for k, d in drawn.items() if cut_inside_a_word(d, floor.queue_name(k))}
                assert not cut, f"{type(table).__name__} cuts names inside a word: {cut}"
                if size[0] >= 120:
                    wrong = {floor.queue_name(k): d for k, d in drawn.items() if d != floor.queue_name(k)}
                    assert not wrong, wrong

            if size[0] >= 120:  # an agent's flag on each of the longest queues: its queue by whole words
                longest = sorted(floor.queue_ids(), key=lambda k: -len(floor.queue_name(k)))[:10]
                flags = screen.query_one(FlagsTable)
                screen.desk.flags.reset([flag_in(queue_id, n, mocks.clock.now()) for n, queue_id in enumerate(longest)])
                flags.show(mocks.clock.now())
                await pilot.pause(0.1)
                shown = {q: queue_in_flag(flags.drawn_text(f"flag-{n}"), n) for n, q in enumerate(longest)}
                cut = {floor.queue_name(q): d for q, d in shown.items() if cut_inside_a_word(d, floor.queue_name(q))}
                assert not cut, f"the flags cut queue names inside a word: {cut}"
                assert len(set(shown.values())) == len(longest), shown

            status = screen.query_one(FloorStatus)
            status.alerts = [Alert("orders_overflow", "longest_wait", LONG_ALERT), Alert("fraud", "longest_wait", "x")]
            await pilot.pause(0.2)
            status_text = " ".join(line.text for line in (status.render_line(y) for y in range(status.size.height)))
            assert f"{LONG_ALERT} (+1 more)" in " ".join(status_text.split()), status_text
            assert "contact center" in status_text

            queues = screen.query_one(QueueTable)
            longest_named = max(queues.keys, key=lambda k: len(floor.queue_name(k)))
            queues.focus()
            queues.move_cursor(queues.keys.index(longest_named))
            await pilot.press("g")
            await wait_until(pilot, lambda: "Gap chart ·" in screen_lines(pilot), "the gap chart")
            assert f"Gap chart · {floor.queue_name(longest_named)} ·" in screen_lines(pilot), screen_lines(pilot)
            await wait_until(
                pilot, lambda: screen.query_one("#workforce", WorkforceChart).chart is not None, "the chart drawn"
            )
            await pilot.pause(0.1)
            box_text = screen_lines(
                pilot
            )  # the box is cut by the screen's bottom at 80x24: its reading in words is not
            assert "Worst:" in box_text, box_text
            assert "Now (" in box_text, box_text
            await pilot.press("g")
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QueueDrilldown", "the drill-down")
            await pilot.pause(0.1)
            assert f"Contacts of {floor.queue_name(longest_named)} ─" in screen_lines(pilot), screen_lines(pilot)
    finally:
        await mocks.aclose()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_agents_day_names_each_contacts_queue_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    """The agent's day (`d` on an agent) lists the queue of each contact: "Technical support" whole, not
    "Technical sup…" (its column was 14 cells)."""
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=size) as pilot:
            await go_available(pilot)
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await mocks.place_call(caller.phone_e164, queue_id="tech_support", subject="Router")
            await wait_until(pilot, lambda: "Router" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            await open_details(pilot, "#agents", "agent-001")
            await wait_until(
                pilot,
                lambda: type(pilot.app.screen).__name__ == "AgentDrilldown" and in_front(pilot, AgentDrilldown).loaded,
                "the agent's day",
            )
            table = pilot.app.screen.query_one(DataTable)
            await wait_until(pilot, lambda: table.row_count == 1, "the call in the agent's day")
            await pilot.pause(0.1)
            shown = lines_of(table)
            assert "Technical support" in shown, shown
    finally:
        await mocks.aclose()
