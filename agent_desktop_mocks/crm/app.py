"""The mock CRM server: `create_app(settings)` builds it, seeding an empty database."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.common.http.request_guard import guard_requests
from agent_desktop_mocks.common.http.service_api import add_healthz, guarded_v1
from agent_desktop_mocks.common.storage import open_database
from agent_desktop_mocks.crm import access, seed, store
from agent_desktop_mocks.crm.faults import FaultInjector
from agent_desktop_mocks.crm.knowledge import seed as knowledge_seed
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.crm.routers import (
    admin,
    cases,
    consent,
    customers,
    evaluations,
    interactions,
    knowledge,
    limits,
    supervision,
)
from agent_desktop_mocks.crm.routers import timeline as timeline_router
from agent_desktop_mocks.crm.state import CrmState

DESCRIPTION = """\
Customers (phones, emails, language, tier and segment, contact preferences and consent),
their accounts and billing, orders, cases and interaction history, as a contact center's
CRM would hold them. Look a caller up by phone (any written form), email or account number;
write the outcome of a contact back as an interaction, add notes, open cases or link a
contact to one — every write safe to retry with an `Idempotency-Key`. Search the knowledge base
(a few hundred articles for the billing, technical support and sales queues) by words, ranked. `/v1/limits` says how much
one write may hold. Everything under `/v1`
needs `Authorization: Bearer demo-crm-token` (the agents' desks) or `demo-crm-supervisor-token` (a supervisor's desk:
it alone writes and reads supervision records). `/v1/admin/faults` is for tests only.
"""


def create_app(settings: MockSettings) -> FastAPI:
    db = open_database(settings.data_dir, "crm", fresh=settings.fresh)
    clock = Clock(settings.frozen_time)
    store.create_tables(db)
    if store.is_empty(db):
        seed.seed(db, seed=settings.seed, customers=settings.customers, now=clock.now())
    else:
        store.create_indexes(db)
    knowledge_store.create_tables(db)
    knowledge_store.seed_if_empty(
        db, lambda: knowledge_seed.articles(settings.seed)
    )  # apart from the customers: a file seeded before the knowledge base gets one

    app = FastAPI(title="Mock CRM", version="2.0", description=DESCRIPTION)
    state = CrmState(settings=settings, db=db, clock=clock, region=settings.phone_region.upper())
    app.state.crm = state
    app.add_middleware(FaultInjector, state=state.faults)
    guard_requests(app)  # added last: outermost, so a refused body never reaches the fault injector

    @app.exception_handler(cases.CaseClosed)
    async def case_closed(request: Request, error: cases.CaseClosed) -> JSONResponse:
        return JSONResponse({"detail": str(error), "state": error.state}, status_code=409)

    add_healthz(app)
    app.include_router(
        guarded_v1(
            access.authenticate,
            customers.router,
            consent.router,
            interactions.router,
            cases.router,
            limits.router,
            supervision.router,
            evaluations.router,
            timeline_router.router,
            knowledge.router,
            admin.router,
        )
    )
    return app
