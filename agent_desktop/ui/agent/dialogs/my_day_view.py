"""The "my day" panel (issue 45): the agent's own figures for today and today's contacts with their dispositions,
as the desk worked them out (agent_desktop/agent_desk/my_day.py), and the agent's callbacks due today (time in
the agent's zone and the customer's, and their state: agent_desktop/agent_desk/callback_rules.py) above the
contacts, the one part of the day still ahead; under the figures, the agent's shift today with its breaks, lunch
and the next of them (issue 47: agent_desktop/agent_desk/schedule_strip.py). Read-only; escape or d closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from agent_desktop.agent_desk.callback_rules import CallbackRow
from agent_desktop.agent_desk.my_day import DayFigures, duration_words
from agent_desktop.agent_desk.schedule_strip import ScheduleStrip
from agent_desktop.ui.plain_text import cell, literal_title, plain

MISSED_STYLE = "bold $warning"
CALLBACK_STYLES = {"offered": "bold", "gone to the queue": "italic", "done": "dim"}  # rich styles: DataTable cells


def _summary(day: DayFigures) -> Content:
    """The figures, a few short lines; the time in each state on its own (it may wrap at 80 columns)."""
    by_channel = " · ".join(f"{channel.value} {n}" for channel, n in day.handled.items() if n)
    rate = f"{day.answer_rate:.0%}" if day.answer_rate is not None else "—"
    offers = day.offers
    states = " · ".join(f"{state.label} {duration_words(t)}" for state, t in day.in_state.items())
    missed_style = MISSED_STYLE if offers.missed else ""
    return Content.assemble(
        ("Handled ", "bold"), f"{day.handled_total}", f"  ({by_channel})" if by_channel else "", "\n",
        ("Avg handle ", "bold"), duration_words(day.average_handle),
        ("   Avg wrap-up ", "bold"), duration_words(day.average_wrap_up), "\n",
        ("Answer rate ", "bold"), rate, f"   offers {offers.offered} · accepted {offers.accepted} · rejected "
        f"{offers.rejected} · ", (f"missed {offers.missed}", missed_style), "\n",
        ("Logged in ", "bold"), duration_words(day.logged_in), "\n", (states or "no states yet", "dim"),
    )  # fmt: skip


def _strip(strip: ScheduleStrip, width: int) -> Content:
    """The shift as a strip, each activity with its start, a line broken between activities (never inside one) to
    fit `width`; the one under way bold and marked ▶, the past dim (so it reads without colour); the next break or
    lunch said in words above it."""
    parts: list[Content] = [plain(f"Schedule {strip.shift}", "bold"), plain(f" · {strip.next_words}\n")]
    column = 0
    for n, item in enumerate(strip.items):
        text = f"{'▶ ' if item.now else ''}{item.start} {item.label}"
        if n and column + 3 + len(text) > width:
            parts.append(plain(" ·\n"))
            column = 0
        elif n:
            parts.append(plain(" · "))
            column += 3
        parts.append(plain(text, "bold reverse" if item.now else ("dim" if item.past else "")))
        column += len(text)
    return Content.assemble(*parts)


class MyDayView(ModalScreen[None]):
    CSS_PATH = "my_day_view.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("d", "dismiss", "Close", show=False)]

    def __init__(
        self, day: DayFigures, callbacks: list[CallbackRow] | None = None, schedule: ScheduleStrip | None = None
    ) -> None:
        """`callbacks`: today's, or None where the contact center keeps none for an agent (no section); `schedule`:
        the agent's shift today, or None where it keeps no schedule (issue 47)."""
        super().__init__()
        self.day = day
        self.callbacks = callbacks
        self.schedule = schedule

    def compose(self) -> ComposeResult:
        day = self.day
        with Vertical(classes="my-day-box") as box:
            since, as_of = day.since.astimezone().strftime("%H:%M"), day.as_of.astimezone().strftime("%H:%M")
            box.border_title = literal_title(f"My day · {since}–{as_of}")
            box.border_subtitle = "↑↓ contacts · esc close"
            yield Static(_summary(day), id="my-day-figures")
            if self.schedule is not None:
                yield Static(_strip(self.schedule, min(80, self.app.size.width) - 4), id="my-day-schedule")
            if self.callbacks is not None:
                yield from self._callbacks_section(self.callbacks)
            yield DataTable(id="my-day-contacts", cursor_type="row", zebra_stripes=True)
            if not day.contacts:
                yield Static(plain("No contacts yet today.", "dim"), classes="my-day-hint")

    def _callbacks_section(self, rows: list[CallbackRow]) -> ComposeResult:
        yield Static(plain(f"Callbacks today ({len(rows)})", "bold"), classes="my-day-heading")
        if not rows:
            yield Static(
                plain("None scheduled for today (b on a contact schedules one).", "dim"), classes="my-day-hint"
            )
            return
        table: DataTable = DataTable(id="my-day-callbacks", cursor_type="row", zebra_stripes=True)
        for label, width in (("You", 5), ("Customer", 10), ("Number", 14), ("Note", 22), ("State", 17)):
            table.add_column(label, width=width)
        for row in rows:
            style = CALLBACK_STYLES.get(row.state, "")
            table.add_row(
                cell(row.agent_time), cell(row.customer_time, limit=10), cell(row.number, limit=14),
                cell(row.note or "—", limit=22), cell(row.state, style), key=row.id,
            )  # fmt: skip
        yield table

    def on_mount(self) -> None:
        table = self.query_one("#my-day-contacts", DataTable)
        for label, width in (("Time", 5), ("Ch", 5), ("Customer", 18), ("Queue", 12), ("Handle", 7), ("Outcome", 16)):
            table.add_column(label, width=width)
        for contact in self.day.contacts:
            table.add_row(
                cell(contact.at.astimezone().strftime("%H:%M")),
                cell(contact.channel.value),
                cell(contact.address, limit=18),
                cell(contact.queue, limit=12),
                cell(duration_words(contact.handle)),
                cell(contact.disposition or "in hand", "" if contact.disposition else "italic", limit=16),
                key=contact.id,
            )
        self.set_focus(table)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
