"""The Zendesk-shaped mock: `create_app(settings)` serves the CRM's data the way Zendesk Support's API
does (docs/vendors/zendesk-support.openapi.yaml), so the desk runs on its Zendesk backend without an account."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.http.request_guard import guard_requests
from agent_desktop_mocks.common.http.service_api import add_healthz
from agent_desktop_mocks.common.storage import open_database
from agent_desktop_mocks.crm import seed, store
from agent_desktop_mocks.crm.knowledge import seed as knowledge_seed
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.zendesk import tickets_store, users_store
from agent_desktop_mocks.zendesk.access import RateWindow, authorised
from agent_desktop_mocks.zendesk.errors import ZendeskShapedRefusals, add_error_handlers
from agent_desktop_mocks.zendesk.routers import help_center, search, tickets, users
from agent_desktop_mocks.zendesk.settings import ZendeskMockSettings
from agent_desktop_mocks.zendesk.state import ZendeskState
from agent_desktop_mocks.zendesk.ticket_update_limits import TicketUpdateLimits

DESCRIPTION = """\
The mock CRM's customers, cases and history in Zendesk Support's shapes: users, tickets and ticket
comments, integer ids, offset paging, `Idempotency-Key` on ticket creation (`x-idempotency-lookup`),
`create_or_update` updating the user with that email or external id, phones kept as written and matched in
other written forms only with a leading `*`, new users out of search results for `search_lag_s`,
errors as `{"error", "description", "details"}`. Basic auth `agent@example.com/token:demo-zendesk-token`;
429 with `Retry-After` past the configured rate, and past Update Ticket's own limits (100 a minute per account,
30 updates per 10 minutes per user per ticket). Help Center: Search Articles (snippets with `<em>`) and Show Article
over the mock CRM's knowledge base.
"""


def create_app(
    settings: MockSettings, zendesk: ZendeskMockSettings | None = None, clock: Clock | None = None
) -> FastAPI:
    """Opens (and seeds, if empty) the same `crm.db` the mock CRM uses: one set of customers for both.
    Built after the CRM in one process, pass `fresh=False` so it does not delete the CRM's file. `clock`: the
    time the search lag and the rate window run on (a test steps it; the wall clock by default)."""
    db = open_database(settings.data_dir, "crm", fresh=settings.fresh)
    clock = clock or Clock(settings.frozen_time)
    store.create_tables(db)
    if store.is_empty(db):
        seed.seed(db, seed=settings.seed, customers=settings.customers, now=clock.now())
    else:
        store.create_indexes(db)
    tickets_store.create_tables(db)
    users_store.create_tables(db)
    knowledge_store.create_tables(db)
    knowledge_store.seed_if_empty(
        db, lambda: knowledge_seed.articles(settings.seed)
    )  # the Help Center's articles are the mock CRM's knowledge base

    options = zendesk or ZendeskMockSettings()
    app = FastAPI(title="Mock Zendesk Support", version="1.0", description=DESCRIPTION)
    app.state.zendesk = ZendeskState(db=db, clock=clock, settings=options, region=settings.phone_region.upper())
    app.state.zendesk_rate = RateWindow(options.rate_limit, options.rate_window_s)
    app.state.zendesk_ticket_updates = TicketUpdateLimits(options)
    guard_requests(app)
    add_error_handlers(app)  # after guard_requests: its handlers answer in the CRM's shape, these in Zendesk's
    app.add_middleware(ZendeskShapedRefusals)  # added last: outermost, it sees the guard's refusals
    add_healthz(app)
    for router in (users.router, search.router, tickets.router, help_center.router):
        app.include_router(router, dependencies=[Depends(authorised)])
    return app
