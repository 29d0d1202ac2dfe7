"""The gap chart: today's scheduled − needed agents per half-hour of the queue under the cursor in the
Queues table: the worst gap and now in words, then bars either side of a zero line (spare agents up, short agents
down), the half-hour now marked under them
(agent_desktop/supervisor_desk/workforce/workforce_gap.py). Hidden until `g`; it reads the queue's coverage when shown and
when the queue under the cursor changes, and moves its marker on with the clock."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from agent_desktop.domain.workforce.models import Coverage
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.supervisor_desk.workforce.workforce_gap import GapChart, axis_lines, gap_bars, scale_words
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.supervisor.live_table import LiveTable

PER_INTERVAL = 2  # columns per half-hour: a day of 24 half-hours is 48 columns, inside 80
MARKER_EVERY_S = 60.0


class WorkforceChart(Vertical):
    def __init__(self, controller: SupervisorController, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.controller = controller
        self.coverage: Coverage | None = None
        self.chart: GapChart | None = None
        self.queue_id: str | None = None

    def compose(self) -> ComposeResult:
        # The words first: where the screen's bottom cuts the box (80×24, or the flags shown above), the worst gap
        # and now are still read; the bars under them are the detail.
        yield Static(id="workforce-words")
        yield Static(id="workforce-bars")
        yield Static(id="workforce-axis")

    def on_mount(self) -> None:
        self.display = False
        self.border_title = "Gap chart"
        self.watch(self._queues(), "cursor_row", self._queue_moved, init=False)
        self.set_interval(MARKER_EVERY_S, self.draw)

    def _queues(self) -> LiveTable:
        return self.screen.query_one("#queues", LiveTable)

    def toggle(self) -> None:
        self.display = not self.display
        if self.display:
            self.read()

    def _queue_moved(self) -> None:
        if self.display and self._queues().cursor_key != self.queue_id:
            self.read()

    @work(exclusive=True, group="workforce-chart")
    async def read(self) -> None:
        self.queue_id = queue_id = self._queues().cursor_key
        self.coverage = None if queue_id is None else await self.controller.workforce.coverage(queue_id)
        self.draw()

    def draw(self) -> None:
        if not self.display:
            return
        words = self.query_one("#workforce-words", Static)
        bars, axis = self.query_one("#workforce-bars", Static), self.query_one("#workforce-axis", Static)
        name = self.controller.desk.floor.queue_name(self.queue_id) if self.queue_id else "no queue"
        self.border_title = literal_title(f"Gap chart · {name} · scheduled − needed agents per half-hour today")
        if self.coverage is None:
            self.chart, bars.display, axis.display = None, False, False
            words.update(plain("No coverage: choose a queue in the Queues table (tab moves there).", "dim"))
            return
        zone = self.controller.now().astimezone().tzinfo  # the words and the axis in the supervisor's own time
        self.chart = chart = self.controller.workforce.chart(self.coverage, zone)
        above, below = (
            [line for line in lines if any(line.strip() for line in lines)]
            for lines in gap_bars(chart.gaps, PER_INTERVAL)
        )  # a day with nothing spare (or nothing short) gives that side no rows
        width = len(chart.gaps) * PER_INTERVAL
        bars.display = True
        bars.update(
            Text("\n").join(
                [Text(line, style="green") for line in above]
                + [Text("─" * width, style="dim")]
                + [Text(line, style="red") for line in below]
            )
        )
        marker, hours = axis_lines(chart, PER_INTERVAL, zone)
        axis.display = True
        axis.update(plain(f"{marker}\n{hours}"))
        words.update(plain(f"{chart.words}  {scale_words(chart)}"))
