"""What the CRM said about one contact's caller (the screen pop)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from desktop.backends.models import Customer, CustomerRecord


@dataclass
class CallerLookup:
    address: str
    record: CustomerRecord | None = None
    match_count: int = 0
    error: str | None = None
    done: bool = False
    candidates: list[Customer] = field(default_factory=list)  # several matches: the agent picks one
    matched_on: str | None = None
    started_at: float = field(default_factory=time.time)  # when the offer event was parsed
    answered_at: float | None = None  # when the CRM's answer was applied to the desk
    withheld: bool = False  # the caller hid their number: nothing to look up, the agent searches (f)

    @property
    def needs_pick(self) -> bool:
        """Several customers match and none is chosen yet: the wrap-up waits for a pick."""
        return bool(self.candidates) and self.record is None

    @property
    def new_caller(self) -> bool:
        return self.done and self.record is None and self.error is None and not self.candidates
