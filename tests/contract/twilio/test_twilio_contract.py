"""Twilio's contract both ways, and the event path's signatures and resume.

The Twilio backend (agent_desktop/adapters/twilio/contact_center.py) talks to the Twilio-shaped mock on loopback through a
transport that validates every TaskRouter request and answer against Twilio's own spec (installed from npm at
the pinned version, tests/contract/twilio_contract.py); the checker is shown to refuse what breaks the
contract; the mock's signatures and the relay's check agree with the `twilio` library's RequestValidator.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from fastapi import FastAPI
from openapi_core import OpenAPI
from schemathesis.core.result import Ok
from twilio.request_validator import RequestValidator

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState, ContactState, Offer, OfferEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.twilio.http.signing import signature as mock_signature
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_AUTH_TOKEN,
    DEMO_WORKER_SID,
    DEMO_WORKSPACE_SID,
)
from agent_desktop_relay.signature import check
from scripts import twilio_spec
from tests.contract.twilio_contract import ContractViolation, TwilioContractTransport, undeclared
from tests.support.narrowing import of_kind
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.twilio import TwilioFloor, relay_token, twilio_floor
from tests.support.scratch import scratch_folder

CALLER = "(512) 555-0100"
WS = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}"


def _settings(tmp_path: Path, **options: object) -> MockSettings:
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True, **options)


async def _place_call(floor: TwilioFloor, subject: str | None = None) -> None:
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {
            "queue_id": "billing",
            "channel": "voice",
            "from_address": CALLER,
            **({"subject": subject} if subject else {}),
        }
        (await sup.post("/v1/contacts", json=body)).raise_for_status()


async def _until(predicate: Callable[[], Awaitable[list[Offer]]], within_s: float = 5.0) -> list[Offer]:
    for _ in range(int(within_s / 0.05)):
        if value := await predicate():
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("not within the time")


def test_the_spec_is_the_pinned_one_installed_outside_the_repository(twilio_taskrouter: OpenAPI) -> None:
    folder = twilio_spec.ensure_spec()
    repository = Path(__file__).resolve().parents[3]
    assert not folder.resolve().is_relative_to(repository), "the spec is never copied into the repository"
    tarball = folder / twilio_spec.TARBALL
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert digest == twilio_spec.SHA512
    # the pinned specs are there (the cache is shared by every checkout on the machine: it may hold more)
    assert set(twilio_spec.SPECS) <= {p.name for p in folder.glob("*.yaml")}
    assert twilio_taskrouter.spec["info"]["title"].startswith("Twilio - Taskrouter")
    # the tests read each spec's JSON twin: the same document as its YAML
    for name in twilio_spec.SPECS:
        spec = folder / name
        as_yaml = yaml.load(spec.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        assert json.loads(twilio_spec.json_twin(spec).read_text(encoding="utf-8")) == as_yaml, name


async def test_a_shift_through_the_twilio_backend_keeps_to_the_contract(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        assert backend.agent_id == DEMO_WORKER_SID, "the demo's Worker SID, as the docs give it"
        transport = floor.transports[-1]
        catalog = await backend.state_catalog()
        assert [(o.label, o.kind) for o in catalog][:3] == [
            ("Available", "available"),
            ("Offline", "offline"),
            ("Break", "not_ready"),
        ]
        assert "Missed" not in [o.label for o in catalog], "TaskRouter's timeout Activity is not a choice"
        assert (await backend.set_state(AgentState.NOT_READY, "Lunch")).reason == "Lunch"
        assert (await backend.set_state(AgentState.AVAILABLE)).state == AgentState.AVAILABLE
        queues = await backend.list_queues()
        assert [q.name for q in queues] == ["Billing", "Technical support", "Sales"]
        assert "Refund issued" in queues[0].dispositions
        assert {c.name for c in await backend.list_colleagues()} >= {"Alex Morgan"}
        await _place_call(floor, "Charged twice")
        (offer,) = await _until(backend.list_offers)
        contact = await backend.accept_offer(offer.id)
        await backend.end_contact(contact.id)
        done = await backend.complete_contact(contact.id, "Refund issued")
        assert (done.state, done.disposition) == (ContactState.COMPLETED, "Refund issued")
        await backend.aclose()
    operations = {
        (method, path.replace(DEMO_WORKSPACE_SID, "{ws}").split("/")[4]) for method, path, _ in transport.exchanges
    }
    assert operations >= {
        ("GET", "Activities"),
        ("POST", "Workers"),
        ("GET", "Workers"),
        ("GET", "TaskQueues"),
        ("GET", "Tasks"),
        ("POST", "Tasks"),
        ("GET", "Workflows"),
    }
    assert any(method == "POST" and "/Reservations/" in path for method, path, _ in transport.exchanges)


async def test_the_disposition_is_kept_in_the_task_attributes_where_flex_insights_reads_it(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        await backend.set_state(AgentState.AVAILABLE)
        await _place_call(floor)
        (offer,) = await _until(backend.list_offers)
        contact = await backend.accept_offer(offer.id)
        await backend.complete_contact(contact.id, "Escalated")  # straight from assigned: TaskRouter allows it
        task, _ = await backend._task(contact.id)
        assert json.loads(task["attributes"])["conversations"] == {"outcome": "Escalated"}
        assert (task["assignment_status"], task["reason"]) == ("completed", "Escalated")
        await backend.aclose()


class _Interfering(httpx.AsyncBaseTransport):
    """Before the first task update goes through, another writer changes the task (its ETag moves on)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.done = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "/Tasks/" in request.url.path and not self.done:
            self.done = True
            other = httpx.Request(
                "POST",
                request.url,
                data={"Attributes": json.dumps({"from": CALLER, "note": "x"})},
                headers={"Authorization": request.headers["Authorization"]},
            )
            await (await self.inner.handle_async_request(other)).aread()
        return await self.inner.handle_async_request(request)


