"""The Update Ticket endpoint's own rate limits, over the account's (Rate limits, "Endpoint rate limits"):

- "Update Ticket endpoint: 100 requests per minute per account" (300 with the High Volume API add-on);
- "The Update Ticket endpoint ... has a limit of 30 updates per 10 minutes per user per ticket".

Every `PUT /api/v2/tickets/{id}` counts against both; past either the answer is 429 with the seconds left in that
window as Retry-After (fixed windows on the app's clock, as the account's limit in access.py: guessed, the
documentation does not say how Zendesk's windows slide).
"""

from __future__ import annotations

from collections import Counter

from fastapi import Request

from agent_desktop_mocks.zendesk.access import RateWindow
from agent_desktop_mocks.zendesk.errors import ZendeskError
from agent_desktop_mocks.zendesk.settings import ZendeskMockSettings
from agent_desktop_mocks.zendesk.state import ZendeskState

TICKETS_KEPT = 10_000  # per-ticket windows remembered; the oldest are dropped (their window is long over)


class TicketUpdateLimits:
    def __init__(self, settings: ZendeskMockSettings) -> None:
        self._account = RateWindow(settings.ticket_updates_per_minute, 60.0)
        self._per_ticket_limit = settings.ticket_updates_per_ticket
        self._per_ticket_window_s = settings.ticket_update_window_s
        self._per_ticket: dict[tuple[str, int], RateWindow] = {}
        # Updates let through, by ticket: what a test reads to count a contact's cost against these limits.
        self.updates: Counter[int] = Counter()

    def take(self, user: str, ticket_id: int, now: float) -> int | None:
        """None when this update may go, else the seconds to wait: the per-ticket window first (the narrower)."""
        key = (user, ticket_id)
        window = self._per_ticket.get(key)
        if window is None:
            if len(self._per_ticket) >= TICKETS_KEPT:
                del self._per_ticket[next(iter(self._per_ticket))]
            window = self._per_ticket[key] = RateWindow(self._per_ticket_limit, self._per_ticket_window_s)
        wait = window.take(now)
        wait = wait if wait is not None else self._account.take(now)
        if wait is None:
            self.updates[ticket_id] += 1
        return wait


async def ticket_update_allowed(request: Request, ticket_id: int) -> None:
    """A dependency of Update Ticket: 429 with Retry-After past either of its limits."""
    zendesk: ZendeskState = request.app.state.zendesk
    limits: TicketUpdateLimits = request.app.state.zendesk_ticket_updates
    wait = limits.take(zendesk.settings.email, ticket_id, zendesk.clock.monotonic())
    if wait is not None:
        raise ZendeskError(
            429, "TooManyRequests", "Ticket update rate limit exceeded", headers={"Retry-After": str(wait)}
        )
