"""Backend text as widgets must take it: literal (never markup) and without control characters."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from desktop.text import one_line, strip_controls


def plain(text: str | None, style: str = "") -> Content:
    """For Static/Label: shown exactly as written, with `[@click=...]` and all."""
    return Content.styled(strip_controls(text), style) if style else Content(strip_controls(text))


def cell(text: str | None, style: str = "", limit: int = 60) -> Text:
    """For DataTable cells, which would parse a plain `str` as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis")
