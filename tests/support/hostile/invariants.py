"""What every backend call must do whatever the vendor answers: end (within `BOUND_S`), with a
valid result or a `BackendError` that says in words what is wrong; no other exception reaches the desk. A rate limit's
wait is one the desk honours up to a bound, and the server's clock as the desk reads it is within its own."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from agent_desktop.domain.center_clock import DATE_SPAN_S, MOST_SKEW_S, center_clock_of
from agent_desktop.domain.errors import RETRY_AFTER_MAX_S, BackendError

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
    wait = error.retry_after_s  # what the outbox holds its writes for, a screen pop waits before asking again
    assert wait is None or 0.0 <= wait <= RETRY_AFTER_MAX_S, f"a rate limit held the desk {wait} s"


MOST_OFF = timedelta(seconds=MOST_SKEW_S + DATE_SPAN_S / 2 + 60)  # (a minute: the call and the check took time)


def clock_kept(backend: Any) -> None:
    """The backend's reading of its server's clock, what the desk times the server's stamps on (the machine's own
    for a backend without one), is a time within the bound of the machine's clock, read without raising."""
    off = abs(center_clock_of(backend).now() - datetime.now(UTC))
    assert off <= MOST_OFF, f"one answer moved the desk's clock by {off}"


def valid(result: Any) -> None:
    """Models (or lists of them) whose every text a terminal can write."""
    items = result if isinstance(result, (list, tuple)) else [result]
    for item in items:
        if isinstance(item, BaseModel):
            type(item).model_validate(item.model_dump())
            json.dumps(item.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
