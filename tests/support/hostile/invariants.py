"""What every backend call must do whatever the vendor answers (issue 41): end (within `BOUND_S`), with a
valid result or a `BackendError` that says in words what is wrong; no other exception reaches the desk."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import Any

from pydantic import BaseModel

from agent_desktop.domain.errors import BackendError

BOUND_S = 15.0  # far beyond any call here (no real wait is longer than a few hundred ms): a hang, not a slow machine


async def outcome(call: Awaitable[Any]) -> Any:
    """The call's result (checked), or the BackendError it raised (checked); anything else fails the test."""
    try:
        async with asyncio.timeout(BOUND_S):
            result = await call
    except TimeoutError:
        raise AssertionError(f"the call did not end within {BOUND_S} s") from None
    except BackendError as error:
        said(error)
        return error
    valid(result)
    return result


def said(error: BackendError) -> None:
    """A refusal an agent can read: who, and what, in one line of text a terminal can write."""
    assert error.backend.strip(), "a BackendError names its backend"
    assert error.message.strip(), f"a BackendError says what is wrong ({error.backend})"
    assert "\n" not in error.message, error.message[:600]
    assert len(error.message) <= 500, error.message[:600]
    error.message.encode("utf-8")  # no lone surrogate: a terminal write would fail


def valid(result: Any) -> None:
    """Models (or lists of them) whose every text a terminal can write."""
    items = result if isinstance(result, (list, tuple)) else [result]
    for item in items:
        if isinstance(item, BaseModel):
            type(item).model_validate(item.model_dump())
            json.dumps(item.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