async def test_a_task_changed_between_read_and_write_is_read_again_not_overwritten(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        transport = TwilioContractTransport(_Interfering())
        from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

        backend = TwilioContactCenter(floor.config("agent-001"), transport=transport)
        await backend.set_state(AgentState.AVAILABLE)
        await _place_call(floor)
        (offer,) = await _until(backend.list_offers)
        contact = await backend.accept_offer(offer.id)
        ended = await backend.end_contact(contact.id)
        assert ended.state == ContactState.AFTER_CONTACT_WORK
        assert [s for m, p, s in transport.exchanges if m == "POST" and "/Tasks/" in p] == [412, 200]
        await backend.aclose()


class _RateLimited(httpx.AsyncBaseTransport):
    """Twilio's 429 (no Retry-After) for the first `times` requests."""

    def __init__(self, times: int) -> None:
        self.inner, self.left = httpx.AsyncHTTPTransport(), times

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.left > 0:
            self.left -= 1
            return httpx.Response(
                429,
                json={
                    "code": 20429,
                    "message": "Too Many Requests",
                    "more_info": "https://www.twilio.com/docs/errors/20429",
                    "status": 429,
                },
            )
        return await self.inner.handle_async_request(request)


async def test_429_is_retried_with_backoff_then_given_up(tmp_path: Path, twilio_taskrouter: OpenAPI) -> None:
    from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

    async with twilio_floor(_settings(tmp_path)) as floor:
        patient = TwilioContractTransport(_RateLimited(2))
        backend = TwilioContactCenter(floor.config("agent-001", rate_limit_wait_s=5.0), transport=patient)
        assert (await backend.get_agent()).name == "Alex Morgan"
        assert [s for _, _, s in patient.exchanges].count(429) == 2
        impatient = TwilioContactCenter(
            floor.config("agent-001", rate_limit_wait_s=0.0), transport=TwilioContractTransport(_RateLimited(5))
        )
        with pytest.raises(BackendError) as refused:
            await impatient.state_catalog()
        assert refused.value.status == 429
        assert refused.value.retryable
        await backend.aclose()
        await impatient.aclose()


async def test_refusals_come_in_twilios_shape_and_the_desks_words(tmp_path: Path, twilio_taskrouter: OpenAPI) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        with pytest.raises(BackendError) as missing:
            await backend.accept_offer("WR" + "f" * 32)
        assert missing.value.status == 404
        assert "20404" in missing.value.message
        with pytest.raises(BackendError) as system_state:
            await backend.set_state(AgentState.BUSY)
        assert system_state.value.status == 422
        from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter

        wrong = TwilioContactCenter(
            floor.config("agent-001").model_copy(update={"api_key_secret": "wrong"}),
            transport=TwilioContractTransport(),
        )
        with pytest.raises(BackendError) as refused:
            await wrong.check_access()
        assert refused.value.status == 401
        assert "Authenticate" in refused.value.message
        await backend.aclose()
        await wrong.aclose()


async def test_the_checker_refuses_what_breaks_the_contract(tmp_path: Path, twilio_taskrouter: OpenAPI) -> None:
    """Not a rubber stamp: a status the enum lacks, a wrong path, a misspelt parameter name, a malformed SID,
    no credentials, and answers missing a required field or with a status the enum lacks each fail."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        worker = floor.worker_sid("agent-001")
        reservation = f"{WS}/Workers/{worker}/Reservations/WR{1:032x}"
        async with httpx.AsyncClient(
            base_url=floor.twilio_url, transport=TwilioContractTransport(), auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET)
        ) as client:
            with pytest.raises(ContractViolation, match="not one of"):
                await client.post(reservation, data={"ReservationStatus": "taken"})
            with pytest.raises(ContractViolation):
                await client.get(f"{WS}/Worker/{worker}")  # no such path
            with pytest.raises(ContractViolation, match="body.ReservationStatuss"):
                await client.post(reservation, data={"ReservationStatuss": "accepted"})
            with pytest.raises(ContractViolation, match="query.Status"):
                await client.get(f"{WS}/Workers/{worker}/Reservations", params={"Status": "pending"})
            with pytest.raises(ContractViolation):
                await client.get(f"{WS}/Workers/WK123")
        async with httpx.AsyncClient(base_url=floor.twilio_url, transport=TwilioContractTransport()) as anonymous:
            with pytest.raises(ContractViolation):
                await anonymous.get(f"{WS}/Activities")  # basic auth is required

    def answering(body: dict[str, Any]) -> TwilioContractTransport:
        return TwilioContractTransport(
            httpx.MockTransport(
                lambda request: httpx.Response(404 if "code" in body or "message" in body else 200, json=body)
            )
        )

    async with httpx.AsyncClient(
        base_url="http://twilio.test", auth=("a", "b"), transport=answering({"message": "gone"})
    ) as client:
        with pytest.raises(ContractViolation, match="answer"):
            await client.get(f"{WS}/Tasks/WT{1:032x}")  # an error without Twilio's code, more_info, status
    async with httpx.AsyncClient(
        base_url="http://twilio.test",
        auth=("a", "b"),
        transport=answering({"sid": f"WR{1:032x}", "reservation_status": "taken"}),
    ) as client:
        with pytest.raises(ContractViolation, match="answer"):
            await client.get(f"{WS}/Workers/WK{'a' * 32}/Reservations/WR{1:032x}")
    assert undeclared("POST", f"{WS}/Tasks/WT{1:032x}", {}, {"AssignmentStatus": "completed", "Disposition": "x"}) == [
        "body.Disposition"
    ]


def test_the_mocks_signatures_and_the_relays_check_agree_with_twilios_library() -> None:
    url = "https://relay.example.com/twilio/events"
    params = {"EventType": "reservation.created", "ResourceSid": f"WR{1:032x}", "TaskAttributes": '{"from": "+1 512"}'}
    reference = RequestValidator(DEMO_AUTH_TOKEN)
    signed = mock_signature(DEMO_AUTH_TOKEN, url, params)
    assert signed == reference.compute_signature(url, params)
    body = urlencode(params).encode()

    def valid(token: str, form: dict[str, str], signature: str | None) -> bool:
        return check(url, urlencode(form).encode(), False, signature, None, token, {}) is None

    assert valid(DEMO_AUTH_TOKEN, params, signed)
    assert reference.validate(url, params, signed)
    assert body
    assert not valid(DEMO_AUTH_TOKEN, params | {"EventType": "reservation.accepted"}, signed)
    assert not valid("another-token", params, signed)
    assert not valid(DEMO_AUTH_TOKEN, params, None)


async def test_the_relay_refuses_an_unsigned_callback_and_resumes_a_reader_after_its_last_event(tmp_path: Path) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        worker = floor.worker_sid("agent-001")
        url = f"{floor.relay_url}/twilio/events"
        async with httpx.AsyncClient(timeout=5) as client:
            forged = {"EventType": "worker.activity.update", "WorkerSid": worker, "ResourceSid": worker}
            assert (await client.post(url, data=forged, headers={"X-Twilio-Signature": "bm9wZQ=="})).status_code == 403
            assert (await client.post(url, data=forged)).status_code == 403
            for n in range(3):
                params = forged | {"Sid": f"EV{n:032x}"}
                answer = await client.post(
                    url, data=params, headers={"X-Twilio-Signature": mock_signature(DEMO_AUTH_TOKEN, url, params)}
                )
                assert answer.status_code == 204
            kept = await floor.relay_app.state.store.after(worker, None)
            assert [json.loads(k.data)["Sid"] for k in kept] == [f"EV{n:032x}" for n in range(3)]
            headers = {"Authorization": f"Bearer {relay_token(worker)}", "Last-Event-ID": str(kept[0].id)}
            seen: list[str] = []
            async with client.stream("GET", f"{floor.relay_url}/v1/Workers/{worker}/Events", headers=headers) as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("id: "):
                        seen.append(line[4:])
                    if len(seen) == 2:
                        break
            assert seen == [str(k.id) for k in kept[1:]]
            # Without Last-Event-ID a reader starts from now (it reads the present from the REST API): a desk
            # that restarts is not handed the worker's old events to chew through before a new offer.
            headers = {"Authorization": f"Bearer {relay_token(worker)}"}
            async with client.stream("GET", f"{floor.relay_url}/v1/Workers/{worker}/Events", headers=headers) as stream:
                lines = stream.aiter_lines()
                assert await anext(lines) == ": connected"
                params = forged | {"Sid": f"EV{3:032x}"}
                answer = await client.post(
                    url, data=params, headers={"X-Twilio-Signature": mock_signature(DEMO_AUTH_TOKEN, url, params)}
                )
                assert answer.status_code == 204
                first = await asyncio.wait_for(anext(line async for line in lines if line.startswith("data: ")), 5)
                assert json.loads(first[6:])["Sid"] == f"EV{3:032x}"
            refused = await client.get(
                f"{floor.relay_url}/v1/Workers/{worker}/Events", headers={"Authorization": "Bearer wrong"}
            )
            assert refused.status_code == 403
            assert (await client.get(f"{floor.relay_url}/v1/Workers/{worker}/Events")).status_code == 401


async def test_an_offer_reaches_the_desk_through_signed_callbacks_and_the_relay(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        async with tapped(backend.events()) as events:
            await backend.set_state(AgentState.AVAILABLE)
            await _place_call(floor, "Router down")
            pushed = await events.next(
                lambda e: isinstance(e, OfferEvent) and e.event_id is not None, asyncio.sleep, 5.0, "OfferEvent"
            )
            offer = pushed.offer
            assert (offer.contact.subject, offer.contact.from_address, offer.agent_id) == (
                "Router down",
                CALLER,
                backend.agent_id,
            )
        assert floor.twilio_app.state.callbacks.sent >= 2
        assert floor.relay_app.state.received >= 2
        await backend.aclose()


# --- the mock against Twilio's own spec ------------------------------------------------------------------


def _schema_app() -> FastAPI:
    """The Twilio-shaped mock over a fresh CCaaS app, with one offer pending and one task wrapping: fuzzed
    paths hit real SIDs sometimes (hypothesis takes them from the spec's examples and from these)."""

    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.twilio.app import create_app as create_twilio

    ccaas = create_ccaas(
        MockSettings(data_dir=scratch_folder("twilio-schema-"), seed=5, customers=20, simulator=False, fresh=True)
    )
    from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState as MockAgentState
    from agent_desktop_mocks.ccaas.core.wire.schemas import Channel as MockChannel

    engine = ccaas.state.engine
    engine.agents.set_agent_state("agent-001", MockAgentState.AVAILABLE)
    engine.arrivals.create_contact("billing", MockChannel.VOICE, CALLER)
    return create_twilio(ccaas)


SERVED = [
    "ListActivity",
    "FetchActivity",
    "ListWorker",
    "FetchWorker",
    "UpdateWorker",
    "ListWorkerReservation",
    "FetchWorkerReservation",
    "UpdateWorkerReservation",
    "FetchTask",
    "UpdateTask",
    "ListTaskQueue",
    "FetchTaskQueue",
    "FetchWorkflow",
    "ListTask",
    "FetchTaskQueueRealTimeStatistics",
    "FetchTaskQueueCumulativeStatistics",
    "FetchWorkersRealTimeStatistics",
    "ListTaskReservation",
    "ListWorkerChannel",
    "ListTaskQueuesStatistics",
    "ListEvent",
]


def test_the_twilio_mock_answers_as_twilios_spec_says(twilio_taskrouter: OpenAPI) -> None:
    """schemathesis with Twilio's TaskRouter spec (the operations the mock serves) finds no answer that breaks it."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    from tests.contract.twilio_contract import taskrouter_spec

    schema = schemathesis.openapi.from_dict(taskrouter_spec()).include(operation_id=SERVED)
    schema.app = app = _schema_app()
    worker = app.state.twilio.sids.of("WK", "agent-001")
    real = {
        "WorkspaceSid": DEMO_WORKSPACE_SID,
        "WorkerSid": worker,
        "TaskQueueSid": app.state.twilio.sids.of("WQ", "billing"),
        "TaskSid": f"WT{1:032x}",
    }
    own_sid = {
        "FetchWorker": worker,
        "UpdateWorker": worker,
        "FetchWorkflow": app.state.twilio.settings.workflow_sid,
        "FetchActivity": app.state.twilio.activities[0].sid,
        "FetchWorkerReservation": f"WR{1:032x}",
        "FetchTask": f"WT{1:032x}",
        "UpdateTask": f"WT{1:032x}",
    }
    auth = {"Authorization": "Basic " + base64.b64encode(f"{DEMO_API_KEY_SID}:{DEMO_API_KEY_SECRET}".encode()).decode()}
    for result in schema.get_all_operations():
        operation = of_kind(result, Ok).ok()
        operation_id = operation.definition.raw.get("operationId")
        strategy = operation.as_strategy()

        @given(case=strategy)
        @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            # Random SIDs name nothing (404): the workspace, the worker and, for reads, the resource are real ones.
            parameters = case.path_parameters or {}
            parameters.update({k: v for k, v in real.items() if k in parameters})
            if operation_id in own_sid and "Sid" in parameters:  # noqa: B023 (the loop's own, called at once)
                parameters["Sid"] = own_sid[operation_id]  # noqa: B023
            case.call_and_validate(
                headers=auth,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        check()


def test_the_twilio_mocks_conference_participants_answer_as_twilios_rest_spec_says(twilio_taskrouter: OpenAPI) -> None:
    """schemathesis with the REST API's spec (2010-04-01, the conference and participant operations the mock
    serves, for hold and hang-up) finds no answer that breaks it; a call bridged by the conference instruction
    gives a real conference and customer leg."""
    from agent_desktop_mocks.ccaas.core.wire.schemas import OfferState as MockOfferState
    from agent_desktop_mocks.twilio.voice import ACCOUNT_NUMBER
    from tests.contract.twilio_contract import api_spec

    app = _schema_app()
    engine, twilio = app.state.twilio.engine, app.state.twilio
    (offer,) = [o for o in engine.read.pending_offers("agent-001") if o.state == MockOfferState.PENDING]
    contact = engine.contacts.accept(offer.id)
    bridge = twilio.voice.bridge(
        contact,
        twilio.sids.of("WT", contact.id),
        "client:agent-001",
        ACCOUNT_NUMBER,
        worker_ends_it=False,
        customer_ends_it=True,
        now=engine.read.now(),
    )
    conference = twilio.sids.of("CF", bridge.key)
    real = {
        "AccountSid": DEMO_ACCOUNT_SID,
        "ConferenceSid": conference,
        "CallSid": twilio.sids.of("CA", f"customer:{contact.id}"),
        "FetchConference": conference,
    }
    operations = ["ListConference", "FetchConference", "FetchParticipant", "UpdateParticipant"]
    _fuzz(api_spec(), operations, app, real, examples=12)


def _fuzz(
    spec: dict[str, Any], operation_ids: list[str], app: FastAPI, real: dict[str, str], examples: int = 10
) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    schema = schemathesis.openapi.from_dict(spec).include(operation_id=operation_ids)
    schema.app = app
    auth = {"Authorization": "Basic " + base64.b64encode(f"{DEMO_API_KEY_SID}:{DEMO_API_KEY_SECRET}".encode()).decode()}
    operations = [of_kind(result, Ok).ok() for result in schema.get_all_operations()]
    assert sorted(o.definition.raw["operationId"] for o in operations) == sorted(operation_ids)
    for operation in operations:
        sid = real.get(operation.definition.raw["operationId"])

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            parameters = case.path_parameters or {}
            parameters.update({k: v for k, v in real.items() if k in parameters})
            if sid is not None and "Sid" in parameters:  # noqa: B023 (the loop's own, called at once)
                parameters["Sid"] = sid  # noqa: B023
            case.call_and_validate(
                headers=auth,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )

        check()


def _chat_in_hand() -> tuple[FastAPI, Contact]:
    """The schema app with a chat accepted by agent-001 (its conversation, messages and participants real)."""
    from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState as MockAgentState
    from agent_desktop_mocks.ccaas.core.wire.schemas import Channel as MockChannel
    from agent_desktop_mocks.ccaas.core.wire.schemas import OfferState as MockOfferState

    app = _schema_app()
    engine = app.state.twilio.engine
    for offer in [o for o in engine.read.pending_offers("agent-001") if o.state == MockOfferState.PENDING]:
        engine.offers.reject(offer.id)
    engine.agents.set_agent_state("agent-001", MockAgentState.AVAILABLE)
    engine.arrivals.create_contact("billing", MockChannel.CHAT, "billy.smith3@example.com")
    (offer,) = [o for o in engine.read.pending_offers("agent-001") if o.state == MockOfferState.PENDING]
    return app, engine.contacts.accept(offer.id)


def test_the_twilio_mocks_flex_invites_and_participants_answer_as_flex_spec_says(twilio_taskrouter: OpenAPI) -> None:
    """schemathesis with Flex's spec (Interactions channel Invites and Participants, the transfer) finds no
    answer that breaks it; the interaction, its channel and the agent's participant are real SIDs."""
    from tests.contract.twilio_contract import flex_spec

    app, contact = _chat_in_hand()
    sids = app.state.twilio.sids
    real = {
        "InteractionSid": sids.of("KD", contact.id),
        "ChannelSid": sids.of("UO", contact.id),
        "UpdateInteractionChannelParticipant": sids.of(
            "UT", f"agent:agent-001:{app.state.twilio.task_sid(contact.id)}"
        ),
    }
    _fuzz(
        flex_spec(),
        ["CreateInteractionChannelInvite", "ListInteractionChannelParticipant", "UpdateInteractionChannelParticipant"],
        app,
        real,
    )


def test_the_twilio_mocks_conversations_answer_as_conversations_spec_says(twilio_taskrouter: OpenAPI) -> None:
    """schemathesis with Conversations' spec (the conversation, its messages and participants, the chat) finds
    no answer that breaks it; the conversation and the agent's participant are real SIDs."""
    from tests.contract.twilio_contract import conversations_spec

    app, contact = _chat_in_hand()
    sids = app.state.twilio.sids
    conversation = sids.of("CH", contact.id)
    first = app.state.twilio.conversations.store.page(contact.id, None, 1)[0][0]
    real = {
        "ConversationSid": conversation,
        "FetchConversation": conversation,
        "UpdateConversationParticipant": sids.of("MB", f"agent-001:{contact.id}"),
        "FetchConversationMessage": sids.of("IM", first.id),
    }
    _fuzz(
        conversations_spec(),
        [
            "FetchConversation",
            "ListConversationMessage",
            "CreateConversationMessage",
            "FetchConversationMessage",
            "ListConversationParticipant",
            "UpdateConversationParticipant",
        ],
        app,
        real,
    )


async def test_the_checker_refuses_transfer_and_chat_calls_that_break_the_contract(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    """The transfer's and the chat's calls too: a participant status Flex's enum lacks, an invite without its
    required `Routing`, a wrong path, a misspelt read-horizon parameter, a message order the enum lacks."""
    interaction, channel = f"KD{'1' * 32}", f"UO{'2' * 32}"
    flex = f"/v1/Interactions/{interaction}/Channels/{channel}"
    conversation = f"/v1/Conversations/CH{'3' * 32}"
    async with (
        twilio_floor(_settings(tmp_path)) as floor,
        httpx.AsyncClient(
            base_url=floor.twilio_url, transport=TwilioContractTransport(), auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET)
        ) as client,
    ):
        with pytest.raises(ContractViolation, match="not one of"):
            await client.post(f"{flex}/Participants/UT{'4' * 32}", data={"Status": "gone"})
        with pytest.raises(ContractViolation, match="Routing"):
            await client.post(f"{flex}/Invites", data={"Routin": "{}"})
        with pytest.raises(ContractViolation, match="requires: \\['body.Routing'\\]"):
            await client.post(f"{flex}/Invites")  # an empty body: openapi-core alone lets it through
        with pytest.raises(ContractViolation):
            await client.post(f"{flex}/Invite", data={"Routing": "{}"})  # no such path
        with pytest.raises(ContractViolation, match="body.LastReadMessageIndexx"):
            await client.post(f"{conversation}/Participants/MB{'5' * 32}", data={"LastReadMessageIndexx": "3"})
        with pytest.raises(ContractViolation, match="not one of"):
            await client.get(f"{conversation}/Messages", params={"Order": "newest"})


async def test_offline_with_a_call_in_hand_is_taken_at_once_and_no_new_call_is_offered(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    """As TaskRouter moves a Worker with a task to an unavailable Activity at once (what the desk does when it
    quits with a call in hand: it has no native next state to leave behind), the worker is offered nothing new
    and is Offline once the call is wrapped up (the mock: the engine's next state)."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        backend = floor.backend("agent-001")
        await backend.set_state(AgentState.AVAILABLE)
        await _place_call(floor, "First")
        (offer,) = await _until(backend.list_offers)
        contact = await backend.accept_offer(offer.id)
        agent = await backend.set_state(AgentState.OFFLINE)  # no refusal: the quit leaves the worker unroutable
        assert agent.state == AgentState.BUSY
        async with httpx.AsyncClient(
            base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
        ) as sup:
            chat = {"queue_id": "billing", "channel": "chat", "from_address": "billy.smith3@example.com"}
            (await sup.post("/v1/contacts", json=chat)).raise_for_status()  # a chat would fit beside the call
        await asyncio.sleep(0.5)
        assert await backend.list_offers() == [], "an unavailable Activity gets no reservation"
        await backend.end_contact(contact.id)
        await backend.complete_contact(contact.id, "Resolved")
        assert (await backend.get_agent()).state == AgentState.OFFLINE
        await backend.aclose()
