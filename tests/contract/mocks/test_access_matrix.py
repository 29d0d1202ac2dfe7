"""Who may call what, as a table: every endpoint of the mock contact center, CRM and presence service,
read from each FastAPI app's own routes, for every caller — no token, another service's token, the agent who holds
the contact, another agent, a supervisor of the contact's queue, a supervisor of another queue, the agents' CRM
token, a supervisor's CRM token — with the answer each must get. An endpoint missing from the table (a new one)
fails the test by name, as does a row naming no endpoint.

`ok` means the request got past access control: any answer but 401 and 403 (a write the table sends with a body the
engine refuses — a transfer to a queue that does not exist, a disposition no queue has — answers 404, 409 or 422
after the caller was let in; no answer is a 5xx). Streams are opened and closed once their status is read. The
contact is a chat in the billing queue held by the demo agent; "in scope" is Jordan Blake (billing only), "out of
scope" a supervisor of sales only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.messaging.recipients import CrmRecipients
from agent_desktop_mocks.ccaas.settings import (
    DEMO_AGENT_TOKEN,
    DEMO_CRM_SUPERVISOR_TOKEN,
    DEMO_CRM_TOKEN,
    DEMO_PRESENCE_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
    MockSettings,
)
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.conversation_rig import contact_in_hand
from tests.support.crm_recipients import consenting_customer

SALES_SUPERVISOR = SupervisorRow(
    id="supervisor-sales", name="Sam Ortiz", token="supervisor-sales-token", queues=["sales"]
)
TOKENS = {
    "none": None,
    "crm desk": DEMO_CRM_TOKEN,
    "agent": DEMO_AGENT_TOKEN,
    "other agent": "agent-002-token",
    "supervisor in scope": "supervisor-billing-token",
    "supervisor out of scope": SALES_SUPERVISOR.token,
    "crm supervisor": DEMO_CRM_SUPERVISOR_TOKEN,
    "presence": DEMO_PRESENCE_TOKEN,
}
CCAAS_ROLES = ("agent", "other agent", "supervisor in scope", "supervisor out of scope")
F = 403


def ccaas(agent: Any, other: Any, inside: Any, outside: Any) -> dict[str, Any]:
    """A contact-center row: the four callers' answers; no token and the CRM's token are 401."""
    return {"none": 401, "crm desk": 401, **dict(zip(CCAAS_ROLES, (agent, other, inside, outside), strict=True))}


def crm(desk: Any, supervisor: Any) -> dict[str, Any]:
    return {"none": 401, "agent": 401, "crm desk": desk, "crm supervisor": supervisor}


PUBLIC = dict.fromkeys(TOKENS, "ok")
EVERY_TOKEN, OWN_AGENT, OWN_CONTACT = ccaas("ok", "ok", "ok", "ok"), ccaas("ok", F, "ok", "ok"), ccaas("ok", F, "ok", F)
AGENTS_VIEW = ccaas(
    "ok", F, F, F
)  # an agent's own lists and stream: a supervisor limited to some queues reads the floor
SUPERVISORS, SUPERVISOR_OF_IT = ccaas(F, F, "ok", "ok"), ccaas(F, F, "ok", F)
TABLE: dict[str, dict[str, dict[str, Any]]] = {
    "ccaas": {
        "GET /healthz": PUBLIC,
        "GET /v1/agents": EVERY_TOKEN,
        "GET /v1/agents/{agent_id}": OWN_AGENT,
        "PATCH /v1/agents/{agent_id}": SUPERVISORS,
        "PUT /v1/agents/{agent_id}/state": OWN_AGENT,
        "PUT /v1/agents/{agent_id}/next-state": OWN_AGENT,
        "GET /v1/agents/{agent_id}/offers": AGENTS_VIEW,
        "GET /v1/agents/{agent_id}/contacts": AGENTS_VIEW,
        "GET /v1/agents/{agent_id}/events": AGENTS_VIEW,
        "GET /v1/agents/{agent_id}/conversations": AGENTS_VIEW,
        "GET /v1/agents/{agent_id}/day": AGENTS_VIEW,  # my day: the agent alone, or a supervisor of every queue
        # Callbacks an agent owns: the agent schedules their own; a supervisor reads those in their queues.
        "POST /v1/agents/{agent_id}/callbacks": ccaas("ok", F, F, F),
        "GET /v1/agents/{agent_id}/callbacks": OWN_AGENT,
        # The agent's softphone, where the mock rings their real calls (docs/voice.md): theirs to say, as their state.
        "PUT /v1/agents/{agent_id}/softphone": OWN_AGENT,
        "GET /v1/agents/{agent_id}/softphone": OWN_AGENT,
        "DELETE /v1/agents/{agent_id}/softphone": OWN_AGENT,
        # Calls the agent places (docs/voice.md): the agent alone, for themselves; a queue's caller IDs, any token.
        "POST /v1/agents/{agent_id}/calls": ccaas("ok", F, F, F),
        "GET /v1/queues/{queue_id}/caller-ids": EVERY_TOKEN,
        # A call to a colleague: the agent alone; the directory's softphones bound by address, a supervisor's.
        "POST /v1/agents/{agent_id}/calls/internal": ccaas("ok", F, F, F),
        "PUT /v1/colleagues/softphone": SUPERVISORS,
        "DELETE /v1/colleagues/softphone": SUPERVISORS,
        # Workforce management: a queue's forecast for its supervisors; the floor's schedules and coverage
        # for supervisors, each of their own queues; an agent's schedule for them and supervisors of a queue they
        # serve (the demo agent serves sales too).
        "GET /v1/agents/{agent_id}/schedule": OWN_AGENT,
        "GET /v1/workforce/queues/{queue_id}/forecast": SUPERVISOR_OF_IT,
        "GET /v1/workforce/coverage": SUPERVISORS,
        "GET /v1/workforce/schedules": SUPERVISORS,
        # Adherence: the floor's for supervisors, of the agents serving their queues; a schedule edited by a
        # supervisor of a queue the agent serves (the demo agent serves billing and sales).
        "GET /v1/workforce/adherence": SUPERVISORS,
        "PUT /v1/agents/{agent_id}/schedule": SUPERVISORS,
        "POST /v1/offers/{offer_id}/accept": ccaas("ok", F, F, F),
        "POST /v1/offers/{offer_id}/reject": ccaas("ok", F, F, F),
        "POST /v1/contacts": SUPERVISOR_OF_IT,
        "GET /v1/contacts/{contact_id}": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/hold": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/resume": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/transfer": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/consult": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/consult/complete": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/consult/cancel": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/end": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/complete": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/wrap-up/extend": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/abandon": SUPERVISOR_OF_IT,
        "POST /v1/contacts/{contact_id}/move": SUPERVISOR_OF_IT,
        "POST /v1/contacts/{contact_id}/callback": SUPERVISOR_OF_IT,
        "GET /v1/queues": EVERY_TOKEN,
        "GET /v1/queues/stats": EVERY_TOKEN,
        "GET /v1/queues/{queue_id}/waiting": SUPERVISOR_OF_IT,
        "PATCH /v1/queues/{queue_id}": SUPERVISOR_OF_IT,
        "GET /v1/supervisor/agents": SUPERVISORS,
        "GET /v1/supervisor/agents/{agent_id}/contacts/today": SUPERVISORS,
        "GET /v1/supervisor/stats/history": SUPERVISORS,
        "GET /v1/supervisor/recordings/paused": SUPERVISORS,
        "GET /v1/supervisor/events": SUPERVISORS,
        "GET /v1/contacts/{contact_id}/conversation": OWN_CONTACT,
        "GET /v1/contacts/{contact_id}/messages": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/messages": ccaas("ok", F, F, F),
        "POST /v1/contacts/{contact_id}/customer-messages": SUPERVISOR_OF_IT,
        "POST /v1/contacts/{contact_id}/typing": ccaas("ok", F, F, F),
        "POST /v1/contacts/{contact_id}/read": ccaas("ok", F, F, F),
        "PUT /v1/contacts/{contact_id}/snooze": ccaas("ok", F, F, F),
        "DELETE /v1/contacts/{contact_id}/snooze": ccaas("ok", F, F, F),
        "PUT /v1/contacts/{contact_id}/scheduled-reply": ccaas("ok", F, F, F),
        "DELETE /v1/contacts/{contact_id}/scheduled-reply": ccaas("ok", F, F, F),
        "GET /v1/queues/{queue_id}/conversation-settings": EVERY_TOKEN,
        "PATCH /v1/queues/{queue_id}/conversation-settings": SUPERVISOR_OF_IT,
        "GET /v1/ivr/entries": SUPERVISORS,
        "POST /v1/ivr/calls": SUPERVISORS,
        # the web chat widget's side of the virtual agent, as the IVR's: a supervisor's token stands for it
        "POST /v1/virtual-agent/chats": SUPERVISORS,
        "POST /v1/virtual-agent/chats/{chat_id}/messages": SUPERVISORS,
        "POST /v1/virtual-agent/chats/{chat_id}/leave": SUPERVISORS,
        "POST /v1/virtual-agent/calls": SUPERVISORS,  # the telephony's side: a simulated caller on a bot's queue
        "GET /v1/virtual-agent/counts": SUPERVISORS,
        "PUT /v1/contacts/{contact_id}/monitoring": SUPERVISOR_OF_IT,
        "DELETE /v1/contacts/{contact_id}/monitoring": SUPERVISOR_OF_IT,
        "GET /v1/contacts/{contact_id}/participants": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/whispers": SUPERVISOR_OF_IT,
        "POST /v1/contacts/{contact_id}/supervisor-messages": SUPERVISOR_OF_IT,
        "GET /v1/contacts/{contact_id}/customer-view": SUPERVISOR_OF_IT,
        "POST /v1/contacts/{contact_id}/monitoring/takeover": SUPERVISOR_OF_IT,  # the call is theirs to take
        "GET /v1/supervisor/monitoring": SUPERVISORS,
        # A supervisor's softphone, where a call they take over rings: their own, by their token.
        "PUT /v1/supervisor/softphone": SUPERVISORS,
        "GET /v1/supervisor/softphone": SUPERVISORS,
        "DELETE /v1/supervisor/softphone": SUPERVISORS,
        "GET /v1/supervisor/monitoring/events": SUPERVISORS,
        "POST /v1/contacts/{contact_id}/flags": ccaas("ok", F, F, F),  # only the contact's agent raises a flag
        "GET /v1/contacts/{contact_id}/recording": OWN_CONTACT,
        "POST /v1/contacts/{contact_id}/recording/pause": ccaas("ok", F, F, F),  # the agent on the call pauses it
        "POST /v1/contacts/{contact_id}/recording/resume": ccaas("ok", F, F, F),
        "GET /v1/contacts/{contact_id}/recording/audio": ccaas(F, F, "ok", F),  # its sound: a supervisor of it only
        "POST /v1/contacts/{contact_id}/voicemail": SUPERVISOR_OF_IT,  # the caller's side, as a callback's request
        "GET /v1/contacts/{contact_id}/voicemail/audio": OWN_CONTACT,  # the agent it is offered to or who has it
        "GET /v1/flags": EVERY_TOKEN,  # each caller's own: an agent's flags, a supervisor's queues' open flags
        "POST /v1/flags/{flag_id}/lines": OWN_CONTACT,
        "POST /v1/flags/{flag_id}/close": OWN_CONTACT,
        "POST /v1/broadcasts": SUPERVISOR_OF_IT,
        "GET /v1/said-alert-rules": SUPERVISORS,  # the contact center's rules, read and replaced by supervisors
        "PUT /v1/said-alert-rules": SUPERVISORS,
        "GET /v1/said-alerts": SUPERVISORS,  # the alerts of each supervisor's own queues
        # Quality management: the forms for everyone; finished contacts reviewed and scored by the
        # supervisors of their queue; an evaluation read by its agent and those supervisors, acknowledged or disputed by its agent.
        "GET /v1/quality/forms": EVERY_TOKEN,
        "GET /v1/quality/forms/{form_id}": EVERY_TOKEN,
        "GET /v1/quality/interactions": SUPERVISORS,
        "GET /v1/quality/interactions/{contact_id}": SUPERVISOR_OF_IT,
        "POST /v1/quality/interactions/{contact_id}/evaluations": SUPERVISOR_OF_IT,
        "GET /v1/quality/evaluations": EVERY_TOKEN,  # each caller's own: an agent's, a supervisor's queues'
        "GET /v1/quality/evaluations/{evaluation_id}": OWN_CONTACT,
        "POST /v1/quality/evaluations/{evaluation_id}/acknowledge": ccaas("ok", F, F, F),
        "POST /v1/quality/evaluations/{evaluation_id}/dispute": ccaas("ok", F, F, F),
        "GET /v1/quality/rollup": SUPERVISORS,
        # Messaging: an agent sends their customers follow-ups and reads their own messages' status; a
        # customer another agent handled is not theirs to message.
        "POST /v1/messages": ccaas("ok", F, F, F),
        "GET /v1/messages/{message_id}": ccaas("ok", F, F, F),
    },
    "crm": {
        "GET /healthz": PUBLIC,
        **{
            route: crm("ok", "ok")
            for route in (
                "GET /v1/customers/lookup",
                "GET /v1/customers/search",
                "GET /v1/customers/{customer_id}",
                "GET /v1/customers/{customer_id}/record",
                "GET /v1/customers/{customer_id}/interactions",
                "GET /v1/customers/{customer_id}/cases",
                "GET /v1/customers/{customer_id}/timeline",
                "POST /v1/customers",
                "GET /v1/customers/{customer_id}/notes",
                "POST /v1/customers/{customer_id}/notes",
                "POST /v1/customers/{customer_id}/consent-withdrawals",
                "POST /v1/interactions",
                "GET /v1/interactions",
                "GET /v1/interactions/{interaction_id}",
                "GET /v1/cases/{case_id}",
                "POST /v1/cases",
                "POST /v1/cases/{case_id}/contacts",
                "GET /v1/limits",
                "GET /v1/knowledge/search",
                "GET /v1/knowledge/articles/{article_id}",
                "GET /v1/admin/faults",
                "PUT /v1/admin/faults",
            )
        },
        "POST /v1/supervision": crm(F, "ok"),  # a supervisor's monitoring is theirs to write (and read back)
        "POST /v1/evaluations": crm(F, "ok"),  # so is a quality evaluation of a contact
    },
    "presence": {
        "GET /healthz": PUBLIC,
        **{
            route: {"none": 401, "agent": 401, "crm desk": 401, "presence": "ok"}
            for route in (
                "GET /v1/people",
                "GET /v1/people/{person_id}",
                "PUT /v1/people/{person_id}/presence",
                "POST /v1/people/{person_id}/messages",
                "GET /v1/people/{person_id}/messages",
                "GET /v1/presence/events",
            )
        },
    },
}
# What each write sends: enough to pass validation (an access check inside a handler comes after it), and nothing
# that would take the contact from its agent (the transfer's target does not exist, the disposition is no queue's).
BODIES: dict[str, Any] = {
    "PUT /v1/contacts/{contact_id}/snooze": {"until": "2099-01-01T09:00:00+00:00"},  # 422 past access: too far
    "PUT /v1/contacts/{contact_id}/scheduled-reply": {"text": "Later.", "send_at": "2099-01-01T09:00:00+00:00"},
    "PATCH /v1/agents/{agent_id}": {},
    "PUT /v1/agents/{agent_id}/state": {"state": "available"},
    "PUT /v1/agents/{agent_id}/next-state": {"state": None},
    "POST /v1/contacts": {"queue_id": "billing", "channel": "voice", "from_address": "+12125550199"},
    "POST /v1/contacts/{contact_id}/transfer": {"target": {"kind": "queue", "id": "no-such-queue"}},
    "POST /v1/contacts/{contact_id}/consult": {"target": {"kind": "queue", "id": "no-such-queue"}},
    "POST /v1/contacts/{contact_id}/complete": {"disposition": "no such disposition"},
    "POST /v1/contacts/{contact_id}/move": {"queue_id": "billing"},
    "POST /v1/contacts/{contact_id}/callback": {},
    "POST /v1/contacts/{contact_id}/voicemail": {},
    "POST /v1/agents/{agent_id}/callbacks": {
        "contact_id": "c-999999",
        "due_at": "2099-01-01T09:00:00+00:00",
        "time_zone": "UTC",
    },  # an unknown contact: 404 once let in
    "POST /v1/agents/{agent_id}/calls": {"number": "+15125550199", "queue_id": "no-such-queue"},  # 404 once let in
    # No softphone bound to the address: 404 once let in (nothing placed).
    "POST /v1/agents/{agent_id}/calls/internal": {
        "address": "sip:nobody@example.com",
        "name": "No One",
        "queue_id": "billing",
    },
    "PUT /v1/colleagues/softphone": {"address": "sip:matrix@example.com", "contact_uri": "sip:matrix@127.0.0.1:5998"},
    "PATCH /v1/queues/{queue_id}": {},
    "PUT /v1/agents/{agent_id}/schedule": {
        "agent_id": "agent-001",
        "day": "2000-01-03",
        "shift_start": "2000-01-03T08:00:00Z",
        "shift_end": "2000-01-03T16:00:00Z",
        "activities": [],
    },  # a day out of range: 422 once let in
    "POST /v1/contacts/{contact_id}/messages": {"text": "Let me check."},
    "POST /v1/contacts/{contact_id}/customer-messages": {"text": "Hello?"},
    "POST /v1/contacts/{contact_id}/typing": {"typing": True},
    "PATCH /v1/queues/{queue_id}/conversation-settings": {"inactivity_timeout_s": {}},
    "POST /v1/ivr/calls": {"entry_number": "+18005550100", "from_address": "+12125550199"},
    "POST /v1/virtual-agent/chats": {"queue_id": "billing", "from_address": "p@example.net", "text": "Hello"},
    "POST /v1/virtual-agent/chats/{chat_id}/messages": {"text": "Hello?"},
    "POST /v1/virtual-agent/calls": {"queue_id": "billing", "from_address": "+12125550199"},
    "PUT /v1/contacts/{contact_id}/monitoring": {"mode": "monitor"},
    "PUT /v1/supervisor/softphone": {"contact_uri": "sip:supervisor@127.0.0.1:5999"},
    "POST /v1/contacts/{contact_id}/whispers": {"text": "Offer the credit."},
    "POST /v1/contacts/{contact_id}/supervisor-messages": {"text": "I am the team lead."},
    "POST /v1/contacts/{contact_id}/flags": {"text": "Customer wants a manager."},
    "POST /v1/flags/{flag_id}/lines": {"text": "On my way."},
    "POST /v1/broadcasts": {"text": "Huddle at 3.", "minutes": 5, "queue_id": "billing"},
    "PUT /v1/said-alert-rules": {"words": ["lawyer"]},
    "POST /v1/quality/interactions/{contact_id}/evaluations": {"form_id": "no-such-form", "answers": []},
    "POST /v1/quality/evaluations/{evaluation_id}/dispute": {"reason": "Not my call."},
    "POST /v1/messages": {"channel": "sms", "to": "+15125550100", "body": "Your refund is on its way."},
    "POST /v1/evaluations": {
        "evaluation_id": "ev-matrix",
        "contact_id": "c-999998",
        "agent_id": "agent-001",
        "form_id": "chat-standard",
        "form_name": "Chat standard",
        "evaluator_id": "supervisor",
        "evaluator_name": "Riley Chen",
        "score": 90.5,
        "auto_failed": False,
        "released_at": "2026-03-02T09:30:00Z",
    },
    "PUT /v1/admin/faults": {},
    "PUT /v1/people/{person_id}/presence": {"status": "available"},
    "POST /v1/people/{person_id}/messages": {"text": "Free for a question?"},
}
# The writes that would change the world for the callers after them run last (`end` leaves the contact with its
# agent, in after-contact work).
LAST = ("POST /v1/contacts/{contact_id}/end",)


def endpoints(app: FastAPI) -> list[str]:
    """Every API route of the app as `METHOD path` (routers included lazily are walked: FastAPI ≥ 0.160)."""

    def walk(routes: list[Any], prefix: str = "") -> Iterator[str]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield from (f"{method} {prefix}{route.path}" for method in sorted(route.methods or ()))
            elif hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)

    return list(walk(app.routes))


@dataclass
class World:
    urls: dict[str, str]
    apps: dict[str, FastAPI]
    params: dict[str, str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = MockSettings(
        data_dir=tmp_path_factory.mktemp("access"), seed=7, customers=20, simulator=False, fresh=True
    )
    settings = settings.model_copy(
        update={
            "floor": settings.floor.model_copy(update={"supervisors": [*settings.floor.supervisors, SALES_SUPERVISOR]})
        }
    )
    apps = {"ccaas": create_ccaas(settings), "crm": create_crm(settings), "presence": create_presence(settings)}
    running = serve_in_thread(list(apps.values()))
    urls = dict(zip(apps, running.urls, strict=True))
    apps["ccaas"].state.recipients = CrmRecipients(urls["crm"], DEMO_CRM_TOKEN)  # follow-ups' consent, as `mocks`
    try:
        yield World(urls, apps, _params(urls, settings.data_dir))
    finally:
        running.stop()


def _client(url: str, token: str | None) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"} if token else {}, timeout=5)


def _params(urls: dict[str, str], data_dir: Path) -> dict[str, str]:
    """The path's ids: the demo agent's billing chat (and its offer), one of the CRM's customers, interactions and
    cases, a colleague of the presence service."""
    with _client(urls["ccaas"], DEMO_AGENT_TOKEN) as agent, _client(urls["ccaas"], DEMO_SUPERVISOR_TOKEN) as supervisor:
        contact = contact_in_hand(agent, supervisor, channel="chat", queue_id="billing")
        offer = next(o for o in agent.get("/v1/agents/agent-001/offers").json() or [{"id": "o-000001"}])["id"]
        first_item = agent.get(f"/v1/contacts/{contact['id']}/messages").json()["items"][0]["id"]
        flag = agent.post(f"/v1/contacts/{contact['id']}/flags", json={"text": "Refund over my limit."}).json()["id"]
        evaluation = _evaluation(agent, supervisor)
        follow_up_to = consenting_customer(data_dir / "crm.db").phone  # a customer of the agent's: a call taken
        contact_in_hand(agent, supervisor, channel="chat", queue_id="billing", from_address=follow_up_to)
        message = agent.post(
            "/v1/messages",
            headers={"Idempotency-Key": "matrix-message"},
            json={"channel": "sms", "to": follow_up_to, "body": "Resolved."},
        ).json()["id"]
    with _client(urls["crm"], DEMO_CRM_TOKEN) as desk:
        customer = desk.get("/v1/customers/search", params={"q": "a"}).json()[0]["id"]
        written = desk.post(
            "/v1/interactions",
            headers={"Idempotency-Key": "matrix-1"},
            json={
                "customer_id": customer,
                "contact_id": contact["id"],
                "channel": "chat",
                "agent_id": "agent-001",
                "queue_id": "billing",
                "disposition": "Resolved",
            },
        )
        case = desk.post(
            "/v1/cases", headers={"Idempotency-Key": "matrix-2"}, json={"customer_id": customer, "subject": "Refund"}
        )
    with _client(urls["presence"], DEMO_PRESENCE_TOKEN) as presence:
        person = presence.get("/v1/people").json()[0]["id"]
    return {
        "contact_id": contact["id"],
        "agent_id": "agent-001",
        "offer_id": offer,
        "queue_id": "billing",
        "up_to_item_id": first_item,
        "customer_id": customer,
        "interaction_id": written.json()["id"],
        "case_id": case.json().get("id", "case-000001"),
        "person_id": person,
        "flag_id": flag,
        "form_id": "chat-standard",
        "evaluation_id": evaluation,
        "message_id": message,
        "follow_up_to": follow_up_to,
        "article_id": "kb-00001",
        "chat_id": "va-999999",  # no such chat: 404 once let in
    }


def _evaluation(agent: httpx.Client, supervisor: httpx.Client) -> str:
    """An evaluation of a second billing chat of the demo agent's, finished."""
    done = contact_in_hand(agent, supervisor, channel="chat", queue_id="billing", from_address="+12125550111")
    agent.post(f"/v1/contacts/{done['id']}/end")
    agent.post(f"/v1/contacts/{done['id']}/complete", json={"disposition": "Resolved"})
    form = supervisor.get("/v1/quality/forms/chat-standard").json()
    answers = [{"question_id": q["id"], "answer": 1} for s in form["sections"] for q in s["questions"]]
    body = {"form_id": form["id"], "answers": answers}
    answer: str = supervisor.post(f"/v1/quality/interactions/{done['id']}/evaluations", json=body).json()["id"]
    return answer


