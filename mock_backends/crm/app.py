"""The mock CRM server: `create_app(settings)` builds it, seeding an empty database."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from mock_backends.common.auth import Principal, bearer_auth
from mock_backends.common.clock import Clock
from mock_backends.common.settings import DEMO_CRM_TOKEN, MockSettings
from mock_backends.common.storage import open_database
from mock_backends.crm import seed, store
from mock_backends.crm.routers import customers, interactions
from mock_backends.crm.schemas import Health
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

    @app.get("/healthz", response_model=Health, tags=["health"], summary="Liveness (no token needed)")
    async def healthz() -> Health:
        return Health()

    auth = bearer_auth({DEMO_CRM_TOKEN: Principal(DEMO_CRM_TOKEN, "service", "crm-client")})
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(auth)], responses={401: {"description": "No or unknown token"}})
    v1.include_router(customers.router)
    v1.include_router(interactions.router)
    app.include_router(v1)
    return app
