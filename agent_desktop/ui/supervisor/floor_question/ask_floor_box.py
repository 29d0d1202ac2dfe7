"""Ask the floor (k): the supervisor's question to the assistant about the floor (supervisor_desk/floor_question/).
The answer streams in beside the figures the desk sent with the question, a table the supervisor checks it against
(the row under the cursor in full below it). Escape while the answer streams stops it (its request is closed) and
keeps the question; escape again closes. A model that fails or is slow says so in one line, the question kept to ask
again. Nothing here waits on the model; everything shown is drawn literally."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.assist.floor_question.floor_prompt import FIGURE_CHARACTERS, Figure
from agent_desktop.assist.suggestion import Suggestion
from agent_desktop.ui.plain_text import cell, literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Ask = Callable[[str, Callable[[Suggestion], None]], tuple[list[Figure], Suggestion]]
SIDE_BY_SIDE_FROM = 100  # columns: narrower, the figures go under the answer
VALUE_WIDTH = 36  # the value's column: the whole value shows under the table for the row under the cursor


def answer_content(answer: Suggestion | None) -> Content:
    if answer is None:
        return plain("Ask about the floor, then enter: “why is Billing's service level down?”", "dim italic")
    if answer.state == "failed":
        return plain(f"No answer: {answer.error or 'the assistant did not answer'}", "$warning")
    if answer.state == "cancelled":
        return plain(f"{answer.text}\nStopped: enter asks again.".lstrip(), "italic")
    if answer.state == "streaming":
        return plain(answer.text + " …" if answer.text else "The assistant is reading the figures…", "italic")
    return plain(f"{answer.cut}\n{answer.text}" if answer.cut else answer.text)


class AskFloorBox(OverlayScreen[str]):
    ATTENTION = OverlayKind.DIALOG
    OVERLAY_NAME = "Ask the floor"
    CSS_PATH = "ask_floor_box.tcss"
    BINDINGS = [Binding("escape", "escape", "Stop / close")]

    def __init__(self, ask: Ask, cancel: Callable[[], None], figures: Sequence[Figure], question: str = "") -> None:
        """`ask`: the question and a callback told of each piece, giving the figures sent; `cancel`: closes the
        answer's request; `figures`: the floor's figures now (a question asked is sent with those of its moment)."""
        super().__init__()
        self.ask, self.cancel = ask, cancel
        self.answer: Suggestion | None = None
        self.figures: list[Figure] = list(figures)
        self.question = Input(
            question, placeholder="Your question about the floor", id="ask-floor-question", max_length=500
        )
        self.answer_area = Static(answer_content(None), id="ask-floor-answer")
        self.table: DataTable[object] = DataTable(id="ask-floor-figures", cursor_type="row", zebra_stripes=True)
        self.figure_area = Static("", id="ask-floor-figure")
        self.hint = Static("", id="ask-floor-hint")

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-floor-box") as box:
            box.border_title = literal_title("Ask the floor")
            box.border_subtitle = literal_title("enter asks · tab to the figures · escape stops or closes")
            yield self.question
            with Horizontal(id="ask-floor-body"):
                yield self.answer_area
                with Vertical(id="ask-floor-side"):
                    yield self.table
                    yield self.figure_area
            yield self.hint

    def on_mount(self) -> None:
        self.question.cursor_blink = False
        self.table.add_column("Queue or team", width=16)
        self.table.add_column("Figure", width=13)
        self.table.add_column("Value", width=VALUE_WIDTH)
        self._fill(self.figures, "The floor's figures now: a question is sent with them.")
        self._fit(self.app.size.width)
        self.set_focus(self.question)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#ask-floor-body").set_class(width < SIDE_BY_SIDE_FROM, "-stacked")

    def _fill(self, figures: Sequence[Figure], title: str) -> None:
        self.figures = list(figures)
        self.table.clear()
        for figure in self.figures:
            self.table.add_row(  # whole in the cell: cut by its column, whole under the table for the cursor's row
                cell(figure.subject, limit=80), cell(figure.name, limit=40), cell(figure.value, limit=FIGURE_CHARACTERS)
            )
        self.table.border_title = literal_title(title)
        if not self.figures:
            self.figure_area.update(plain("No figures yet: the floor has sent none.", "dim"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.figures):
            figure = self.figures[event.cursor_row]
            self.figure_area.update(plain(f"{figure.subject} · {figure.name}: {figure.value}", "dim"))

    @property
    def streaming(self) -> bool:
        return self.answer is not None and not self.answer.finished

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if question := event.value.strip():
            self.cancel()
            self.answer = None
            figures, self.answer = self.ask(question, self._moved)
            self._fill(figures, "The figures sent with your question")
            self._draw()

    def _moved(self, answer: Suggestion) -> None:
        """A piece, or the end, of the answer (on the loop, from the assistant's task)."""
        if answer is self.answer:
            self._draw()

    def _draw(self) -> None:
        if not self.is_attached:
            return
        answer = self.answer
        self.answer_area.update(answer_content(answer))
        if answer is not None and answer.state == "failed":
            self.hint.update(plain("Your question is kept: enter asks again.", "bold $warning"))
            self.set_focus(self.question)
        else:
            self.hint.update(plain("escape stops the answer" if self.streaming else "", "dim"))

    def action_escape(self) -> None:
        if self.streaming:
            self.cancel()
            self._draw()
            self.set_focus(self.question)
        else:
            self.cancel()
            self.dismiss(self.question.value)  # what was typed, asked or not, is there when the box opens again
