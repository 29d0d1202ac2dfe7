"""The mock model's answer to a supervisor's question about the floor (a request with a `figures` block): read from
the figures alone, deterministically, for a few shapes of question, each figure used named in brackets
(`[Billing · cause]`) as the desk's prompt asks:

- why a queue's service level is down (the queue named, else the lowest): its level and the causes the desk's rules
  named, word for word, or that the figures name none;
- which queues are short of agents: their staffing figures, or that none is;
- how adherence stands: each team's figure;
- where contacts wait: the queue with the most waiting.

Anything else is answered with a sentence saying the figures do not answer it, and what they can."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_desktop_mocks.model.grounding import words

NOT_ANSWERED = (
    "The floor's figures do not answer that: ask why a queue's service level is down, which queues are short, "
    "where contacts wait, or how adherence stands."
)
NO_FIGURES = "The desk sent no figures of the floor, so I cannot answer from them."
_PERCENT = re.compile(r"(\d+)%")


@dataclass(frozen=True)
class FloorFigure:
    subject: str
    name: str
    value: str

    @property
    def cited(self) -> str:
        return f"[{self.subject} · {self.name}]"


def read_figures(body: str) -> list[FloorFigure]:
    """A figures block's lines, `subject | name | value` (a line of another shape is skipped)."""
    found = []
    for line in body.splitlines():
        parts = [part.strip() for part in line.split(" | ", 2)]
        if len(parts) == 3 and all(parts[:2]):
            found.append(FloorFigure(*parts))
    return found


def floor_answer(figures: list[FloorFigure], question: str) -> str:
    if not figures:
        return NO_FIGURES
    asked = words(question)
    if asked & {"service", "level", "sl", "down", "low", "missing", "miss"}:
        return _service_level(figures, asked)
    if asked & {"short", "staffing", "staffed", "understaffed", "enough"}:
        short = [f for f in figures if f.name == "staffing" and " short" in f.value.split(":")[0]]
        if not short:
            return "No queue is short of agents by the staffing figures."
        return " ".join(f"{f.subject} is {f.value} {f.cited}." for f in short)
    if asked & {"adherence", "schedule", "adhering"}:
        teams = [f for f in figures if f.name == "adherence"]
        if not teams:
            return "The figures give no adherence: this contact center keeps no schedule."
        return " ".join(f"{f.subject}: {f.value} {f.cited}." for f in teams)
    if asked & {"waiting", "wait", "queue", "busiest", "longest"}:
        waits = [f for f in figures if f.name == "waiting"]
        if waits:
            most = max(waits, key=lambda f: int(f.value.split(",")[0]) if f.value.split(",")[0].isdigit() else 0)
            return f"{most.subject} has the most waiting: {most.value} {most.cited}."
    return NOT_ANSWERED


def _service_level(figures: list[FloorFigure], asked: set[str]) -> str:
    levels = [f for f in figures if f.name == "service level"]
    subjects = list(dict.fromkeys(f.subject for f in figures))
    named = max(subjects, key=lambda s: len(words(s) & asked)) if subjects else ""
    if not words(named) & asked:  # no queue named: the lowest level
        lowest = min(levels, key=_percent, default=None)
        if lowest is None:
            return "The figures give no service level yet."
        named = lowest.subject
    level = next((f for f in levels if f.subject == named), None)
    if level is None:
        return f"The figures give no service level for {named} yet."
    said = f"{named}'s service level is {level.value} {level.cited}."
    causes = [f for f in figures if f.subject == named and f.name == "cause"]
    if causes:
        return said + " The desk's rules name why: " + " ".join(f"{f.value} {f.cited}." for f in causes)
    staffing = next((f for f in figures if f.subject == named and f.name == "staffing"), None)
    tail = f" Its staffing: {staffing.value} {staffing.cited}." if staffing is not None else ""
    return said + " The figures name no cause." + tail


def _percent(figure: FloorFigure) -> int:
    found = _PERCENT.search(figure.value)
    return int(found.group(1)) if found else 100
