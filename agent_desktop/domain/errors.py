"""Errors a backend reports to the desktop, whatever its transport."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: the errors load no pydantic model where they are raised
    from agent_desktop.domain.models import Customer

# The longest rate-limit wait the desk honours: a vendor's own are seconds to a minute; a larger one (a broken or
# hostile server's `99999`, or `inf`) stopped the outbox for a day, or for good.
RETRY_AFTER_MAX_S = 300.0


class BackendError(Exception):
    """A backend refused or failed a request; `message` is fit to show an agent."""

    def __init__(
        self,
        backend: str,
        message: str,
        status: int | None = None,
        state: str | None = None,
        retry_after_s: float | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(f"{backend}: {message}")
        self.backend = backend
        self.message = message
        self.status = status
        self.state = state  # the current state, for a 409 on an illegal transition
        self.retry_after_s = retry_after_s  # a rate limit's Retry-After: sending again sooner is refused again
        self.url = url  # where it failed, when that is not where the caller asked (a stream's resync read elsewhere)

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


class NotServed(BackendError):
    """What a stand-in for a feature the backend does not serve answers every call with: one sentence an agent can
    read ("Monitoring is not on this contact center."), never retried. The desk does not offer such a feature's keys
    (its capabilities say so), so this is met only by a call that slipped past them."""

    def __init__(self, sentence: str, backend: str = "contact center") -> None:
        super().__init__(backend, sentence, 501)

    @property
    def retryable(self) -> bool:
        return False


class CustomerExists(BackendError):
    """A new customer was not made because what identifies them (an email) is an existing customer's: the CRM
    would not let the new one have it, and must not overwrite the existing one. `existing`: those customers,
    for the agent to pick instead."""

    def __init__(self, backend: str, message: str, existing: list[Customer]) -> None:
        super().__init__(backend, message, 422)
        self.existing = existing


def describe_status(status: int, path: str = "") -> str:
    """A refusal in a few words: `401 token refused`, `404 no such agent`."""
    if status == 401:
        return "401 token refused"
    if status == 403:
        return "403 forbidden for this token"
    if status == 404:
        return "404 no such agent" if "/agents/" in path else "404 not found"
    if status == 429:
        return "429 rate limited"  # not "refused": it heals by itself, the stream tries again
    return f"{status} {'server error' if status >= 500 else 'refused'}"
