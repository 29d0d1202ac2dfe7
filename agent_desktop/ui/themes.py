"""The desk's themes: Textual's own (the palette's "Change theme" lists them) and `monochrome`, ours, for NO_COLOR and
terminals without colour: no colour at all, state shown by bold, reverse and underline only.

Textual 8.2 already reads NO_COLOR: when the variable exists (empty too) it adds a filter that turns every colour to
a grey (`Monochrome`), which is still colour escapes. Here NO_COLOR (a non-empty value, per no-color.org) picks the
`monochrome` theme unless the configuration names one, and that theme strips every colour (Textual's `NoColor`
filter, on while it is the theme); an empty NO_COLOR is not set, as no-color.org says, so Textual's greys are
taken off then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.filter import LineFilter, Monochrome, NoColor
from textual.theme import BUILTIN_THEMES, Theme

MONOCHROME = "monochrome"
DEFAULT_THEME = "textual-dark"

# No colour anywhere (every colour is the terminal's own): the cursor, the focus and the selection are reverse,
# bold and underline. The filter strips what widgets colour themselves (Rich styles such as "bold red").
MONOCHROME_THEME = Theme(
    name=MONOCHROME,
    ansi=True,
    dark=True,
    primary="ansi_default",
    secondary="ansi_default",
    warning="ansi_default",
    error="ansi_default",
    success="ansi_default",
    accent="ansi_default",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "ansi-background": "ansi_default",  # (what an ANSI theme must name: Textual's inline screen reads them)
        "ansi-foreground": "ansi_default",
        "block-cursor-text-style": "reverse bold",
        "block-cursor-blurred-text-style": "underline",
        "block-cursor-foreground": "ansi_default",
        "block-cursor-background": "ansi_default",
        "block-hover-background": "ansi_default",
        "input-cursor-text-style": "reverse",
        "input-selection-background": "ansi_default",
        "button-focus-text-style": "bold reverse",
        "footer-key-foreground": "ansi_default",
        "footer-description-foreground": "ansi_default",
        "footer-item-background": "ansi_default",
        "footer-background": "ansi_default",
        "footer-foreground": "ansi_default",
        "border": "ansi_default",
        "border-blurred": "ansi_default",
        "scrollbar": "ansi_default",
        "scrollbar-background": "ansi_default",
        "scrollbar-hover": "ansi_default",
        "scrollbar-active": "ansi_default",
        "scrollbar-corner-color": "ansi_default",
        "link-color": "ansi_default",
        "link-background": "ansi_default",
        "link-color-hover": "ansi_default",
        "link-background-hover": "ansi_default",
    },
)


def theme_names() -> list[str]:
    """Every theme the configuration may name: Textual's and ours."""
    return sorted({*BUILTIN_THEMES, MONOCHROME})


def theme_problem(theme: str | None) -> str | None:
    """One line if `theme` names no theme (the configuration's check), else None."""
    if theme is None or theme in theme_names():
        return None
    return f"theme: no theme {theme!r}; one of {', '.join(theme_names())}"


def no_color(environ: Mapping[str, str]) -> bool:
    """NO_COLOR as no-color.org defines it: present and not empty."""
    return bool(environ.get("NO_COLOR"))


def chosen_theme(configured: str | None, environ: Mapping[str, str]) -> str:
    """The theme the desk opens in: the configuration's (a user's setting beats NO_COLOR, per no-color.org), else
    monochrome under NO_COLOR, else Textual's default."""
    if configured is not None:
        return configured
    return MONOCHROME if no_color(environ) else DEFAULT_THEME


class ThemeColours:
    """The app's part in its themes: which of Textual's line filters apply (`App.get_line_filters`)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._no_color = no_color(environ)
        self._strip = NoColor()

    def line_filters(self, filters: Sequence[LineFilter], theme: str) -> Sequence[LineFilter]:
        """Textual's filters, without its greys for an empty NO_COLOR, and with every colour stripped while the
        theme is monochrome."""
        if not self._no_color:  # Textual reads an empty NO_COLOR as set
            filters = [f for f in filters if not isinstance(f, Monochrome | NoColor)]
        return [*filters, self._strip] if theme == MONOCHROME else filters
