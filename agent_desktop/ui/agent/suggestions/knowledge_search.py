"""The knowledge base searched from the desk (ctrl+l): the articles that match, each with the passage that matched
and its words marked, best first. Opened with a search made from what the customer last wrote (on a call, from the
contact's subject) and run at once, so the articles that answer are there before the agent types; enter on one written
for customers puts its passage in the reply (`l` its link) to edit, never sent by itself; an internal one (a procedure
for agents) is shown whole instead, saying why it is not put in the reply; on a call, or with `v`, the article is shown
whole here. Everything in an article is drawn literally: a knowledge base is another system's text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.formats.text import strip_controls
from agent_desktop.domain.knowledge.models import INTERNAL_NOT_INSERTED, Article, ArticleHit, Passage
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Search = Callable[[str], Awaitable[list[ArticleHit]]]
Read = Callable[[str], Awaitable[Article]]
MATCH_STYLE = "bold $accent"


def passage_content(passage: Passage) -> Content:
    """The passage as written, its matched words marked (only where the text is shown as it came: a control
    character taken out would move every mark after it)."""
    shown = strip_controls(passage.text)
    content = Content(shown.replace("\n", " "))  # one paragraph: a list row, not the article's layout
    if shown != passage.text:
        return content
    for start, end in passage.matches:
        content = content.stylize(MATCH_STYLE, start, end)
    return content


AUDIENCE_LABELS = {"customer": "for customers", "internal": "internal"}


def hit_label(hit: ArticleHit) -> Content:
    where = " · ".join(part for part in (hit.section, hit.queue, AUDIENCE_LABELS[hit.audience]) if part)
    head = Content.assemble(plain(hit.title, "bold"), plain(f"  {where}", "dim") if where else "")
    return Content.assemble(head, "\n", passage_content(hit.snippet))


def passage_for_reply(passage: Passage) -> str:
    """The passage as a reply starts from: its text without the search's elisions at either end."""
    return strip_controls(passage.text).strip().strip("…").strip()


class KnowledgeSearch(OverlayScreen[str | None]):
    """Dismisses with the text for the reply (a passage, or an article's link), or None."""

    ATTENTION = OverlayKind.DIALOG
    OVERLAY_NAME = "The knowledge search"
    CSS_PATH = "../dialog_box.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "to_results", "Articles", show=False),
        Binding("l", "link", "Link", tooltip="Put the highlighted article's link in the reply"),
        Binding("v", "view", "View", tooltip="Show the highlighted article whole"),
    ]

    def __init__(self, search: Search, read: Read, query: str, *, writing: bool) -> None:
        """`writing`: a written conversation is selected, so enter puts a passage in its reply."""
        super().__init__()
        self.search, self.read, self.first_query, self.writing = search, read, query, writing
        self.hits: list[ArticleHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="knowledge-box") as box:
            box.border_title = literal_title("Knowledge base")
            into = "enter into your reply · l link · v view" if self.writing else "enter shows it"
            box.border_subtitle = literal_title(f"↓ articles · {into} · escape closes")
            yield Input(
                self.first_query, placeholder="What the customer asks about", id="knowledge-query", max_length=200
            )
            yield OptionList(id="knowledge-results")
            with VerticalScroll(id="knowledge-article"):
                yield Static("", id="knowledge-article-text")
            yield Static("", id="knowledge-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False
        self.query_one("#knowledge-article").display = False
        self.set_focus(self.query_one(Input))
        if self.first_query:
            self._hint("Articles for what the customer last wrote…")
            self.run_search(self.first_query)
        else:
            self._hint("Type what the customer asks about, then enter.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("link", "view"):  # a letter in the search box is typed, not a key
            on_results = self.focused is self.query_one(OptionList) and bool(self.hits)
            return on_results and (self.writing or action == "view")
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if query := event.value.strip():
            self._hint("Searching…")
            self.run_search(query)
        else:
            self._hint("Type what the customer asks about, then enter.")

    @work(exclusive=True, group="knowledge-search")
    async def run_search(self, query: str) -> None:
        try:
            hits = await self.search(query)
        except BackendError as error:
            self._hint(f"The knowledge base did not answer: {error.message}", "bold $error")
            return
        results = self.query_one(OptionList)
        results.clear_options()
        self.hits = hits
        results.add_options(Option(hit_label(hit)) for hit in hits)
        results.display = bool(hits)
        self.query_one("#knowledge-article").display = False
        if hits:
            results.highlighted = 0
            self._hint(f"{len(hits)} article{'s' if len(hits) > 1 else ''}: ↓ (or tab), then enter.")
        else:
            self._hint("No article matches. Try other words.")
        self.refresh_bindings()

    @work(exclusive=True, group="knowledge-article")
    async def show_article(self, hit: ArticleHit, why: str | None = None) -> None:
        """The article whole; `why`: said under it (an internal article the agent asked to put in the reply)."""
        try:
            article = await self.read(hit.id)
        except BackendError as error:
            self._hint(f"The article could not be read: {error.message}", "bold $error")
            return
        self.query_one("#knowledge-article-text", Static).update(
            Content.assemble(plain(article.title, "bold"), "\n", plain(article.url, "dim"), "\n\n", plain(article.body))
        )
        self.query_one("#knowledge-article").display = True
        if why is not None:
            self._hint(f"{why} escape closes · ↑ back to the articles", "bold $warning")
        else:
            self._hint("escape closes · ↑ back to the articles")

    def _hint(self, text: str, style: str = "dim") -> None:
        self.query_one("#knowledge-hint", Static).update(plain(text, style))

    def _highlighted(self) -> ArticleHit | None:
        index = self.query_one(OptionList).highlighted
        return self.hits[index] if index is not None and index < len(self.hits) else None

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.display and self.focused is not results:
            self.set_focus(results)
            self.refresh_bindings()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[event.option_index]
        if self.writing and hit.audience == "customer":
            self.dismiss(passage_for_reply(hit.snippet))
        else:
            self.show_article(hit, INTERNAL_NOT_INSERTED if self.writing else None)

    def action_link(self) -> None:
        if (hit := self._highlighted()) is None or not self.writing:
            return
        if hit.audience == "customer":
            self.dismiss(strip_controls(hit.url))
        else:
            self.show_article(hit, INTERNAL_NOT_INSERTED)

    def action_view(self) -> None:
        if (hit := self._highlighted()) is not None:
            self.show_article(hit)

    def action_cancel(self) -> None:
        self.dismiss(None)
