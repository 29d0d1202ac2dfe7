"""Bearer-token authentication shared by the mock servers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

Role = Literal["agent", "supervisor", "service"]


@dataclass(frozen=True)
class Principal:
    token: str
    role: Role
    subject: str  # agent id for agents, a name otherwise


_bearer = HTTPBearer(auto_error=False)


def bearer_auth(tokens: dict[str, Principal]) -> Callable[..., Principal]:
    """A FastAPI dependency that maps a bearer token to its principal, or answers 401."""

    def authenticate(
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    ) -> Principal:
        if credentials is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = tokens.get(credentials.credentials)
        if principal is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "unknown bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return principal

    return authenticate


def async_bearer_auth(tokens: dict[str, Principal]) -> Callable[..., Awaitable[Principal]]:
    """The same check as a coroutine dependency: FastAPI runs a plain `def` dependency in its
    thread pool, a hop that cost a good part of a CRM lookup."""
    check = bearer_auth(tokens)

    async def authenticate(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Principal:
        return check(credentials)

    return authenticate
