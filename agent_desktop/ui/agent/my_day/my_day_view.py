"""The "my day" panel: the agent's own figures for today and today's contacts with their dispositions,
as the desk worked them out (agent_desktop/agent_desk/my_day/my_day.py), and the agent's callbacks due today (time in
the agent's zone and the customer's, and their state: agent_desktop/agent_desk/callbacks/callback_rules.py) above the
contacts, the one part of the day still ahead; under the figures, the agent's shift today with its breaks, lunch
and the next of them (agent_desktop/agent_desk/my_day/schedule_strip.py); the quality evaluations supervisors
released to the agent, with score and comments, where `a` acknowledges the highlighted one. Escape or d
closes it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.callbacks.callback_rules import CallbackRow
from agent_desktop.agent_desk.my_day.my_day import DayFigures, answered, duration_words, score_words
from agent_desktop.agent_desk.my_day.schedule_strip import ScheduleStrip
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Evaluation
from agent_desktop.ui.plain_text import cell, literal_title, plain, toast
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

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
        ("Handled ", "bold"),
        f"{day.handled_total}",
        f"  ({by_channel})" if by_channel else "",
        f"   {day.in_hand} in hand" if day.in_hand else "",
        "\n",
        ("Avg handle ", "bold"),
        duration_words(day.average_handle),
        ("   Avg wrap-up ", "bold"),
        duration_words(day.average_wrap_up),
        "\n",
        ("Answer rate ", "bold"),
        rate,
        f"   offers {offers.offered} · accepted {offers.accepted} · rejected {offers.rejected} · ",
        (f"missed {offers.missed}", missed_style),
        "\n",
        ("Logged in ", "bold"),
        duration_words(day.logged_in),
        "\n",
        (states or "no states yet", "dim"),
    )


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


DISPUTE_CHARACTERS = 500  # as the contact center takes a dispute's reason


class MyDayView(OverlayScreen[None]):
    OVERLAY_NAME = "My day"
    ATTENTION = OverlayKind.VIEW
    CSS_PATH = "my_day_view.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("d", "dismiss", "Close", show=False),
        Binding("a", "acknowledge", "Acknowledge evaluation", show=False),
        Binding("x", "dispute", "Dispute evaluation", show=False),
    ]

    def __init__(
        self,
        day: DayFigures,
        callbacks: list[CallbackRow] | None = None,
        *,
        schedule: ScheduleStrip | None = None,
        evaluations: list[Evaluation] | None = None,
        acknowledge: Callable[[str], Awaitable[Evaluation | None]] | None = None,
        dispute: Callable[[str, str], Awaitable[Evaluation | None]] | None = None,
    ) -> None:
        """`callbacks`: today's, or None where the contact center keeps none for an agent (no section); `schedule`:
        the agent's shift today, or None where it keeps no schedule; the same for `evaluations` (newest
        first), which `acknowledge` (the desk's use case) acknowledges one by one, or `dispute` disputes with a
        reason typed (x, then enter)."""
        super().__init__()
        self.day = day
        self.callbacks = callbacks
        self.schedule = schedule
        self.evaluations = {e.id: e for e in evaluations or []}
        self.show_evaluations = evaluations is not None
        self._acknowledge = acknowledge
        self._dispute = dispute
        # The evaluations' widgets, kept (composed where evaluations are shown and any are released)
        self.evaluations_table: DataTable[Text] = DataTable(
            id="my-day-evaluations", cursor_type="row", zebra_stripes=True
        )
        self.evaluations_heading = Static(id="my-day-evaluations-heading", classes="my-day-heading")
        self.comments = Static(id="my-day-evaluation-comments", classes="my-day-hint")
        self.reason = Input(
            placeholder="Why you dispute it (enter sends, escape keeps it)",
            id="my-day-dispute-reason",
            max_length=DISPUTE_CHARACTERS,
        )

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
            if self.show_evaluations:
                yield from self._evaluations_section()
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
        table: DataTable[Text] = DataTable(id="my-day-callbacks", cursor_type="row", zebra_stripes=True)
        for label, width in (("You", 5), ("Customer", 10), ("Number", 14), ("Note", 22), ("State", 17)):
            table.add_column(label, width=width)
        for row in rows:
            style = CALLBACK_STYLES.get(row.state, "")
            table.add_row(
                cell(row.agent_time),
                cell(row.customer_time, limit=10),
                cell(shown_phone(row.number), limit=14),
                cell(row.note or "—", limit=22),
                cell(row.state, style),
                key=row.id,
            )
        yield table

    def _evaluations_heading(self) -> Content:
        waiting = sum(not answered(e) for e in self.evaluations.values())
        keys = "a, or x disputes" if self._dispute is not None else "a"
        return plain(f"Evaluations ({len(self.evaluations)}, {waiting} to acknowledge: {keys})", "bold")

    def _evaluations_section(self) -> ComposeResult:
        self.evaluations_heading.update(self._evaluations_heading())
        yield self.evaluations_heading
        if not self.evaluations:
            yield Static(plain("None released to you yet.", "dim"), classes="my-day-hint")
            return
        table = self.evaluations_table
        for label, width in (("Released", 11), ("Contact", 9), ("Form", 15), ("Score", 15), ("By", 12), ("Ack", 5)):
            table.add_column(label, width=width)
        for e in self.evaluations.values():
            table.add_row(*self._evaluation_cells(e), key=e.id)
        yield table
        yield self.comments
        self.reason.display = False
        yield self.reason

    @staticmethod
    def _evaluation_cells(e: Evaluation) -> tuple[Text, ...]:
        acknowledged = e.acknowledged_at is not None
        ack = "yes" if acknowledged else "disp." if e.disputed_at is not None else "—"
        return (
            cell(e.released_at.astimezone().strftime("%d %b %H:%M")),
            cell(e.contact_id, limit=9),
            cell(e.form_name or e.form_id, limit=15),
            cell(score_words(e), "bold $error" if e.auto_failed else ""),
            cell(e.evaluator_name, limit=12),
            cell(ack, "" if answered(e) else "bold"),
        )

    @on(DataTable.RowHighlighted, "#my-day-evaluations")
    def _evaluation_highlighted(self, event: DataTable.RowHighlighted) -> None:
        e = self.evaluations.get(str(event.row_key.value))
        if e is not None:
            self._show_comments(e)

    @work(group="acknowledge", exclusive=True)
    async def action_acknowledge(self) -> None:
        found = self._chosen_evaluation()
        if found is None or self._acknowledge is None or answered(chosen := found[1]):
            return
        done = await self._acknowledge(chosen.id)
        if done is not None:
            self._redraw_evaluation(done)

    def _chosen_evaluation(self) -> tuple[DataTable[Text], Evaluation] | None:
        table = self.evaluations_table
        if not table.is_attached or table.row_count == 0:
            return None
        chosen = self.evaluations.get(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        return (table, chosen) if chosen is not None else None

    def action_dispute(self) -> None:
        """x: a reason to type for the highlighted evaluation, unless it is acknowledged or disputed already."""
        found = self._chosen_evaluation()
        if found is None or self._dispute is None:
            return
        if answered(found[1]):
            toast(self, plain("This evaluation is acknowledged or disputed already."), severity="warning")
            return
        self.reason.display = True
        self.set_focus(self.reason)

    @on(Input.Submitted, "#my-day-dispute-reason")
    def _reason_given(self, event: Input.Submitted) -> None:
        event.stop()
        found = self._chosen_evaluation()
        if found is not None and event.value.strip():
            self._send_dispute(found[1].id, event.value)

    @work(group="acknowledge", exclusive=True)
    async def _send_dispute(self, evaluation_id: str, reason: str) -> None:
        if self._dispute is None:
            return
        done = await self._dispute(evaluation_id, reason)
        if done is not None:
            self.reason.value, self.reason.display = "", False
            self._redraw_evaluation(done)
            self.set_focus(self.evaluations_table)

    def _redraw_evaluation(self, done: Evaluation) -> None:
        self.evaluations[done.id] = done
        table = self.evaluations_table
        for column, value in zip(table.columns, self._evaluation_cells(done), strict=True):
            table.update_cell(done.id, column, value)
        self.evaluations_heading.update(self._evaluations_heading())
        self._show_comments(done)

    def _show_comments(self, e: Evaluation) -> None:
        """The highlighted evaluation's comments and answers under the table, and the agent's dispute if any."""
        answers = " · ".join(f"{a.question_id} {a.label}" for a in e.answers)
        disputed = [f"You disputed it: {e.dispute_reason}"] if e.disputed_at is not None else []
        text = "\n".join([e.comments or "No comments.", answers, *disputed])
        self.comments.update(plain(text))

    def on_mount(self) -> None:
        table = self.query_one("#my-day-contacts", DataTable)
        for label, width in (("Time", 5), ("Ch", 5), ("Customer", 18), ("Queue", 12), ("Handle", 7), ("Outcome", 16)):
            table.add_column(label, width=width)
        for contact in self.day.contacts:
            table.add_row(
                cell(contact.at.astimezone().strftime("%H:%M")),
                cell(contact.channel.value),
                cell(shown_phone(contact.address), limit=18),
                cell(contact.queue, limit=12),
                cell(duration_words(contact.handle)),
                cell(contact.disposition or "in hand", "" if contact.disposition else "italic", limit=16),
                key=contact.id,
            )
        waiting = any(not answered(e) for e in self.evaluations.values())
        evaluations = self.evaluations_table
        self.set_focus(evaluations if waiting and evaluations.is_attached else table)

    async def action_dismiss(self, result: None = None) -> None:
        if self.reason.is_attached and self.reason.display:  # escape on the reason: put away, what is typed kept
            self.reason.display = False
            self.set_focus(self.evaluations_table)
            return
        self.dismiss(result)
