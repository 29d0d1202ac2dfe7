"""The assistant's suggested reply above the composer (agent_desk/reply_suggestions.py): its sources, its text as it
streams, what went wrong when it failed, and the keys that use, discard or renew it. It never takes the focus, so a
suggestion arriving never moves the agent's cursor or takes a key; the text is drawn literally (no markup, no
escapes). Hidden where the conversation has none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from agent_desktop.domain.text import one_line
from agent_desktop.ui.plain_text import plain

if TYPE_CHECKING:  # (the assistant's modules load with the first suggestion, not with the desk)
    from agent_desktop.assist.suggestion import Suggestion


class SuggestionArea(Static):
    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.display = False
        self._shown: tuple[object, ...] | None = None

    def show(self, suggestion: Suggestion | None, keys: tuple[str, str, str]) -> None:
        """Draw `suggestion` (None: hidden); `keys`: how the agent's keymap shows use, discard and again."""
        shown = None if suggestion is None else (id(suggestion), suggestion.version, keys)
        if shown == self._shown:
            return  # a redraw of the pane for something else
        self._shown = shown
        self.display = suggestion is not None
        if suggestion is not None:
            self.update(suggestion_content(suggestion, keys))

    def showing(self, suggestion: Suggestion) -> bool:
        """Whether the area was last drawn with `suggestion` (at any point of its stream)."""
        return self._shown is not None and self._shown[0] == id(suggestion)


def suggestion_content(suggestion: Suggestion, keys: tuple[str, str, str]) -> Content:
    """The keys first and the sources last: a long suggestion scrolls in its few lines, its keys stay in view."""
    use, discard, again = keys
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
    return Content("\n").join([heading, body, plain(named, "dim italic")])
