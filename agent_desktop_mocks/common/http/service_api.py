"""What every mock server mounts the same way: `/healthz`, and a `/v1` API behind bearer tokens."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from agent_desktop_mocks.common.http.auth import Principal, async_bearer_auth


class Health(BaseModel):
    status: Literal["ok"] = "ok"


def add_healthz(app: FastAPI) -> None:
    @app.get("/healthz", response_model=Health, tags=["health"], summary="Liveness (no token needed)")
    async def healthz() -> Health:
        return Health()


def token_guarded_v1(token: str, client: str, *routers: APIRouter) -> APIRouter:
    """The `/v1` API of a service that one client token may use in full (401 otherwise)."""
    return guarded_v1(async_bearer_auth({token: Principal(token, "service", client)}), *routers)


def guarded_v1(auth: Callable[..., Awaitable[Principal]], *routers: APIRouter) -> APIRouter:
    """The `/v1` API behind `auth` (401 without a known token; each route may ask more of the caller)."""
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(auth)], responses={401: {"description": "No or unknown token"}})
    for router in routers:
        v1.include_router(router)
    return v1
