"""The agent states' colours: one map, which the agent's status line and the supervisor's tables both read.

The styles name theme colours (`$success`, ...), so both desks follow the theme. Content (the status line) resolves
them itself; a table cell is a Rich `Text`, so `agent_state_text` resolves them against the app's theme, once per
theme (working out the theme's variables costs about a millisecond).
"""

from __future__ import annotations

from typing import Any

from rich.style import Style as RichStyle
from rich.text import Text
from textual.app import App
from textual.style import Style

from agent_desktop.domain.vocabulary import AgentState

AGENT_STATE_STYLES: dict[AgentState, str] = {
    AgentState.AVAILABLE: "bold $success",
    AgentState.OFFERED: "bold $warning",
    AgentState.BUSY: "bold $error",
    AgentState.AFTER_CONTACT_WORK: "bold $secondary",
    AgentState.MISSED: "bold $error",
    AgentState.NOT_READY: "bold $warning",
    AgentState.OFFLINE: "dim",
}

_resolved: dict[str, dict[AgentState, RichStyle]] = {}  # by theme name


def agent_state_text(state: AgentState, app: App[Any]) -> Text:
    """The state's label in its colour, as a Rich `Text` (a DataTable cell)."""
    styles = _resolved.get(app.theme)
    if styles is None:
        variables = app.get_css_variables()
        styles = _resolved[app.theme] = {
            s: Style.parse(style, variables).rich_style for s, style in AGENT_STATE_STYLES.items()
        }
    return Text(state.label, style=styles.get(state, ""))
