"""Idempotency keys for the writes the desk makes itself (a callback scheduled, a flag's line: issue 58). A write
whose answer never came (a timeout, a cut connection, a 5xx, a 429) may have been stored: the agent's retry of the
same write goes out as the same request under the same key, so the contact center stores it once. A write
answered (stored, or refused for good: any other 4xx) lets its key go, so the same text sent again after that is a
new write, as the agent meant it."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Generic, TypeVar

from agent_desktop.domain.errors import BackendError

R = TypeVar("R")

KEPT = 50  # unanswered writes remembered at most (the oldest let go first)


class RetryKeys(Generic[R]):
    """Per write (what identifies it: its contact and text), the key it went out with and the route it took `R`."""

    def __init__(self) -> None:
        self._unanswered: dict[Hashable, tuple[str, R]] = {}

    def request_for(self, write: Hashable, route: R) -> tuple[str, R]:
        """The key and route to send `write` with: those of its unanswered first try, else a new key on `route`."""
        return self._unanswered.get(write) or (str(uuid.uuid4()), route)

    def answered(self, write: Hashable) -> None:
        self._unanswered.pop(write, None)

    def failed(self, write: Hashable, key: str, route: R, error: BackendError) -> None:
        """No answer that says whether it was stored: kept for the retry. A refusal: let go."""
        if not error.retryable:
            self.answered(write)
            return
        self._unanswered[write] = (key, route)
        while len(self._unanswered) > KEPT:
            self._unanswered.pop(next(iter(self._unanswered)))
