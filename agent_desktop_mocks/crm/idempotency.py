"""Idempotent writes: the first answer for an `Idempotency-Key` is stored and replayed for a retry.

Routes are `async def` on one event loop and `write` has no await between looking
the key up and storing the answer, so two requests with one key cannot both write.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from agent_desktop_mocks.common.http.idempotency import REPLAY_HEADER, request_hash
from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.state import CrmState

IdempotencyKey = Annotated[
    str, Header(min_length=1, max_length=255, description="Unique per write; reuse it only to retry this write")
]
OptionalIdempotencyKey = Annotated[
    str | None,
    Header(min_length=1, max_length=255, description="Optional here; when given, a retry is stored once"),
]

REPLAY_DOC = (
    f"A retry with the same `Idempotency-Key` and the same body answers the first response again with "
    f"`{REPLAY_HEADER}: true` and stores nothing; the same key with a different body (or on another "
    "endpoint) is 422. A refused request (4xx) does not use up its key."
)
REPLAY_RESPONSE = {"headers": {REPLAY_HEADER: {"description": "`true` when this is a replayed answer"}}}


def creates(
    router: APIRouter,
    path: str,
    model: type[BaseModel],
    *,
    summary: str,
    before: str = "",
    after: str = "",
    responses: dict[int | str, dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The route of an idempotent create: POST answering 201 with `model`, its description `before` + REPLAY_DOC +
    `after`, the replay's header documented beside any other `responses`. Every create of the CRM says the same."""
    return router.post(
        path,
        response_model=model,
        status_code=status.HTTP_201_CREATED,
        summary=summary,
        description=before + REPLAY_DOC + after,
        responses={201: REPLAY_RESPONSE, **(responses or {})},
    )


def write(
    crm: CrmState, key: str | None, scope: str, body: BaseModel, create: Callable[[], BaseModel], status_code: int = 201
) -> JSONResponse:
    """Run `create` (which raises HTTPException to refuse) once per key; replay its answer after."""
    digest = request_hash(scope, body)
    if key is not None:
        previous = store.find_idempotency_key(crm.db, key)
        if previous is not None:
            if previous["request_hash"] != digest:
                raise HTTPException(
                    status.HTTP_422_UNPROCESSABLE_CONTENT,
                    f"Idempotency-Key {key!r} was already used with a different body or endpoint",
                )
            return JSONResponse(
                json.loads(previous["response_json"]),
                status_code=previous["status_code"],
                headers={REPLAY_HEADER: "true"},
            )
    with crm.db.conn:  # the write and the answer to replay land together, or neither does
        result = create()
        answer = result.model_dump_json()
        if key is not None:
            store.remember_answer(crm.db, key, digest, status_code, answer)
    return JSONResponse(json.loads(answer), status_code=status_code)
