"""The hostile-backend harness on the desk's other backends (issue 41): the mock contact center (agent and
supervisor), the mock CRM and Zendesk, and the presence directory, each call the desk makes recorded once from
the real mock and replayed spoiled as hypothesis chooses (tests/support/hostile). Whatever the server sends, the
call ends with a valid result or a BackendError in words, within a bound, and the token goes nowhere else."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.http.presence import HttpPresenceDirectory
from agent_desktop.adapters.http.supervisor import HttpSupervisorConsole
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    AgentState,
    CaseCreate,
    Channel,
    InteractionCreate,
    MonitorMode,
    NewCustomer,
    SupervisionRecord,
    Target,
    TargetKind,
    TranscriptLine,
)
from agent_desktop_mocks.ccaas.settings import (
    DEMO_AGENT_ID,
    DEMO_AGENT_TOKEN,
    DEMO_CRM_TOKEN,
    DEMO_PRESENCE_TOKEN,
    DEMO_SUPERVISOR_TOKEN,
)
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from tests.contract.zendesk_contract import ContractTransport
from tests.support.hostile.harness import Desk, planned, spoiled
from tests.support.hostile.strategies import Drop, Field, storm
from tests.support.hypothesis_profiles import examples
from tests.support.protocol_rigs.contact_center import contact_center_rig
from tests.support.protocol_rigs.crm import crm_rig
from tests.support.protocol_rigs.presence import presence_rig

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
BILLY = "+15125550100"  # a seeded caller: Billy Smith


@dataclass
class Scene:
    desks: dict[str, Desk]


async def _until(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    for _ in range(100):
        if found := await check():
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


async def _contact_center(tmp_path: Path) -> tuple[Desk, Desk]:
    async with contact_center_rig("http", tmp_path) as rig:
        url = rig.backend.base_url
        center = rig.backend
        await center.set_state(AgentState.AVAILABLE)
        await rig.place_call("billy.smith3@example.com", channel="chat", subject="Late fee")
        chat = await center.accept_offer((await _until(center.list_offers, "a chat offered"))[0].id)
        said = await rig.customer_says(chat.id, "Why a late fee?")
        await rig.other.set_state(AgentState.AVAILABLE)
        await rig.place_call("(512) 555-0100", queue_id="billing")
        offer = (await _until(rig.other.list_offers, "a call offered"))[0]
        agent = Desk(lambda t: HttpContactCenter(url, DEMO_AGENT_TOKEN, DEMO_AGENT_ID, transport=t), {
            "get_agent": lambda b: b.get_agent(), "state_catalog": lambda b: b.state_catalog(),
            "list_offers": lambda b: b.list_offers(), "list_contacts": lambda b: b.list_contacts(),
            "list_queues": lambda b: b.list_queues(), "list_colleagues": lambda b: b.list_colleagues(),
            "get_conversation": lambda b: b.get_conversation(chat.id), "list_messages": lambda b: b.list_messages(chat.id),
            "older_messages": lambda b: b.list_messages(chat.id, before=said.id, limit=1),
            "snapshot": lambda b: b._snapshot(),
            "send_message": lambda b: b.send_message(chat.id, "I can waive it.", idempotency_key="answer-1"),
            "mark_read": lambda b: b.mark_read(chat.id, said.id), "typing": lambda b: b.set_typing(chat.id, True),
            "next_state": lambda b: b.set_next_state(AgentState.NOT_READY, "Lunch"),
            "reject_offer": lambda b: b.reject_offer(offer.id),
            "transfer": lambda b: b.transfer_contact(chat.id, Target(kind=TargetKind.QUEUE, id="sales"), "Wants a refund"),
            "end_contact": lambda b: b.end_contact(chat.id),
            "complete_contact": lambda b: b.complete_contact(chat.id, "Resolved"),
            "set_state": lambda b: b.set_state(AgentState.NOT_READY, "Lunch"),
        }, [url])  # fmt: skip
        supervisor = Desk(lambda t: HttpSupervisorConsole(url, DEMO_SUPERVISOR_TOKEN, transport=t), {
            "queues": lambda c: c.list_queues(), "queue_stats": lambda c: c.queue_stats("today"),
            "history": lambda c: c.stats_history(30), "agents": lambda c: c.list_agents(),
            "waiting": lambda c: c.waiting_contacts("billing"), "today": lambda c: c.agent_contacts_today(DEMO_AGENT_ID),
            "participants": lambda c: c.participants(chat.id), "monitored": lambda c: c.monitored(),
            "snapshot": lambda c: c._snapshot(), "monitor": lambda c: c.monitor(chat.id),
            "whisper": lambda c: c.whisper(chat.id, "Offer the waiver"),
            "transcript": lambda c: c.monitored_transcript(chat.id), "leave": lambda c: c.leave(chat.id),
        }, [url])  # fmt: skip
        await supervisor.record()
        await agent.record(
            *[n for n in agent.calls if n not in ("transfer", "end_contact", "complete_contact", "set_state")]
        )
        await agent.record("transfer", "end_contact", "complete_contact", "set_state")
        return agent, supervisor


WRAP_UP = InteractionCreate(
    customer_id=None, contact_id="c-000042", channel=Channel.CHAT, agent_id="agent-001", queue_id="billing",
    answered_at=AT, ended_at=AT, disposition="Refund issued", notes="Refunded the duplicate charge.",
    transcript=[TranscriptLine(role="customer", name="Billy", text="Charged twice", at=AT)],
)  # fmt: skip


def _crm_calls() -> dict[str, Any]:
    wrap_up = WRAP_UP
    joined = SupervisionRecord(
        contact_id="c-000042", supervisor_id="supervisor", supervisor_name="Riley Chen", event="joined",
        mode=MonitorMode.MONITOR, at=AT, agent_id="agent-001", queue_id="billing", channel=Channel.CHAT,
    )  # fmt: skip

    async def billy(crm: Any) -> str:
        found = (await crm.lookup(BILLY)).customers
        return found[0].id if found else "1"  # spoiled to nobody: the next call asks for someone the CRM does not know

    async def with_billy(crm: Any, then: Callable[[Any, str], Awaitable[Any]]) -> Any:
        return await then(crm, await billy(crm))

    return {
        "lookup": lambda c: c.lookup(BILLY), "lookup_email": lambda c: c.lookup("billy.smith3@example.com"),
        "search": lambda c: c.search_customers("Smith"),
        "record": lambda c: with_billy(c, lambda c, b: c.customer_record(b)),
        "interactions": lambda c: with_billy(c, lambda c, b: c.list_interactions(b)),
        "create_customer": lambda c: c.create_customer(NewCustomer(name="Ana Diaz", phones=["(415) 555-0142"]), "new-1"),
        "log_interaction": lambda c: with_billy(c, lambda c, b: c.log_interaction(wrap_up.model_copy(update={"customer_id": b}), "wrap-1")),
        "note": lambda c: with_billy(c, lambda c, b: c.add_note(b, "Called about a late fee", "c-000042", "note-1")),
        "case": lambda c: with_billy(c, lambda c, b: c.create_case(CaseCreate(customer_id=b, subject="Duplicate charge"), "case-1")),
        "supervision": lambda c: c.record_supervision(joined, "sup-1"),
    }  # fmt: skip


async def _crm(kind: str, tmp_path: Path) -> Desk:
    async with crm_rig(kind, tmp_path) as rig:
        if kind == "http":
            desk = Desk(
                lambda t: HttpCrm(rig.url, DEMO_CRM_TOKEN, transport=t, rate_limit_wait_s=0.05), _crm_calls(), [rig.url]
            )
        else:
            desk = Desk(lambda t: ZendeskCrm(rig.url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=t, rate_limit_wait_s=0.05),
                        _crm_calls(), [rig.url], inner=ContractTransport)  # fmt: skip
            await _a_commented_ticket(desk)
        await desk.record()
        return desk


async def _a_commented_ticket(desk: Desk) -> None:
    """Billy's seeded tickets have no comments: one with the desk's wrap-up on it, tagged with the contact the
    calls write for, so that the card's history, a retried write's key scan and a comment on an open ticket
    all read comments the harness can spoil."""
    crm = desk.make(ContractTransport())
    try:
        billy = (await crm.lookup(BILLY)).customers[0].id
        await crm.log_interaction(WRAP_UP.model_copy(update={"customer_id": billy}), "seed-1")
    finally:
        await crm.aclose()


async def _presence(tmp_path: Path) -> Desk:
    async with presence_rig("http", tmp_path) as rig:
        url = rig.backend.base_url
        person = (await rig.backend.list_experts())[0].id
        desk = Desk(lambda t: HttpPresenceDirectory(url, DEMO_PRESENCE_TOKEN, transport=t), {
            "experts": lambda p: p.list_experts(), "search": lambda p: p.list_experts("a", "billing"),
            "send": lambda p: p.send_message(person, "Can you take a refund question?", "Sam"),
        }, [url])  # fmt: skip
        await desk.record()
        return desk


async def _scene(tmp_path: Path) -> Scene:
    agent, supervisor = await _contact_center(tmp_path / "ccaas")
    return Scene({
        "contact center": agent, "supervisor": supervisor, "crm": await _crm("http", tmp_path / "crm"),
        "presence": await _presence(tmp_path / "presence"),
    })  # fmt: skip


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return asyncio.run(_scene(tmp_path_factory.mktemp("hostile-http")))


@settings(max_examples=examples(150))
@given(data=st.data(), every=storm())
def test_whatever_a_backend_answers_a_desk_call_ends_in_a_result_or_words(
    scene: Scene, data: st.DataObject, every: Any
) -> None:
    spoiled(scene.desks[data.draw(st.sampled_from(sorted(scene.desks)), label="backend")], data, every)


@pytest.fixture(scope="module")
def zendesk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return asyncio.run(_crm("zendesk", tmp_path_factory.mktemp("hostile-zendesk")))


@settings(max_examples=examples(60))
@given(data=st.data(), every=storm())
def test_whatever_zendesk_answers_a_desk_call_ends_in_a_result_or_words(
    zendesk: Desk, data: st.DataObject, every: Any
) -> None:
    spoiled(zendesk, data, every)


CARD = "4111 1111 1111 1111"  # a value that must never reach the agent's screen through an error's words


@pytest.mark.parametrize(
    ("call", "method", "path", "spoil", "said"),
    [
        (
            "lookup",
            "GET",
            "/api/v2/search",
            Field(("results", 0, "id"), CARD),
            "(answer.results.0.id: Input should be a valid integer)",
        ),
        (
            "search",
            "GET",
            "/users/search",
            Field(("users", 0, "name"), {"first": CARD}),
            "(answer.users.0.name: Input should be a valid string)",
        ),
        (
            "record",
            "GET",
            "/tickets/requested",
            Drop(("tickets", 0, "created_at")),
            "(answer.tickets.0.created_at: Field required)",
        ),
        (
            "record",
            "GET",
            "/tickets/requested",
            Field(("tickets", 0, "tags"), [CARD, 4]),
            "(answer.tickets.0.tags.1: Input should be a valid string)",
        ),
        (
            "interactions",
            "GET",
            "/comments",
            Field(("comments", 0, "created_at"), "2024-02-30T25:61:00Z"),
            "(answer.comments.0.created_at: Value error, not an ISO 8601 date)",
        ),
        (
            "interactions",
            "GET",
            "/comments",
            Field(("comments", 0, "via"), CARD),
            "(answer.comments.0.via: Input should be a valid dictionary",
        ),
        ("create_customer", "POST", "/api/v2/users", Drop(("user",)), "502 Zendesk sent an answer without its user"),
        (
            "case",
            "POST",
            "/api/v2/tickets",
            Field(("ticket", "requester_id"), True),
            "(answer.ticket.requester_id: Input should be a valid integer)",
        ),
    ],
)
def test_a_zendesk_field_missing_or_of_another_type_is_said_by_name_never_by_value(
    zendesk: Desk, call: str, method: str, path: str, spoil: Any, said: str
) -> None:
    result, _ = planned(
        zendesk, call, lambda request: spoil if request.method == method and request.url.path.endswith(path) else None
    )
    assert isinstance(result, BackendError) and said in result.message, result
    assert result.message.startswith("502 Zendesk sent"), "the agent reads who sent what"
    assert "4111" not in result.message, "an answer's value is never put in words"
