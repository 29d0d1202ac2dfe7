"""The one path backend text takes to the screen: literal (never markup), without control characters,
and without invisible characters that change what a line appears to say (bidi overrides are shown as
`⟨U+202E⟩`, zero-width characters and BOMs removed, U+2028/U+2029 are line breaks: agent_desktop/domain/formats/text.py).

Textual parses a plain `str` as markup almost everywhere it takes one (border titles and
subtitles, `Static`, `Label`, `update`, options, tooltips, palette help, toasts), so a CRM name
such as `[@click=app.quit]x[/]` would run an action and `[/x]` would raise `MarkupError`.
Everything a backend sends goes through one of these helpers; `tests/unit/architecture/test_literal_sinks.py`
fails on formatted text handed to those places any other way.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from agent_desktop.domain.formats.text import one_line, strip_controls

TITLE_LIMIT = 120


def plain(text: str | None, style: str = "") -> Content:
    """For Static/Label/update/options/toasts: shown exactly as written, with `[@click=...]` and all."""
    return Content.styled(strip_controls(text), style) if style else Content(strip_controls(text))


def literal_title(text: str | None, style: str = "", limit: int = TITLE_LIMIT) -> Content:
    """For `border_title`, `border_subtitle`, palette help and dialog titles: one literal line."""
    flat = one_line(text, limit)
    return Content.styled(flat, style) if style else Content(flat)


def screen_title(text: str | None, limit: int = TITLE_LIMIT) -> str:
    """For a screen's `title` and `sub_title`: Textual keeps them as `str` and draws them literally
    (`App.format_title` wraps each in `Content`), so one line of the plain characters is what they take."""
    return one_line(text, limit)


def palette_help(text: str | Content) -> str:
    """For the help of a palette entry (`Hit`, `DiscoveryHit`, `SystemCommand`): one literal line. Textual types it
    `str` but draws it with `Content.from_markup`, which hands a `Content` back unchanged: a literal is drawn as is."""
    shown = text if isinstance(text, Content) else literal_title(text)
    return shown  # type: ignore[return-value]  # Textual's stub is narrower than Content.from_markup, which draws it


def cell(text: str | None, style: str = "", limit: int = 60) -> Text:
    """For DataTable cells and Select options, which would parse a plain `str` as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis")


def toast_text(text: str | Content) -> str:
    """A toast's text shown with markup=False: the plain characters, control characters removed."""
    return strip_controls(text.plain if isinstance(text, Content) else text)


def toast(
    node: DOMNode,
    message: Content,
    *,
    title: Content | str = "",
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A toast of text built at run time, from any widget or screen, shown exactly as written: Textual's `notify`
    takes a `str` it would parse as markup, so this hands the app the plain text with markup off."""
    node.app.notify(toast_text(message), title=toast_text(title), severity=severity, timeout=timeout, markup=False)
