"""Errors a backend reports to the desktop, whatever its transport."""

from __future__ import annotations

import socket

import httpx


class BackendError(Exception):
    """A backend refused or failed a request; `message` is fit to show an agent."""

    def __init__(self, backend: str, message: str, status: int | None = None, state: str | None = None) -> None:
        super().__init__(f"{backend}: {message}")
        self.backend = backend
        self.message = message
        self.status = status
        self.state = state  # the current state, for a 409 on an illegal transition

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


def raise_for_status(backend: str, response: httpx.Response) -> None:
    if response.is_success:
        return
    detail: object = response.reason_phrase
    state = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = body.get("detail", detail)
        state = body.get("state")
    if isinstance(detail, list):  # FastAPI validation errors
        detail = "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', [])[1:])}: {item.get('msg')}" for item in detail
        )
    raise BackendError(backend, f"{response.status_code} {detail}", response.status_code, state)


def transport_error(backend: str, error: httpx.HTTPError) -> BackendError:
    return BackendError(backend, f"cannot reach {backend} ({describe_transport_error(error)})")


def describe_transport_error(error: httpx.HTTPError) -> str:
    """What went wrong on the way, in the words an agent or an admin would use."""
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        causes = _causes(error)
        if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
            return "refused"
        if any(isinstance(cause, socket.gaierror) for cause in causes):
            return "unknown host"
        if any(isinstance(cause, TimeoutError) for cause in causes):
            return "timed out"
        return f"cannot connect ({error or type(error).__name__})"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the server closed the connection"
    return type(error).__name__


def _causes(error: BaseException) -> list[BaseException]:
    """The chain under an httpx error (anyio wraps the OSError that says what happened)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def describe_status(status: int, path: str = "") -> str:
    """A refusal in a few words: `401 token refused`, `404 no such agent`."""
    if status == 401:
        return "401 token refused"
    if status == 403:
        return "403 forbidden for this token"
    if status == 404:
        return "404 no such agent" if "/agents/" in path else "404 not found"
    return f"{status} {'server error' if status >= 500 else 'refused'}"
