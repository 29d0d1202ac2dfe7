"""The assistant's running summary of the card's contact, under the card (agent_desk/suggestions/running_summaries.py):
its text as last made, how many lines it covers, and whether it is being remade or why the last try gave nothing.
Hidden where there is none (no model, or too little said yet). It never takes the focus; drawn literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from agent_desktop.ui.plain_text import plain

if TYPE_CHECKING:  # (the assistant's modules load with its first request, not with the desk)
    from agent_desktop.assist.running_summary import RunningSummary


def summary_content(summary: RunningSummary) -> Content:
    covers = f" · {summary.lines} line{'s' if summary.lines != 1 else ''}" if summary.text else ""
    state = " · updating…" if summary.asking else ""
    heading = Content.assemble(("Running summary", "bold $accent"), (covers + state, "dim"))
    lines = [heading]
    if summary.text:
        lines.append(plain(summary.text))
    elif summary.asking:
        lines.append(plain("The assistant is summarising the contact so far…", "dim italic"))
    if summary.failed and not summary.asking:
        lines.append(plain(f"Not updated: {summary.failed.rstrip('.')}.", "$warning"))
    return Content("\n").join(lines)


class RunningSummaryView(Static):
    can_focus = False

    def __init__(self) -> None:
        super().__init__(id="running-summary")
        self.display = False
        self._shown: tuple[int, int] | None = None

    def show(self, summary: RunningSummary | None) -> None:
        shown = (id(summary), summary.version) if summary is not None else None
        if shown == self._shown:
            return  # the card redrawn for something else
        self._shown = shown
        self.display = summary is not None
        if summary is not None:
            self.update(summary_content(summary))
