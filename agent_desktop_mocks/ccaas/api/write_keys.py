"""Idempotent writes of the contact center's own: a callback scheduled, a flag raised, a line of its
thread. The first answer for an agent's `Idempotency-Key` is stored and replayed for a retry, so a POST whose
answer was lost and that is sent again is stored once. As the CRM's (agent_desktop_mocks/crm/idempotency.py): the
same key with another body or on another route is 422, and a refused request (4xx) does not use up its key. The
header is optional: a client that sends none gets what it asks for each time.

Routes are `async def` on one event loop and nothing awaits between looking a key up and storing its answer, so
two requests with one key cannot both write."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, TypeVar, cast

import sqlite_utils
from fastapi import Header, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.common.http.idempotency import REPLAY_HEADER, request_hash

Answer = TypeVar("Answer", bound=BaseModel)

OptionalIdempotencyKey = Annotated[
    str | None,
    Header(min_length=1, max_length=255, description="Optional; when given, a retry of this write is stored once"),
]

REPLAY_DOC = (
    f" A retry with the same `Idempotency-Key` and the same body answers the first response again with "
    f"`{REPLAY_HEADER}: true` and stores nothing; the same key with a different body (or on another route) is 422."
)


class WriteKeys:
    """The answers stored per (agent, key), in the contact center's database (they outlive a restart)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.conn.execute(
            "create table if not exists write_keys (subject text not null, key text not null, request_hash text"
            " not null, status integer not null, answer text not null, primary key (subject, key))"
        )
        self.conn.commit()

    def write(
        self,
        who: Principal,
        key: str | None,
        scope: str,
        body: BaseModel,
        create: Callable[[], Answer],
        status_code: int,
    ) -> Answer | JSONResponse:
        """The first answer given for `key` again, or `create`'s (which raises HTTPException to refuse, and then
        does not use up the key), stored for a retry."""
        if (replayed := self._replayed(who, key, scope, body)) is not None:
            return replayed
        answer = create()
        self._remember(who, key, scope, body, answer, status_code)
        return answer

    def _replayed(self, who: Principal, key: str | None, scope: str, body: BaseModel) -> JSONResponse | None:
        """The first answer given for `key` (None: no key, or none stored yet); 422 if it was for another write."""
        if key is None:
            return None
        row = self.conn.execute(
            "select request_hash, status, answer from write_keys where subject = ? and key = ?", [who.subject, key]
        ).fetchone()
        if row is None:
            return None
        if row[0] != request_hash(scope, body):
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"Idempotency-Key {key!r} was already used with a different body or route",
            )
        return JSONResponse(json.loads(row[2]), status_code=row[1], headers={REPLAY_HEADER: "true"})

    def _remember(
        self, who: Principal, key: str | None, scope: str, body: BaseModel, answer: BaseModel, status_code: int
    ) -> None:
        if key is None:
            return
        with self.conn:
            self.conn.execute(
                "insert or ignore into write_keys values (?, ?, ?, ?, ?)",
                [who.subject, key, request_hash(scope, body), status_code, answer.model_dump_json()],
            )


def write_keys(request: Request) -> WriteKeys:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(WriteKeys, request.app.state.write_keys)
