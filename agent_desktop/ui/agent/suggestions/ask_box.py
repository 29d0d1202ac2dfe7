"""The ask box (f7): the agent's question to the assistant about the contact in hand (agent_desk/suggestions/
ask_box.py). The answer streams in under the question, then the articles it was given, those it cites first; enter on
one puts its passage in the reply to edit (never sent by itself), where the article is written for customers. Escape
while the answer streams stops it (its request is closed) and keeps the question; escape again closes. A model that
fails says so here, the question kept to ask again; the status line says it once. Nothing here waits on the model:
the keys answer while it writes. Everything shown is drawn literally."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import Lasts, OverlayKind
from agent_desktop.assist.suggestion import Source, Suggestion
from agent_desktop.domain.formats.text import one_line, strip_controls
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Ask = Callable[[str, Callable[[Suggestion], None]], Awaitable[Suggestion | None]]


def cited_first(sources: tuple[Source, ...], answer: str) -> list[tuple[Source, bool]]:
    """The articles the answer was given, those it cites first (each with whether it is cited)."""
    marked = [(source, source.cited_in(answer)) for source in sources]
    return [pair for pair in marked if pair[1]] + [pair for pair in marked if not pair[1]]


def answer_content(answer: Suggestion | None, searching: bool) -> Content:
    if answer is None:
        return plain("Searching the knowledge base…" if searching else "Type a question, then enter.", "dim italic")
    if answer.state == "failed":
        return plain(f"No answer: {answer.error or 'the assistant did not answer'}", "$warning")
    if answer.state == "cancelled":
        shown = answer.text
        return Content("\n").join([plain(shown, "dim"), plain("Stopped: enter asks again.", "italic")])
    if answer.state == "streaming":
        return plain(answer.text + " …" if answer.text else "The assistant is writing…", "italic")
    cut = [plain(answer.cut, "bold $warning")] if answer.cut else []
    return Content("\n").join([*cut, plain(answer.text)])


def source_label(source: Source, cited: bool) -> Content:
    mark = ("cited · ", "bold $accent") if cited else ("also found · ", "dim")
    audience = [] if source.for_reply else [plain("  for agents only: not for a reply", "$warning")]
    head = Content.assemble(mark, plain(one_line(source.title, 80), "bold"), *audience)
    return Content.assemble(head, "\n", plain(one_line(source.text, 400), "dim"))


class AskBox(OverlayScreen[str | None]):
    """Dismisses with a passage for the reply, or None."""

    ATTENTION = OverlayKind.DIALOG
    LASTS = Lasts.WHILE_IN_HAND
    OVERLAY_NAME = "The ask box"
    CSS_PATH = "../dialog_box.tcss"
    BINDINGS = [
        Binding("escape", "escape", "Stop / close"),
        Binding("down", "to_sources", "Articles", show=False),
    ]

    def __init__(self, ask: Ask, cancel: Callable[[], None], *, writing: bool, question: str = "") -> None:
        """`ask`: the question and a callback told of each piece; `cancel`: closes the answer's request; `writing`:
        a written conversation is selected, so enter puts a passage in its reply."""
        super().__init__()
        self.ask, self.cancel, self.writing = ask, cancel, writing
        self.answer: Suggestion | None = None
        self.searching = False
        self.sources: list[tuple[Source, bool]] = []
        self._drawn: tuple[int, int] | None = None
        self.question = Input(
            question, placeholder="Your question about this contact", id="ask-question", max_length=500
        )
        self.answer_area = Static(answer_content(None, False), id="ask-answer")
        self.results = OptionList(id="ask-sources")
        self.hint = Static("", id="ask-hint", classes="dialog-hint")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="ask-box") as box:
            box.border_title = literal_title("Ask the assistant")
            into = "↓ articles, enter puts a passage in your reply" if self.writing else "↓ articles"
            box.border_subtitle = literal_title(f"enter asks · {into} · escape stops or closes")
            yield from (self.question, self.answer_area, self.results, self.hint)

    def on_mount(self) -> None:
        self.results.display = False
        self.set_focus(self.question)

    @property
    def streaming(self) -> bool:
        return self.searching or (self.answer is not None and not self.answer.finished)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if question := event.value.strip():
            self.run_ask(question)

    @work(exclusive=True, group="ask")
    async def run_ask(self, question: str) -> None:
        self.cancel()
        self.answer, self.searching, self.sources = None, True, []
        self._draw()
        try:
            answer = await self.ask(question, self._moved)
        finally:
            self.searching = False
        self.answer = answer
        self._draw()

    def _moved(self, answer: Suggestion) -> None:
        """A piece, or the end, of the answer (on the loop, from the assistant's task)."""
        if answer is self.answer or self.answer is None:
            self.answer = answer
            self._draw()

    def _draw(self) -> None:
        if not self.is_attached:
            return
        answer = self.answer
        drawn = (id(answer), answer.version) if answer is not None else None
        if drawn is not None and drawn == self._drawn:
            return
        self._drawn = drawn
        self.answer_area.update(answer_content(answer, self.searching))
        results = self.results
        if answer is None or not answer.finished:
            if results.display:
                results.clear_options()
                results.display = False
            self._hint("escape stops the answer" if self.streaming else "")
            return
        self.sources = cited_first(answer.sources, answer.text) if answer.state == "done" else []
        results.clear_options()
        results.add_options(Option(source_label(source, cited)) for source, cited in self.sources)
        results.display = bool(self.sources)
        if self.sources:
            results.highlighted = 0
        if answer.state == "failed":
            self._hint("Your question is kept: enter asks again.", "bold $warning")
            self.set_focus(self.question)
        elif self.sources:
            self._hint("↓ to the articles" + (", enter puts the passage in your reply" if self.writing else ""))
        else:
            self._hint("No article was found for this question.")

    def _hint(self, text: str, style: str = "dim") -> None:
        self.hint.update(plain(text, style))

    def action_escape(self) -> None:
        if self.streaming:
            self.workers.cancel_group(self, "ask")
            self.searching = False
            self.cancel()
            if self.answer is not None:
                self._moved(self.answer)
            else:
                self.answer_area.update(plain("Stopped: enter asks again.", "italic"))
            self._hint("")
            self.set_focus(self.question)
        else:
            self.dismiss(None)

    def action_to_sources(self) -> None:
        results = self.results
        if results.display and self.focused is not results:
            self.set_focus(results)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source, _ = self.sources[event.option_index]
        if not self.writing:
            self._hint("No written conversation is selected: nothing to put the passage in.", "$warning")
        elif not source.for_reply:
            self._hint("This article is for agents only: its passage does not go in a reply.", "bold $warning")
        else:
            self.dismiss(strip_controls(source.text).strip())
