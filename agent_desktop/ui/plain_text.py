"""The one path backend text takes to the screen: literal (never markup), without control characters,
and without invisible characters that change what a line appears to say (bidi overrides are shown as
`⟨U+202E⟩`, zero-width characters and BOMs removed, U+2028/U+2029 are line breaks: agent_desktop/domain/text.py).

Textual parses a plain `str` as markup almost everywhere it takes one (border titles and
subtitles, `Static`, `Label`, `update`, options, tooltips, palette help, toasts), so a CRM name
such as `[@click=app.quit]x[/]` would run an action and `[/x]` would raise `MarkupError`.
Everything a backend sends goes through one of these helpers; `tests/unit/test_literal_sinks.py`
fails on formatted text handed to those places any other way.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from agent_desktop.domain.text import one_line, strip_controls

TITLE_LIMIT = 120


def plain(text: str | None, style: str = "") -> Content:
    """For Static/Label/update/options/toasts: shown exactly as written, with `[@click=...]` and all."""
    return Content.styled(strip_controls(text), style) if style else Content(strip_controls(text))


def literal_title(text: str | None, style: str = "", limit: int = TITLE_LIMIT) -> Content:
    """For `border_title`, `border_subtitle`, palette help and dialog titles: one literal line."""
    flat = one_line(text, limit)
    return Content.styled(flat, style) if style else Content(flat)


def cell(text: str | None, style: str = "", limit: int = 60) -> Text:
    """For DataTable cells and Select options, which would parse a plain `str` as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis")
