"""App-wide messages travelling up to the screens (backend events reach the agent screen through the desk's
desk's change feed, drawn by agent_screen.py's pacer, which says so with one coalesced `DeskDrawn`)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from agent_desktop.domain.outbox_counts import OutboxCounts


class DeskDrawn(Message):
    """The agent's screen drew what changed on its desk (for the app's remote control): one pending covers many."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DeskDrawn)


@dataclass
class OutboxChanged(Message):
    """The CRM outbox's counts after a write was queued, sent or refused."""

    counts: OutboxCounts


class OutboxCountsWanted(Message):
    """A screen that shows the outbox's counts was mounted: the app sends them (`OutboxChanged`)."""


class Resumed(Message):
    """The desk's process ran again after a stop it did not ask for (SIGSTOP, then SIGCONT): time passed that the
    desk did not see. Posted from the driver's signal handler (agent_desktop/ui/terminal/terminal_loss.py)."""


@dataclass
class TerminalGone(Message):
    """The terminal went away (its input ended, or a write to it failed): sign out and exit, as on SIGHUP.
    Posted from the driver's threads (agent_desktop/ui/terminal/terminal_loss.py)."""

    why: str