@pytest.mark.parametrize("service", list(TABLE))
def test_every_endpoint_of_every_mock_is_in_the_access_table(world: World, service: str) -> None:
    served = set(endpoints(world.apps[service]))
    assert not served - set(TABLE[service]), f"{service}: endpoints with no row in the access table"
    assert not set(TABLE[service]) - served, f"{service}: rows naming no endpoint"


@pytest.mark.parametrize("service", list(TABLE))
def test_each_caller_gets_the_answer_the_table_gives(world: World, service: str) -> None:
    rows = sorted(TABLE[service], key=lambda route: route in LAST)
    wrong = []
    for route in rows:
        for role, expected in TABLE[service][route].items():
            status = _call(world, service, route, TOKENS[role])
            passed = status not in (401, 403) and status < 500 if expected == "ok" else status == expected
            if not passed:
                wrong.append(f"{route} as {role}: {status}, not {expected}")
    assert not wrong, "\n".join(wrong)


def _call(world: World, service: str, route: str, token: str | None) -> int:
    method, template = route.split(" ", 1)
    path = template.format(**world.params)
    body = BODIES.get(route)
    if route == "POST /v1/contacts/{contact_id}/read":
        body = {"up_to_item_id": world.params["up_to_item_id"]}
    if route == "POST /v1/messages":
        body = {**BODIES[route], "to": world.params["follow_up_to"]}
    headers = (
        {"Idempotency-Key": f"matrix-{route}-{token}"}
        if method == "POST" and (service == "crm" or route == "POST /v1/messages")
        else {}
    )
    with (
        _client(world.urls[service], token) as client,
        client.stream(method, path, json=body if method != "GET" else None, headers=headers) as answer,
    ):
        return answer.status_code  # a stream is closed once its status is read


