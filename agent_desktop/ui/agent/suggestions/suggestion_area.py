"""The assistant's suggested reply above the composer (agent_desk/suggestions/reply_suggestions.py): its sources, its text as it
streams, what went wrong when it failed, and the keys that use, discard or renew it. Where no model is configured, the
articles the knowledge base found for the customer's message (agent_desk/suggestions/article_hints.py) in the same place, each
with the passage that matched. It never takes the focus, so a suggestion arriving never moves the agent's cursor or
takes a key; the text is drawn literally (no markup, no escapes). Hidden where the conversation has neither."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Unpack

from textual.content import Content
from textual.widgets import Static

from agent_desktop.domain.formats.text import one_line
from agent_desktop.ui.plain_text import plain

if TYPE_CHECKING:  # (the assistant's modules load with the first suggestion, not with the desk)
    from agent_desktop.assist.suggestion import Suggestion
    from agent_desktop.domain.knowledge.models import ArticleHints
    from agent_desktop.ui.lines.widget_options import WidgetOptions


@dataclass(frozen=True)
class SuggestionKeys:
    """How the agent's keymap shows the keys the area names."""

    use: str = "ctrl+n"
    discard: str = "f8"
    again: str = "f9"
    knowledge: str = "ctrl+l"


class SuggestionArea(Static):
    can_focus = False

    def __init__(self, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.display = False
        self._shown: tuple[object, ...] | None = None
        self._articles: tuple[ArticleHints, SuggestionKeys] | None = None

    def show(self, suggestion: Suggestion | None, articles: ArticleHints | None, keys: SuggestionKeys) -> None:
        """Draw `suggestion`, else `articles` (neither: hidden)."""
        if suggestion is not None:
            shown: tuple[object, ...] | None = (id(suggestion), suggestion.version, keys)
        else:
            shown = None if articles is None else (articles, keys)
        if shown == self._shown:
            return  # a redraw of the pane for something else
        self._shown = shown
        was_shown = self.display
        self.display = shown is not None
        was_articles, self._articles = (
            self._articles,
            (articles, keys) if suggestion is None and articles is not None else None,
        )
        if suggestion is not None:
            self.update(suggestion_content(suggestion, keys))
        elif articles is not None:
            # Articles in place of as many (a line each, cut to the width): the same size, so the screen is not laid
            # out again for them, and the frame repaints this area alone.
            same_size = was_shown and was_articles is not None and _lines(was_articles[0]) == _lines(articles) > 0
            self.update(articles_content(articles, keys, self.content_size.width), layout=not same_size)

    def on_resize(self) -> None:
        if self._articles is not None:  # each article's line is cut to the width
            self.update(articles_content(*self._articles, self.content_size.width))

    def showing(self, suggestion: Suggestion) -> bool:
        """Whether the area was last drawn with `suggestion` (at any point of its stream)."""
        return self._shown is not None and self._shown[0] == id(suggestion)


def suggestion_content(suggestion: Suggestion, keys: SuggestionKeys) -> Content:
    """The keys first and the sources last: a long suggestion scrolls in its few lines, its keys stay in view, and so
    does the line saying it is not the whole answer (cut at its length, or stopped before its end)."""
    use, discard, again = keys.use, keys.discard, keys.again
    text = suggestion.text
    if suggestion.state == "failed":
        keys_line, body = (
            f"{again} ask again · {discard} discard",
            plain(f"No suggestion: {suggestion.error or 'the assistant did not answer'}", "$warning"),
        )
    elif suggestion.state == "streaming":
        keys_line, body = f"{discard} discard", plain(text + " …" if text else "The assistant is writing…", "italic")
    else:
        keys_line, body = f"{use} use · {again} again · {discard} discard", plain(text)
    heading = Content.assemble(("Suggested reply", "bold $accent"), ("  " + keys_line, "dim"))
    sources = suggestion.sources
    named = f"from {', '.join(one_line(source.title, 60) for source in sources)}" if sources else "no article matched"
    cut = [plain(suggestion.cut, "bold $warning")] if suggestion.cut and suggestion.state == "done" else []
    return Content("\n").join([heading, *cut, body, plain(named, "dim italic")])


def _lines(articles: ArticleHints) -> int:
    """How many lines `articles_content` gives them, its heading and one an article cut to the width (0: a refusal,
    whose words may wrap)."""
    return 0 if articles.error is not None else 1 + len(articles.hits)


def articles_content(articles: ArticleHints, keys: SuggestionKeys, width: int = 0) -> Content:
    """One line an article, cut to `width` (0: not yet laid out, uncut): its title, then as much of the passage that
    matched as the width leaves. Three lines in all, so the transcript above keeps its room (ctrl+l shows the
    passages whole)."""
    heading = Content.assemble(
        ("Articles for this message", "bold $accent"), (f"  {keys.knowledge} open · {keys.discard} dismiss", "dim")
    )
    if articles.error is not None:
        return Content("\n").join([heading, plain(f"The knowledge base did not answer: {articles.error}", "$warning")])
    lines = [
        Content.assemble(
            ("• ", "dim"), plain(one_line(hit.title), "bold"), " — ", plain(one_line(hit.snippet.text), "dim italic")
        )
        for hit in articles.hits
    ]
    if width > 0:
        lines = [line.truncate(width, ellipsis=True) for line in lines]
    return Content("\n").join([heading, *lines])
