"""The CCaaS mock's routes, by resource (routers/), included in its app."""

from __future__ import annotations

from fastapi import FastAPI

from agent_desktop_mocks.ccaas.api.routers import (
    agents,
    callbacks,
    contacts,
    conversations,
    flags,
    messaging,
    monitoring,
    offers,
    quality,
    queues,
    supervisor,
    virtual_agent,
    workforce,
)
from agent_desktop_mocks.ccaas.api.routers import said_alerts as said_alerts_router
from agent_desktop_mocks.ccaas.api.routers.voice import ivr, placed_calls, recordings, softphones, voicemails


def include_routes(app: FastAPI) -> None:
    for module in (
        agents,
        callbacks,
        offers,
        contacts,
        queues,
        supervisor,
        conversations,
        ivr,
        monitoring,
        workforce,
        flags,
        said_alerts_router,
        quality,
        messaging,
        softphones,
        recordings,
        placed_calls,
        voicemails,
        virtual_agent,
    ):
        app.include_router(module.router)
    app.include_router(softphones.supervisor_router)
