"""What the desk spends on its model: tokens per contact and per day (the desk's local day), against a per-desk daily
limit. The status line and `info` read it; a suggestion asks it before calling the model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from agent_desktop.domain.assist_protocol import Usage


@dataclass
class TokenLedger:
    daily_limit: int
    today: Callable[[], date] = field(default=lambda: datetime.now().astimezone().date())
    _day: date | None = None
    _spent_today: int = 0
    _per_contact: dict[str, int] = field(default_factory=dict)

    def _roll(self) -> None:
        day = self.today()
        if day != self._day:
            self._day, self._spent_today = day, 0

    def spend(self, contact_id: str, usage: Usage) -> None:
        self._roll()
        self._spent_today += usage.total_tokens
        self._per_contact[contact_id] = self._per_contact.get(contact_id, 0) + usage.total_tokens

    @property
    def spent_today(self) -> int:
        self._roll()
        return self._spent_today

    def spent_on(self, contact_id: str) -> int:
        return self._per_contact.get(contact_id, 0)

    @property
    def left_today(self) -> int:
        return max(0, self.daily_limit - self.spent_today)

    @property
    def spent_out(self) -> bool:
        return self.left_today == 0

    def forget(self, contact_id: str) -> None:
        """A contact done with: its count is no longer shown (the day's keeps it)."""
        self._per_contact.pop(contact_id, None)

    def limit_sentence(self) -> str:
        return f"The assistant's daily limit of {self.daily_limit:,} tokens is spent; it answers again tomorrow."
