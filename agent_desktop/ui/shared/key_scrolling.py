"""The keys a line-API view is scrolled or walked by (up and down, a page, the two ends), not shown in the
footer: every list has them. Jumps are immediate (no animation): the next frame shows the new place."""

from __future__ import annotations

from textual.binding import Binding
from textual.scroll_view import ScrollView


def scroll_bindings(first: str = "First", last: str = "Last", *, step: str = "line") -> list[Binding]:
    """`step`: the action a line up or down runs (`line` scrolls, `move` moves a cursor); `page(±1)` and
    `edge(0|1)` are the page and the two ends."""
    return [
        Binding("up", f"{step}(-1)", "Up", show=False),
        Binding("down", f"{step}(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", first, show=False),
        Binding("end", "edge(1)", last, show=False),
    ]


class KeyScrolledView(ScrollView):
    """A view of lines without a cursor, scrolled by those keys."""

    def action_line(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False, immediate=True)

    def action_page(self, step: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + step * height, animate=False, immediate=True)

    def action_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False, immediate=True)
