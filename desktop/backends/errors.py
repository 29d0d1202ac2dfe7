"""Errors a backend reports to the desktop, whatever its transport."""

from __future__ import annotations

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
    kind = type(error).__name__
    return BackendError(backend, f"cannot reach {backend} ({kind})")
