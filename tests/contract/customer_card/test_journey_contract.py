"""Contract: the desktop's clients parse what the CCaaS sends about the caller's journey.

Real CCaaS and CRM servers on loopback; a caller comes in through the IVR; the desktop's own
HTTP clients (agent and supervisor) read the offer's attached data and the queue's estimated wait
and containment. A desktop built before these fields ignores them (they are optional).
"""

from __future__ import annotations

import httpx

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.domain.models import AgentState, AttachedData, Contact
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_CRM_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.ivr import CrmDirectory
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.demo_people import callers
from tests.support.narrowing import present

SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


async def test_the_desktop_reads_attached_data_estimated_waits_and_containment(mock_settings: MockSettings) -> None:
    ccaas = create_ccaas(mock_settings)
    running = serve_in_thread([ccaas, create_crm(mock_settings)])
    ccaas.state.directory = CrmDirectory(running.urls[1], DEMO_CRM_TOKEN)
    url = running.urls[0]
    agent = HttpContactCenter(url, DEMO_AGENT_TOKEN, "agent-001")
    supervisor = HttpSupervisorConsole(url, DEMO_SUPERVISOR_TOKEN)
    try:
        await agent.set_state(AgentState.AVAILABLE)
        caller = callers(mock_settings.seed, mock_settings.customers)[2]
        body = {"entry_number": "+18005550100", "from_address": caller.phone_e164, "keys": ["1", "2"]}
        with httpx.Client(base_url=url, headers=SUPERVISOR, timeout=5) as http:
            outcome = http.post("/v1/ivr/calls", json=body).json()
            http.post("/v1/ivr/calls", json={**body, "keys": ["1", "1"], "self_service": True})
        sent = outcome["contact"]["attached"]
        assert sent["account_number"]
        assert sent["tier"]  # the CRM dip found them

        (offer,) = await agent.list_offers()
        assert offer.contact.attached == AttachedData(**sent)
        assert offer.contact.ewt_s == 0.0
        assert Contact.model_validate({k: v for k, v in outcome["contact"].items() if k != "attached"}).attached is None

        billing = next(s for s in await supervisor.queue_stats() if s.queue_id == "billing")
        assert billing.contained == 1
        assert billing.ewt_s is not None
    finally:
        await agent.aclose()
        await supervisor.aclose()
        running.stop()


async def test_the_desktop_reads_a_callback_offer_and_the_callbacks_pending(mock_settings: MockSettings) -> None:
    running = serve_in_thread([create_ccaas(mock_settings.model_copy(update={"callback_answer_pct": 100}))])
    url = running.urls[0]
    agent = HttpContactCenter(url, DEMO_AGENT_TOKEN, "agent-001")
    supervisor = HttpSupervisorConsole(url, DEMO_SUPERVISOR_TOKEN)
    try:
        with httpx.Client(base_url=url, headers=SUPERVISOR, timeout=5) as http:
            http.patch("/v1/queues/billing", json={"callback_offer_after_s": 0}).raise_for_status()
            body = {"queue_id": "billing", "channel": "voice", "from_address": "+12125550100", "subject": "Refund"}
            contact = http.post("/v1/contacts", json=body).json()
            http.post(f"/v1/contacts/{contact['id']}/callback", json={}).raise_for_status()
        billing = next(s for s in await supervisor.queue_stats() if s.queue_id == "billing")
        assert billing.callbacks_pending == 1
        assert billing.oldest_callback_s is not None

        await agent.set_state(AgentState.AVAILABLE)
        (offer,) = await agent.list_offers()
        assert offer.contact.direction == "outbound"
        assert (present(offer.contact.callback).number, present(offer.contact.callback).reason) == (
            "+12125550100",
            "Refund",
        )
        dialling = await agent.accept_offer(offer.id)
        assert present(dialling.callback).state == "dialling"
        assert present(dialling.callback).attempts == 1
    finally:
        await agent.aclose()
        await supervisor.aclose()
        running.stop()
