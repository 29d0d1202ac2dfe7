"""The agent's writes to the CRM by state, as the status bar counts them (the outbox's store counts them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutboxCounts:
    pending: int = 0
    sent: int = 0
    failed: int = 0
