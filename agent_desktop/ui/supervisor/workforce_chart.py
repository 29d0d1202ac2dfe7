"""The gap chart (issue 47): today's scheduled − needed agents per half-hour of the queue under the cursor in the
Queues table, as bars (Textual's `Sparkline`), the half-hour now marked under them, the worst gap and now in words
(agent_desktop/supervisor_desk/workforce_gap.py). Hidden until `g`; it reads the queue's coverage when shown and
when the queue under the cursor changes, and moves its marker on with the clock."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from agent_desktop.domain.workforce_models import Coverage
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.supervisor_desk.workforce_gap import axis_lines, scale_words
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.supervisor.live_table import LiveTable

PER_INTERVAL = 2  # columns per half-hour: a day of 24 half-hours is 48 columns, inside 80
MARKER_EVERY_S = 60.0


class WorkforceChart(Vertical):
    def __init__(self, controller: SupervisorController, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.controller = controller
        self.coverage: Coverage | None = None
        self.queue_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Sparkline([], summary_function=min, id="workforce-bars")
        yield Static(id="workforce-axis")
        yield Static(id="workforce-words")

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
        bars, axis = self.query_one(Sparkline), self.query_one("#workforce-axis", Static)
        name = self.controller.desk.floor.queue_name(self.queue_id) if self.queue_id else "no queue"
        self.border_title = literal_title(f"Gap chart · {name} · scheduled − needed agents per half-hour today")
        if self.coverage is None:
            bars.data, axis.display = [], False
            words.update(plain("No coverage: choose a queue in the Queues table (tab moves there).", "dim"))
            return
        chart = self.controller.workforce.chart(self.coverage)
        bars.data = [gap for gap in chart.gaps for _ in range(PER_INTERVAL)]
        marker, hours = axis_lines(chart, PER_INTERVAL, self.controller.now().astimezone().tzinfo)
        axis.display = True
        axis.update(plain(f"{marker}\n{hours}"))
        words.update(plain(f"{chart.words}  Bars: {scale_words(chart)}"))
