"""The mock CRM server: `create_app(settings)` builds it, seeding an empty database."""

from __future__ import annotations

from fastapi import FastAPI

from mock_backends.common.clock import Clock
from mock_backends.common.service_api import add_healthz, token_guarded_v1
from mock_backends.common.settings import DEMO_CRM_TOKEN, MockSettings
from mock_backends.common.storage import open_database
from mock_backends.crm import seed, store
from mock_backends.crm.routers import customers, interactions
from mock_backends.crm.state import CrmState

DESCRIPTION = """\
Customers, their interaction history and cases, as a contact center's CRM would hold them.
Look a caller up by phone (any written form), email or account number; write the outcome
of a contact back as an interaction. Everything under `/v1` needs
`Authorization: Bearer demo-crm-token`.
"""


def create_app(settings: MockSettings) -> FastAPI:
    db = open_database(settings.data_dir, "crm", fresh=settings.fresh)
    clock = Clock(settings.frozen_time)
    store.create_tables(db)
    if store.is_empty(db):
        seed.seed(db, seed=settings.seed, customers=settings.customers, now=clock.now())

    app = FastAPI(title="Mock CRM", version="1.0", description=DESCRIPTION)
    app.state.crm = CrmState(settings=settings, db=db, clock=clock)

    add_healthz(app)
    app.include_router(token_guarded_v1(DEMO_CRM_TOKEN, "crm-client", customers.router, interactions.router))
    return app