def test_a_supervisors_monitoring_written_to_the_crm_is_not_read_back_with_the_agents_token(world: World) -> None:
    """The agents' desks share one CRM token: a silent monitor's record is the supervisor's."""
    contact = world.params["contact_id"]
    record = {
        "contact_id": contact,
        "supervisor_id": "supervisor",
        "supervisor_name": "Riley Chen",
        "event": "joined",
        "mode": "monitor",
        "at": "2026-03-02T09:30:00Z",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "channel": "chat",
    }
    with (
        _client(world.urls["crm"], DEMO_CRM_SUPERVISOR_TOKEN) as supervisor,
        _client(world.urls["crm"], DEMO_CRM_TOKEN) as desk,
    ):
        assert desk.post("/v1/supervision", json=record, headers={"Idempotency-Key": "sup-desk"}).status_code == 403
        assert supervisor.post("/v1/supervision", json=record, headers={"Idempotency-Key": "sup-1"}).status_code == 201
        interaction = world.params["interaction_id"]
        for client, seen in ((supervisor, 1), (desk, 0)):
            listed = client.get("/v1/interactions", params={"contact_id": contact}).json()
            one = client.get(f"/v1/interactions/{interaction}").json()
            assert [len(i["supervision"]) for i in listed] == [seen]
            assert len(one["supervision"]) == seen


