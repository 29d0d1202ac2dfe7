"""The running summary of each contact in hand, refreshed as it goes: after every few of the customer's and the
agent's lines (`EVERY_LINES`), once the conversation has paused for `debounce_s` (a burst of lines is one request),
with at most one request in flight per contact (lines heard meanwhile ask again when it answers). What it asks is
the caller's (`ask`: the same request as a transfer's handover note, agent_desk/suggestions/reply_suggestions.py);
this keeps the summary, when it was made, and whether it is being remade. Time is a knob: `later` schedules the
debounce (the loop's `call_later`; a test fires it by hand)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from agent_desktop.assist.wrap_up_draft import DraftedWrapUp

EVERY_LINES = 3  # a summary is remade after this many new lines of the customer's and the agent's
DEBOUNCE_S = 3.0  # and once the conversation has paused this long: a burst of lines asks once


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Later = Callable[[float, Callable[[], None]], Cancellable]


@dataclass
class RunningSummary:
    """A contact's summary so far: its text (empty before the first answer), the lines it covers, whether it is
    being remade, and why the last try gave nothing (`failed`). `version` moves at every change."""

    contact_id: str
    text: str = ""
    said: str = ""  # whose it is, in words ("Drafted by mock-grounded: …")
    lines: int = 0  # the customer's and the agent's lines it covers
    asking: bool = False
    failed: str | None = None
    version: int = 0

    def current(self, lines: int) -> bool:
        """Whether it covers every line said so far (a transfer's note can be it, with no new request)."""
        return bool(self.text) and self.lines >= lines


class SummaryRefresher:
    def __init__(
        self,
        ask: Callable[[str], Awaitable[DraftedWrapUp | None]],
        shown: Callable[[RunningSummary], None],
        *,
        every: int = EVERY_LINES,
        debounce_s: float = DEBOUNCE_S,
        later: Later | None = None,
    ) -> None:
        """`ask`: the model's summary of a contact so far (None: it gave none); `shown`: told of every change."""
        self._ask, self._shown = ask, shown
        self.every, self.debounce_s = every, debounce_s
        self._later = later
        self.summaries: dict[str, RunningSummary] = {}
        self._heard: dict[str, int] = {}  # lines said per contact, as last heard
        self._asked_at: dict[str, int] = {}  # lines said when the last request was asked for
        self._timers: dict[str, Cancellable] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def heard(self, contact_id: str, lines: int) -> None:
        """The contact's conversation has `lines` lines of the customer's and the agent's now: a request is due
        once `every` more were said than at the last, after the pause; one in flight is asked again when it ends."""
        self._heard[contact_id] = lines
        if lines - self._asked_at.get(contact_id, 0) < self.every or contact_id in self._tasks:
            return
        if (timer := self._timers.pop(contact_id, None)) is not None:
            timer.cancel()  # a line within the pause: the pause starts again
        later = self._later or asyncio.get_running_loop().call_later
        self._timers[contact_id] = later(self.debounce_s, lambda: self._start(contact_id))

    def _start(self, contact_id: str) -> None:
        self._timers.pop(contact_id, None)
        if contact_id not in self._heard or contact_id in self._tasks:
            return
        lines = self._asked_at[contact_id] = self._heard[contact_id]
        summary = self.summaries.setdefault(contact_id, RunningSummary(contact_id))
        summary.asking = True
        summary.version += 1
        self._shown(summary)
        task = asyncio.get_running_loop().create_task(self._refresh(summary, lines), name=f"summary {contact_id}")
        self._tasks[contact_id] = task

    async def _refresh(self, summary: RunningSummary, lines: int) -> None:
        contact_id = summary.contact_id
        try:
            drafted = await self._ask(contact_id)
        finally:
            self._tasks.pop(contact_id, None)
        if self.summaries.get(contact_id) is not summary:
            return  # the contact left meanwhile
        summary.asking = False
        summary.version += 1
        if drafted is None:
            summary.failed = "the assistant gave no summary"
        elif drafted.source == "model":
            summary.text, summary.said, summary.lines, summary.failed = drafted.summary, drafted.said, lines, None
        else:
            summary.failed = drafted.said.removeprefix("Drafted by rules: ")
        self._shown(summary)
        self.heard(contact_id, self._heard.get(contact_id, lines))  # lines said while it was asked: due again?

    def lines_heard(self, contact_id: str) -> int:
        return self._heard.get(contact_id, 0)

    def forget(self, contact_id: str) -> None:
        """The contact left the agent's hands: its pause and its request stopped, its summary dropped."""
        if (timer := self._timers.pop(contact_id, None)) is not None:
            timer.cancel()
        if (task := self._tasks.pop(contact_id, None)) is not None:
            task.cancel()
        self.summaries.pop(contact_id, None)
        self._heard.pop(contact_id, None)
        self._asked_at.pop(contact_id, None)

    async def aclose(self) -> None:
        tasks = list(self._tasks.values())
        for contact_id in list(self._heard):
            self.forget(contact_id)
        await asyncio.gather(*tasks, return_exceptions=True)
