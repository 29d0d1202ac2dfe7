"""Wall clock for the mocks, frozen when settings ask (deterministic screenshots)."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    def __init__(self, frozen: datetime | None = None) -> None:
        self._frozen = frozen.astimezone(UTC) if frozen else None

    def now(self) -> datetime:
        return self._frozen or datetime.now(UTC)
