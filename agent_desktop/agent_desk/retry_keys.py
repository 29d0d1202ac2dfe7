"""Idempotency keys for the writes the desk makes itself (a callback scheduled, a flag's line). A write
whose answer never came (a timeout, a cut connection, a 5xx, a 429, the desk quit or killed while it was on its way)
may have been stored: the agent's retry of the same write goes out as the same request under the same key, so the
contact center stores it once. A write answered (stored, or refused for good: any other 4xx) lets its key go, so
the same text sent again after that is a new write, as the agent meant it.

The keys are on disk (the wrap-up drafts' private SQLite, agent_desk/drafts/drafts.py) from before the request leaves until
its answer: a desk restarted between a lost answer and the retry still sends the first key. What identifies a write
is kept there only as a digest, never its text. A disk that refuses them costs only that: the keys are then kept in
memory, as before, and the write is not held up."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from agent_desktop.agent_desk.drafts.drafts import DraftStore
from agent_desktop.domain.errors import BackendError
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written

_log = logging.getLogger(__name__)

KEPT = 50  # unanswered writes remembered at most, per kind (the oldest let go first)

T = TypeVar("T")


def write_digest(write: tuple[object, ...]) -> str:
    """The same in every process for the same write (Python's `hash` of a str is not)."""
    text = json.dumps(write, default=str, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class RetryKeys:
    """Per write of one `kind` (what identifies it: its contact and text), the key it went out with and the route it
    took (a flag's id, or None)."""

    def __init__(self, kind: str, store: DraftStore | None) -> None:
        self.kind = kind
        self._store = store  # None: memory only
        self._unanswered: dict[str, tuple[str, str | None]] = {}
        self._loaded = store is None

    async def request_for(self, write: tuple[object, ...], route: str | None) -> tuple[str, str | None]:
        """The key and route to send `write` with: those of its unanswered first try (in this run of the desk or an
        earlier one), else a new key on `route`, on disk before it is sent."""
        if not self._loaded:
            none: list[tuple[str, str, str | None]] = []
            for digest, key, kept_route in await self._on_disk(lambda s: s.unanswered_keys(self.kind), none):
                self._unanswered.setdefault(digest, (key, kept_route))
            self._loaded = True
        digest = write_digest(write)
        found = self._unanswered.get(digest)
        if found is not None:
            return found
        key = str(uuid.uuid4())
        await self._on_disk(lambda s: s.keep_key(self.kind, digest, key, route, KEPT), None)
        return key, route

    async def answered(self, write: tuple[object, ...], key: str) -> None:
        self._unanswered.pop(write_digest(write), None)
        await self._on_disk(lambda s: s.let_key_go(key), None)

    async def failed(self, write: tuple[object, ...], key: str, route: str | None, error: BackendError) -> None:
        """No answer that says whether it was stored: kept for the retry. A refusal: let go."""
        if not error.retryable:
            await self.answered(write, key)
            return
        digest = write_digest(write)
        self._unanswered[digest] = (key, route)
        while len(self._unanswered) > KEPT:
            self._unanswered.pop(next(iter(self._unanswered)))
        await self._on_disk(lambda s: s.keep_key(self.kind, digest, key, route, KEPT), None)

    async def _on_disk(self, work: Callable[[DraftStore], T], otherwise: T) -> T:
        store = self._store
        if store is None:
            return otherwise
        try:
            return await asyncio.to_thread(work, store)
        except LOCAL_WRITE_ERRORS as error:
            _log.warning("%s retry keys not kept on disk: %s", self.kind, why_not_written(error))
            return otherwise
