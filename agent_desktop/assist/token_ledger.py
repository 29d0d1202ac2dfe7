"""What the desk spends on its model: tokens per contact and per day (the desk's local day), against a per-desk daily
limit. The status line and `info` read it; a suggestion asks it before calling the model. Kept in a file
(`kept_in`), the day's count outlives a restart: a desk restarted is not a new allowance."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from agent_desktop.domain.assist.protocol import Usage
from agent_desktop.local.paths import DocumentError, read_json, write_private

LEDGER_BYTES = 4_096


def _local_today() -> date:
    return datetime.now().astimezone().date()


@dataclass
class TokenLedger:
    daily_limit: int
    today: Callable[[], date] = _local_today
    path: Path | None = None  # where the day's count is kept (None: in memory only)
    _day: date | None = None
    _spent_today: int = 0
    _per_contact: dict[str, int] = field(default_factory=dict)

    @classmethod
    def kept_in(cls, path: Path, daily_limit: int, today: Callable[[], date] = _local_today) -> TokenLedger:
        """The ledger whose day's count is read from `path` and written there at every spend. A file that cannot
        be read as one (damaged, another day's) starts the day at zero; one the desk may not use raises
        LocalPathError (its one line says why)."""
        ledger = cls(daily_limit, today, path)
        if not os.path.lexists(path):
            return ledger
        try:
            kept = read_json(path, limit=LEDGER_BYTES)
        except DocumentError:
            return ledger
        if isinstance(kept, dict) and kept.get("day") == today().isoformat() and type(kept.get("spent")) is int:
            ledger._day, ledger._spent_today = today(), max(0, kept["spent"])
        return ledger

    def _roll(self) -> None:
        day = self.today()
        if day != self._day:
            self._day, self._spent_today = day, 0

    def spend(self, contact_id: str, usage: Usage) -> None:
        self._roll()
        self._spent_today += usage.total_tokens
        self._per_contact[contact_id] = self._per_contact.get(contact_id, 0) + usage.total_tokens
        if self.path is not None and self._day is not None:
            document = f'{{"day": "{self._day.isoformat()}", "spent": {self._spent_today}}}\n'
            write_private(self.path, document.encode())

    @property
    def spent_today(self) -> int:
        self._roll()
        return self._spent_today

    def spent_on(self, contact_id: str) -> int:
        return self._per_contact.get(contact_id, 0)

    @property
    def per_contact(self) -> dict[str, int]:
        """The tokens spent on each contact not yet forgotten."""
        return dict(self._per_contact)

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
