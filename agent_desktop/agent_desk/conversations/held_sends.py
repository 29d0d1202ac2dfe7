"""Emails and SMS held a few seconds before they leave, with an undo, as a mail client's "Undo send": a stray
enter in an email reply no longer sends a one-letter email the agent cannot take back. Chat stays instant.

No I/O, no terminal: the desk's clock says when each is due (the screen's tick asks, as for an auto-accept), the
controller's conversation use cases send what is due, what an ending contact or a quitting desk still holds, and
give an undone message back to its composer whole.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.domain.vocabulary import Channel

HELD_CHANNELS = frozenset({Channel.SMS, Channel.EMAIL})


@dataclass(frozen=True)
class HeldSend:
    contact_id: str
    text: str
    due: datetime
    number: int = 0  # the order they were held in (two held for one contact)

    def left_s(self, now: datetime) -> int:
        """Whole seconds until it leaves, as the transcript counts them ("sending in 3 s")."""
        return max(0, math.ceil((self.due - now).total_seconds()))


@dataclass
class HeldSends:
    """The messages waiting to leave, by contact, oldest first."""

    changed: Callable[[], DeskChanges]
    delay_s: float = 0.0  # 0: nothing is held
    _held: dict[str, list[HeldSend]] = field(default_factory=dict)
    _numbers: itertools.count[int] = field(default_factory=itertools.count)

    def holds(self, channel: Channel) -> bool:
        return self.delay_s > 0 and channel in HELD_CHANNELS

    def hold(self, contact_id: str, text: str, now: datetime) -> HeldSend:
        held = HeldSend(contact_id, text, now + timedelta(seconds=self.delay_s), next(self._numbers))
        self._held.setdefault(contact_id, []).append(held)
        self.changed().conversations.add(contact_id)
        return held

    def of(self, contact_id: str) -> tuple[HeldSend, ...]:
        return tuple(self._held.get(contact_id, ()))

    def undo(self, contact_id: str) -> HeldSend | None:
        """The contact's latest message held, taken back (None if none is)."""
        held = self._held.get(contact_id)
        if not held:
            return None
        last = held.pop()
        self._forget_if_empty(contact_id)
        self.changed().conversations.add(contact_id)
        return last

    def due(self, now: datetime) -> list[HeldSend]:
        """Those whose time is up, whichever conversation is selected: taken off, to send now."""
        return [held for contact_id in list(self._held) for held in self._take(contact_id, now)]

    def take(self, contact_id: str) -> list[HeldSend]:
        """All the contact still holds (it ends, or is transferred): taken off, to send now."""
        return self._take(contact_id, None)

    def take_all(self) -> list[HeldSend]:
        """All held (the desk quits): taken off, to send now."""
        return [held for contact_id in list(self._held) for held in self._take(contact_id, None)]

    def _take(self, contact_id: str, now: datetime | None) -> list[HeldSend]:
        held = self._held.get(contact_id, [])
        taken = [h for h in held if now is None or h.due <= now]
        if taken:
            self._held[contact_id] = [h for h in held if h not in taken]
            self._forget_if_empty(contact_id)
            self.changed().conversations.add(contact_id)
        return taken

    def _forget_if_empty(self, contact_id: str) -> None:
        if not self._held.get(contact_id):
            self._held.pop(contact_id, None)
