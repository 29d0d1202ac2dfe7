"""The Zendesk contract both ways, and the CRM scenarios through the Zendesk backend.

The backend (agent_desktop/adapters/zendesk/crm.py) talks to the Zendesk-shaped mock on loopback through a
transport that validates every request and answer against docs/vendors/zendesk-support.openapi.yaml; the
mock itself is fuzzed by schemathesis with the same fragment as its schema, so neither side can drift from
what Zendesk's reference says without a test failing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import CaseCreate, Channel, InteractionCreate, NewCustomer, TranscriptLine
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import SPEC_PATH, ContractTransport, ContractViolation, undeclared_keys

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _zendesk_mock(tmp_path: Path, **options: Any) -> RunningServers:
    mock = MockSettings(data_dir=tmp_path / "zendesk", seed=7, customers=40, simulator=False, fresh=True)
    return serve_in_thread([create_app(mock, ZendeskMockSettings(**options))])


@pytest.fixture
def zendesk_url(tmp_path: Path) -> Iterator[str]:
    running = _zendesk_mock(tmp_path)
    yield running.urls[0]
    running.stop()


def _backend(url: str, **options: Any) -> tuple[ZendeskCrm, ContractTransport]:
    transport = ContractTransport()
    return ZendeskCrm(url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=transport, **options), transport


def _wrap_up(customer_id: str | None, contact_id: str = "c-000042") -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id=contact_id,
        channel=Channel.CHAT,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=AT,
        ended_at=AT,
        disposition="Refund issued",
        summary="Duplicate charge refunded",
        notes="Refunded the duplicate charge.",
        transcript=[TranscriptLine(role="customer", name="Billy", text="Charged twice", at=AT)],
        private_notes=["checked the ledger"],
    )


async def _a_caller(crm: ZendeskCrm) -> tuple[str, str]:
    """A seeded customer with a phone and an email, found through the search API (user 3's phone)."""
    user = (await crm._get("/api/v2/users/3"))["user"]
    return user["phone"], user["email"]


async def test_screen_pop_by_phone_in_two_written_forms_and_by_email(zendesk_url: str) -> None:
    crm, transport = _backend(zendesk_url)
    phone, email = await _a_caller(crm)
    national = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"  # +14155550100 -> (415) 555-0100
    dotted = f"+1 {phone[2:5]}.{phone[5:8]}.{phone[8:]}"
    by_national, by_dotted, by_email = (
        await crm.lookup(national),
        await crm.lookup(dotted),
        await crm.lookup(email.upper()),
    )
    assert [c.id for c in by_national.customers] == [c.id for c in by_dotted.customers] == ["3"]
    assert by_national.matched_on == "phone"
    assert by_email.matched_on == "email"
    assert [c.id for c in by_email.customers] == ["3"]
    record = by_national.record
    assert record is not None
    assert record.customer.phones == [phone]
    assert record.orders == []
    assert record.account is None  # Zendesk has neither
    assert ("GET", "/api/v2/search", 200) in transport.exchanges
    await crm.aclose()


async def test_a_new_caller_is_not_found_then_created_once(zendesk_url: str) -> None:
    crm, _ = _backend(zendesk_url)
    assert (await crm.lookup("+44 20 7946 0999")).customers == []
    assert (await crm.lookup("nobody@example.org")).customers == []
    new = NewCustomer(name="Ada Newcaller", phones=["+44 20 7946 0999"], emails=["ada@example.org"])
    first = await crm.create_customer(new, "new-1")
    again = await crm.create_customer(new, "new-1")  # create_or_update matches the email: no second user
    assert first.id == again.id
    found = await crm.lookup("+44 (0)20 7946 0999")
    assert [c.id for c in found.customers] == [first.id]
    await crm.aclose()


async def test_a_case_is_a_ticket_created_once_per_key(zendesk_url: str) -> None:
    crm, transport = _backend(zendesk_url)
    case = CaseCreate(customer_id="3", subject="Router keeps dropping", priority="high", contact_id="c-7")
    first = await crm.create_case(case, "case-key-1")
    again = await crm.create_case(case, "case-key-1")
    assert first.id == again.id
    assert first.contact_ids == ["c-7"]
    assert first.priority == "high"
    linked = await crm.link_case(first.id, "c-8", "link-1")
    assert linked.contact_ids == ["c-7", "c-8"]
    record = await crm.customer_record("3")
    assert [c.id for c in record.cases].count(first.id) == 1
    assert [status for method, path, status in transport.exchanges if method == "POST"] == [201, 201]
    await crm.aclose()


async def test_the_wrap_up_is_written_once_across_a_retry(zendesk_url: str) -> None:
    crm, _ = _backend(zendesk_url)
    case = await crm.create_case(CaseCreate(customer_id="3", subject="Billing", contact_id="c-000042"), "case-2")
    first = await crm.log_interaction(_wrap_up("3"), "wrap-key-1")
    retried = await crm.log_interaction(_wrap_up("3"), "wrap-key-1")  # the answer was lost: the outbox sends again
    assert first.id == retried.id == f"{case.id}:wrap-key-1"
    # read as Zendesk sent them (the backend's own reading keeps only the fields the desk reads: not `public`)
    comments = (await crm._client.get(f"/api/v2/tickets/{case.id}/comments")).json()["comments"]
    assert sum("wrap-key-1" in comment["body"] for comment in comments) == 1
    assert all(comment["public"] is False for comment in comments)
    history = await crm.list_interactions("3")
    assert [item.disposition for item in history if item.id == first.id] == ["Refund issued"]
    assert (await crm.interaction(first.id)).summary == "Duplicate charge refunded"
    await crm.aclose()


class CommentsListedWithout(httpx.AsyncBaseTransport):
    """Once armed, answers a ticket's comments without their list (`{"count": 0}`) or without their bodies (null):
    what a proxy's or a half-served page could hand over."""

    def __init__(self, missing: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.missing = missing
        self.armed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.armed and request.method == "GET" and request.url.path.endswith("/comments"):
            page = json.loads(await response.aread())
            if self.missing == "list":
                return httpx.Response(200, json={"count": 0}, request=request)
            return httpx.Response(
                200, json={**page, "comments": [{**c, "body": None} for c in page["comments"]]}, request=request
            )
        return response


@pytest.mark.parametrize("missing", ["list", "bodies"])
async def test_a_retry_whose_key_scan_is_answered_without_comments_writes_nothing_twice(
    zendesk_url: str, missing: str
) -> None:
    """Before a retried wrap-up comments again it looks for its key among the ticket's comments: an answer without
    them (or their words) says nothing of the key, so the retry waits for a readable one, not write a second."""
    transport = CommentsListedWithout(missing)
    crm = ZendeskCrm(zendesk_url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=transport)
    case = await crm.create_case(CaseCreate(customer_id="3", subject="Billing", contact_id="c-000042"), "case-3")
    await crm.log_interaction(_wrap_up("3"), "wrap-key-9")
    transport.armed = True  # the answer was lost; the retry's look for its key is answered without the list
    with pytest.raises(BackendError) as refused:
        await crm.log_interaction(_wrap_up("3"), "wrap-key-9")
    assert refused.value.retryable, refused.value
    transport.armed = False
    await crm.log_interaction(_wrap_up("3"), "wrap-key-9")  # the outbox's next try
    comments = (await crm._client.get(f"/api/v2/tickets/{case.id}/comments")).json()["comments"]
    assert sum("wrap-key-9" in comment["body"] for comment in comments) == 1
    await crm.aclose()


async def test_a_wrap_up_without_a_ticket_opens_one_once_with_the_key(zendesk_url: str) -> None:
    crm, transport = _backend(zendesk_url)
    first = await crm.log_interaction(_wrap_up("5", "c-99"), "wrap-key-2")
    again = await crm.log_interaction(_wrap_up("5", "c-99"), "wrap-key-2")
    assert first.id.split(":")[0] == again.id.split(":")[0]
    tickets = (await crm._get("/api/v2/users/5/tickets/requested"))["tickets"]
    assert sum("contact-c-99" in ticket["tags"] for ticket in tickets) == 1
    await crm.aclose()


async def test_a_wrap_up_with_no_customer_is_written_once(zendesk_url: str) -> None:
    crm, _ = _backend(zendesk_url)
    first = await crm.log_interaction(_wrap_up(None, "c-5"), "anon-1")
    again = await crm.log_interaction(_wrap_up(None, "c-5"), "anon-1")
    assert first.id == again.id
    await crm.aclose()


async def test_429_is_waited_out_then_succeeds(tmp_path: Path) -> None:
    running = _zendesk_mock(tmp_path, rate_limit=2, rate_window_s=1.0)
    try:
        crm, transport = _backend(running.urls[0], rate_limit_wait_s=2.0)
        for _ in range(3):  # the third is over the limit: 429, Retry-After 1, then answered
            await crm.search_customers("Smith")
        assert [status for _, _, status in transport.exchanges].count(429) >= 1
        assert transport.exchanges[-1][2] == 200
        await crm.aclose()
        impatient, _ = _backend(running.urls[0], rate_limit_wait_s=0.0)
        with pytest.raises(BackendError) as refused:  # noqa: PT012  one of the five meets the limit
            for _ in range(5):
                await impatient.search_customers("Smith")
        assert refused.value.status == 429
        assert refused.value.retryable  # the outbox sends it again later
        await impatient.aclose()
    finally:
        running.stop()


async def test_wrong_credentials_and_an_unknown_record_are_refused_in_zendesks_words(zendesk_url: str) -> None:
    crm = ZendeskCrm(zendesk_url, DEMO_ZENDESK_EMAIL, "wrong", transport=ContractTransport())
    with pytest.raises(BackendError) as refused:
        await crm.check_access()
    assert refused.value.status == 401
    good, _ = _backend(zendesk_url)
    with pytest.raises(BackendError) as missing:
        await good.customer_record("999999")
    assert missing.value.status == 404
    assert "RecordNotFound" in missing.value.message
    await crm.aclose()
    await good.aclose()


async def test_the_checker_refuses_what_breaks_the_contract(zendesk_url: str) -> None:
    """The wrapper is not a rubber stamp: a wrong path, a wrong type, an undeclared key each fail."""
    async with httpx.AsyncClient(
        base_url=zendesk_url, transport=ContractTransport(), auth=(f"{DEMO_ZENDESK_EMAIL}/token", DEMO_ZENDESK_TOKEN)
    ) as client:
        with pytest.raises(ContractViolation):
            await client.get("/api/v2/users/3/tickets")  # no such operation
        with pytest.raises(ContractViolation):
            await client.post("/api/v2/tickets", json={"ticket": {"comment": {"body": "x"}, "requester_id": "three"}})
        with pytest.raises(ContractViolation):
            await client.put("/api/v2/tickets/1", json={"ticket": {"comment": {"body": "x", "privat": True}}})
    assert undeclared_keys({"$ref": "#/components/schemas/TicketUpdate"}, {"status": "open", "tag": ["a"]}) == [
        "body.tag"
    ]


# --- the mock against the same fragment -------------------------------------------------------------

_AUTH = "Basic " + base64.b64encode(f"{DEMO_ZENDESK_EMAIL}/token:{DEMO_ZENDESK_TOKEN}".encode()).decode()


@pytest.fixture(scope="module")
def zendesk_fragment(tmp_path_factory: pytest.TempPathFactory) -> OpenApiSchema:
    """The fragment, served by the mock: built by the worker that runs the test, not at collection."""
    loaded = schemathesis.openapi.from_path(str(SPEC_PATH))
    loaded.app = create_app(
        MockSettings(
            data_dir=tmp_path_factory.mktemp("zendesk-schema"), seed=5, customers=30, simulator=False, fresh=True
        )
    )
    return loaded


mock_schema = schemathesis.pytest.from_fixture("zendesk_fragment")


@mock_schema.parametrize()
# derandomize: the same examples every run (one run failed once on POST /tickets and could not be reproduced;
# a fuzzing failure must be replayable, not a coin toss in CI)
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_zendesk_mock_answers_as_the_fragment_says(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(
        headers={"Authorization": _AUTH},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
