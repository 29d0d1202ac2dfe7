"""The mock contact center's virtual agent over the in-process mocks: the CRM's knowledge search and the mock model
reached through ASGI (no server, no port), as `agent-desktop mocks` points the contact center at its own CRM and model
(`crm_url`, `model_url`); and a customer writing to it through the contact center's own routes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from fastapi import FastAPI

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, DEMO_SUPERVISOR_TOKEN
from agent_desktop_mocks.ccaas.virtual_agent.ports import CrmKnowledge, KnowledgeBase, OpenAiModel
from agent_desktop_mocks.ccaas.virtual_agent.service import VirtualAgent
from agent_desktop_mocks.model.app import create_app as create_model
from agent_desktop_mocks.model.model_server import ModelServer
from agent_desktop_mocks.model.settings import DEMO_MODEL, ModelMockSettings
from tests.support.in_process.mocks import InProcessMocks


def model_app(**settings: Any) -> FastAPI:
    """The mock model server's app, answering at once (no latency), keeping the bodies it is sent."""
    return create_model(ModelMockSettings(**{"keep_bodies": 50, **settings}))


def received(app: FastAPI) -> list[str]:
    server: ModelServer = app.state.server
    return list(server.received)


def crm_knowledge(crm_app: FastAPI) -> CrmKnowledge:
    return CrmKnowledge(
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=crm_app),
            base_url="http://crm.in-process",
            headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"},
        )
    )


def bot_on(
    mocks: InProcessMocks,
    model: FastAPI,
    queues: Sequence[str] = ("billing",),
    knowledge: KnowledgeBase | None = None,
    call_queues: Sequence[str] = (),
) -> VirtualAgent:
    """The virtual agent on `queues`' chat entry (and answering `call_queues`' calls first), answering through
    `model` from the CRM's knowledge base."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=model), base_url="http://model.in-process/v1")
    bot = VirtualAgent(
        mocks.engine,
        mocks.settings.intents,
        queues,
        knowledge or crm_knowledge(mocks.crm_app),
        OpenAiModel(client, DEMO_MODEL),
        call_queues=call_queues,
    )
    mocks.ccaas_app.state.virtual_agent = bot
    return bot


def customer(mocks: InProcessMocks) -> httpx.AsyncClient:
    """The web chat widget: the contact center's routes over ASGI, with the token the mock lets it use."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=mocks.ccaas_app),
        base_url="http://ccaas.in-process",
        headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"},
    )


async def billing_counts(web: httpx.AsyncClient) -> dict[str, int]:
    """The virtual agent's counts of billing (contained, escalated, failed), as the floor reads them."""
    answer = await web.get("/v1/virtual-agent/counts")
    assert answer.status_code == 200, answer.text
    return next(row for row in answer.json() if row["queue_id"] == "billing")
