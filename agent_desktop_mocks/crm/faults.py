"""Test-only fault injection for the CRM: make matching requests slow, fail with a status (a 5xx, or
429 with `Retry-After`), or answer a `200` HTML maintenance page.

Set with `PUT /v1/admin/faults`; an ASGI middleware applies it to every other
request under `/v1` whose method and path match. Used by the write-back fault tests
(the CRM slow, answering 500, or answering after the caller has given up).

A delayed request is released early when the faults are set again: a test makes the CRM hang with a
long delay and ends the hang when it has seen what the hang shows, instead of waiting out a delay
chosen to be long enough.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt, field_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ADMIN_PATH = "/v1/admin/faults"


class Faults(BaseModel):
    delay_s: StrictFloat = Field(0.0, ge=0, le=60, description="Seconds to wait before (or after) handling")
    delay_phase: Literal["before", "after"] = Field(
        "before", description="`after`: the write is stored, then the answer is delayed (a lost response)"
    )
    fail_status: StrictInt | None = Field(
        None, ge=429, le=599, description="Answer this status instead of handling (429, or a 5xx)"
    )
    maintenance_page: StrictBool = Field(
        False,
        description="Answer 200 with an HTML maintenance page instead of handling (a vendor's front end during maintenance)",
    )
    retry_after_s: StrictInt | None = Field(None, ge=0, le=3600, description="`Retry-After` on the failed answers")
    count: StrictInt | None = Field(
        None, ge=0, description="Apply to this many matching requests only, then heal (null: every one)"
    )
    methods: list[str] = Field(["POST"], description="HTTP methods affected")
    path_prefix: str = Field("/v1/", description="Paths affected (the admin path never is)")

    @field_validator("fail_status")
    @classmethod
    def _rate_limit_or_server_error(cls, status: int | None) -> int | None:
        if status is not None and 429 < status < 500:
            raise ValueError("a fault is 429 (rate limited) or a 5xx")
        return status


NO_FAULTS = Faults(methods=[])
MAINTENANCE_PAGE = "<!DOCTYPE html><html><head><title>Down for maintenance</title></head><body><h1>We'll be right back</h1></body></html>"


class FaultState:
    """The faults in force, shared by the admin route and the middleware."""

    def __init__(self) -> None:
        self.faults = NO_FAULTS
        self.matched = 0
        self._changed: asyncio.Event | None = None  # made on the server's loop, by the first delayed request

    def set(self, faults: Faults) -> None:
        self.faults = faults
        self.matched = 0
        if self._changed is not None:
            self._changed.set()  # the requests held by the faults before these go on now
            self._changed = None

    async def delay(self, seconds: float) -> None:
        """Wait `seconds`, or less if the faults are set again meanwhile."""
        if self._changed is None:
            self._changed = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    def matches(self, scope: Scope) -> bool:
        path = scope.get("path", "")
        return (
            scope["type"] == "http"
            and path != ADMIN_PATH
            and path.startswith(self.faults.path_prefix)
            and scope.get("method") in self.faults.methods
        )


class FaultInjector:
    """Pure ASGI middleware (BaseHTTPMiddleware would buffer and detach the handler)."""

    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.state.matches(scope):
            await self.app(scope, receive, send)
            return
        faults = self.state.faults
        self.state.matched += 1
        if faults.count is not None and self.state.matched > faults.count:
            await self.app(scope, receive, send)
            return
        failing = faults.fail_status is not None
        if faults.delay_s and (faults.delay_phase == "before" or failing):
            await self.state.delay(faults.delay_s)
        if faults.maintenance_page:
            page = MAINTENANCE_PAGE.encode()
            headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(page)).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": page})
            return
        if failing:
            body = json.dumps({"detail": f"injected fault: {faults.fail_status}"}).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            if faults.retry_after_s is not None:
                headers.append((b"retry-after", str(faults.retry_after_s).encode()))
            await send({"type": "http.response.start", "status": faults.fail_status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if faults.delay_s and faults.delay_phase == "after":
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.app(scope, receive, hold)
            await self.state.delay(faults.delay_s)
            for message in held:
                await send(message)
            return
        await self.app(scope, receive, send)