def test_an_evaluation_is_written_to_the_crm_once_and_read_back_by_supervisors_only(world: World) -> None:
    """The released evaluation is kept with the contact's interaction once, a supervisor's record."""
    contact, interaction = world.params["contact_id"], world.params["interaction_id"]
    record = {**BODIES["POST /v1/evaluations"], "evaluation_id": "ev-once", "contact_id": contact}
    with (
        _client(world.urls["crm"], DEMO_CRM_SUPERVISOR_TOKEN) as supervisor,
        _client(world.urls["crm"], DEMO_CRM_TOKEN) as desk,
    ):
        assert desk.post("/v1/evaluations", json=record, headers={"Idempotency-Key": "ev-desk"}).status_code == 403
        first = supervisor.post("/v1/evaluations", json=record, headers={"Idempotency-Key": "evaluation:ev-once"})
        again = supervisor.post("/v1/evaluations", json=record, headers={"Idempotency-Key": "evaluation:ev-once"})
        assert (first.status_code, again.status_code, again.headers.get("Idempotent-Replayed")) == (201, 201, "true")
        other_key = supervisor.post("/v1/evaluations", json=record, headers={"Idempotency-Key": "another"})
        assert other_key.status_code == 409
        for client, seen in ((supervisor, ["ev-once"]), (desk, [])):
            one = client.get(f"/v1/interactions/{interaction}").json()
            listed = client.get("/v1/interactions", params={"contact_id": contact}).json()
            assert [e["evaluation_id"] for e in one["evaluations"]] == seen
            assert [[e["evaluation_id"] for e in i["evaluations"]] for i in listed] == [seen]
