"""The hostile-backend harness on Twilio: every call the desk makes on the Twilio contact center and
the Twilio supervisor console, its answers recorded once from the Twilio-shaped mock (each exchange checked
against Twilio's pinned spec) and replayed spoiled as hypothesis chooses (tests/support/hostile). Whatever
Twilio sends, the call ends with a valid result or a BackendError in words, within a bound, and no credential
goes to a host the desk was not configured with."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import AgentState, MessageEvent, Target, TargetKind
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.hostile.harness import Desk, Scripted, headered, planned, spoiled
from tests.support.hostile.headers import Headers
from tests.support.hostile.mutations import FOREIGN
from tests.support.hostile.strategies import Body, Field, Link, storm
from tests.support.hypothesis_profiles import examples
from tests.support.narrowing import of_kind
from tests.support.protocol_rigs.contact_center import OTHER_AGENT_ID, contact_center_rig
from tests.support.protocol_rigs.twilio import TwilioRig

CHAT_FROM = "billy.smith3@example.com"


@dataclass
class Scene:
    agent: Desk  # the agent's contact center (a chat in hand)
    other: Desk  # the other agent's (a call offered to them)
    supervisor: Desk


async def _until(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    for _ in range(100):
        if found := await check():
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


def _allowed(config: Any) -> list[str]:
    return [config.base_url, config.api_base_url, config.flex_base_url, config.conversations_base_url, config.relay_url]


def _desk(config: Any, calls: dict[str, Any], make: Callable[..., Any]) -> Desk:
    def over(transport: Any) -> Any:
        return make(config, transport=transport, relay_transport=transport)

    return Desk(over, calls, _allowed(config), config.timeout_s, inner=TwilioContractTransport)


async def _scene(tmp_path: Path) -> Scene:
    """A chat in the agent's hands with a customer's message, a call offered to the other agent; each call the
    desk makes recorded (reads first, then each write on what the one before left)."""
    async with contact_center_rig("twilio", tmp_path) as twilio:
        rig = of_kind(twilio, TwilioRig)
        config = rig.floor.config("agent-001", rate_limit_wait_s=0.05)
        center = rig.backend
        await center.set_state(AgentState.AVAILABLE)
        await rig.place_call(CHAT_FROM, channel="chat", subject="Late fee")
        chat = await center.accept_offer((await _until(center.list_offers, "a chat offered"))[0].id)
        said = await rig.customer_says(rig.floor.twilio_app.state.twilio.tasks.resolve(chat.id)[0], "Why a late fee?")
        await rig.other.set_state(AgentState.AVAILABLE)  # offered the call (this agent has a chat), given the chat
        await rig.place_call("(512) 555-0100", queue_id="billing")
        offers = await _until(rig.other.list_offers, "a call offered")
        history = [
            e.params
            for e in rig.floor.twilio_app.state.callbacks.history.read(
                datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
            )
        ]
        callbacks = history[-12:]
        conversation = records.attributes((await center._task(chat.id))[0])["conversationSid"]
        added = {
            "EventType": "onMessageAdded",
            "ConversationSid": conversation,
            "MessageSid": said.id,
            "Author": CHAT_FROM,
            "Body": "Why a late fee?",
            "DateCreated": "2026-03-02T09:30:00Z",
        }  # as Conversations posts it
        to_other = Target(kind=TargetKind.AGENT, id=rig.agent_ref(OTHER_AGENT_ID))

        supervisor = _desk(
            config,
            {
                "queues": lambda c: c.list_queues(),
                "queue_stats": lambda c: c.queue_stats("today"),
                "queue_stats_30m": lambda c: c.queue_stats("30m"),
                "agents": lambda c: c.list_agents(),
                "waiting": lambda c: c.waiting_contacts(rig.queue_ref("billing")),
                # An agent's state set by the supervisor, recorded after everything else (a Worker with no offer).
                "agent_state": lambda c: c.set_agent_state(rig.agent_ref("agent-003"), AgentState.OFFLINE),
            },
            TwilioSupervisorConsole,
        )
        agent = _desk(
            config,
            {
                "get_agent": lambda b: b.get_agent(),
                "state_catalog": lambda b: b.state_catalog(),
                "list_offers": lambda b: b.list_offers(),
                "list_contacts": lambda b: b.list_contacts(),
                "list_queues": lambda b: b.list_queues(),
                "list_colleagues": lambda b: b.list_colleagues(),
                "get_conversation": lambda b: b.get_conversation(chat.id),
                "list_messages": lambda b: b.list_messages(chat.id),
                "older_messages": lambda b: b.list_messages(chat.id, before=said.id, limit=1),
                "events": lambda b: _translated(b, callbacks),
                # A Conversations message whose Index is not a number (the desk exited).
                "index_not_a_number": lambda b: _translated(b, [added | {"Index": "²"}]),
                "send_message": lambda b: b.send_message(chat.id, "I can waive it.", idempotency_key="answer-1"),
                "mark_read": lambda b: b.mark_read(chat.id, said.id),
                "transfer_chat": lambda b: b.transfer_contact(chat.id, to_other, "Wants a refund"),
                "end_contact": lambda b: b.end_contact(chat.id),
                "complete_contact": lambda b: b.complete_contact(chat.id, "Resolved"),
                "set_state": lambda b: b.set_state(AgentState.NOT_READY, "Lunch"),
            },
            TwilioContactCenter,
        )
        other = _desk(
            rig.floor.config(OTHER_AGENT_ID, rate_limit_wait_s=0.05),
            {"reject_offer": lambda b: b.reject_offer(offers[0].id)},
            TwilioContactCenter,
        )
        await supervisor.record(*[n for n in supervisor.calls if n != "agent_state"])
        await agent.record(
            *[n for n in agent.calls if n not in ("transfer_chat", "end_contact", "complete_contact", "set_state")]
        )
        await other.record()
        await agent.record("transfer_chat", "end_contact", "complete_contact", "set_state")
        await supervisor.record("agent_state")
        return Scene(agent, other, supervisor)


async def _translated(backend: TwilioContactCenter, callbacks: list[dict[str, str]]) -> list[Any]:
    """The relayed callbacks read as the desk's events (what `events()` does with each, less the stream)."""
    await backend.list_contacts()  # the desk's resync: it learns the tasks' conversations
    found = []
    for number, params in enumerate(callbacks, start=1):
        found += [event async for event in backend._translate(number, params)]
    return found


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return asyncio.run(_scene(tmp_path_factory.mktemp("hostile-twilio")))


@settings(max_examples=examples(120))
@given(data=st.data(), every=storm())
def test_whatever_twilio_answers_an_agents_call_ends_in_a_result_or_words(
    scene: Scene, data: st.DataObject, every: Any
) -> None:
    spoiled(scene.other if data.draw(st.integers(0, 15), label="desk") == 15 else scene.agent, data, every)


@settings(max_examples=examples(40))
@given(data=st.data(), every=storm())
def test_whatever_twilio_answers_the_supervisor_console_ends_in_a_result_or_words(
    scene: Scene, data: st.DataObject, every: Any
) -> None:
    spoiled(scene.supervisor, data, every)


@settings(max_examples=examples(120))
@given(desk=st.sampled_from(("agent", "supervisor", "other")), data=st.data())
@example(  # OverflowError out of TaskRouter's answer: a year no C long holds in its `Date`
    desk="agent", data=Scripted("get_agent", Headers(date=(b"Mon, 01 Jan 99999999999999999999 00:00:00 GMT",)))
)
@example(  # ValueError (year 10000) out of the desk's clock as it drew the agent area
    desk="agent", data=Scripted("list_queues", Headers(date=(b"Fri, 31 Dec 9999 23:59:59 GMT",)))
)
def test_whatever_headers_twilio_answers_with_a_call_ends_in_words_on_a_clock_within_bounds(
    scene: Scene, desk: str, data: st.DataObject
) -> None:
    """`Date`, `Retry-After` and `Content-Type` of any value on the answers of every call the agent's and
    the supervisor's desks make on Twilio (tests/support/hostile/headers.py)."""
    headered(getattr(scene, desk), data)


# --- the failures a vendor's storm caused, one by one (each crashed the desk, or looped, or leaked, before) -----------


def _at(path_part: str, spoil: Any) -> Any:
    """A plan: `spoil` for the answers to requests whose path contains `path_part`, the others as recorded."""
    return lambda request: spoil if path_part in request.url.path else None


@pytest.mark.parametrize(
    ("call", "path", "spoil", "said"),
    [
        ("get_agent", "/Workers/", Body("nested"), "nested more than 32 levels"),
        ("list_contacts", "/Tasks/", Field(("sid",), 42), "a number where a SID was expected (Tasks.sid)"),
        (
            "list_contacts",
            "/Tasks/",
            Field(("attributes",), {"from": "x"}),
            "an object where a text was expected (Tasks.attributes)",
        ),
        (
            "list_contacts",
            "/Tasks/",
            Field(("date_updated",), "yesterday"),
            "a text that is not a date where a date was expected",
        ),
        ("get_conversation", "/Messages", Body("bad_utf8"), "not UTF-8"),
        ("list_offers", "/Reservations", Body("html"), "sent a web page where JSON was expected"),
    ],
)
def test_a_twilio_answer_that_crashed_the_desk_is_a_refusal_in_words(
    scene: Scene, call: str, path: str, spoil: Any, said: str
) -> None:
    result, _ = planned(scene.agent, call, _at(path, spoil))
    assert isinstance(result, BackendError), result
    assert said in result.message, result
    assert result.message.startswith("502 Twilio sent"), "the agent reads who sent what"


def test_a_conversations_message_whose_index_is_not_a_number_is_read_from_the_api(scene: Scene) -> None:
    result, _ = planned(scene.agent, "index_not_a_number", lambda request: None)
    messages = [e for e in result if isinstance(e, MessageEvent)]
    assert [m.item.text for m in messages] == ["Why a late fee?"]
    assert messages[0].item.index >= 0


def test_a_page_that_links_to_itself_is_read_once_more_at_most(scene: Scene) -> None:
    result, transport = planned(scene.agent, "list_colleagues", _at("/Workers", Link("self")))
    assert isinstance(result, BackendError)
    assert "pages that lead back to one already read" in result.message
    assert transport.requests <= 3


def test_a_next_page_on_another_host_gets_no_credential(scene: Scene) -> None:
    result, transport = planned(scene.agent, "list_colleagues", _at("/Workers", Link(FOREIGN)))
    assert isinstance(result, BackendError)
    assert "a next page on another host (evil.example:8443)" in result.message
    assert transport.leaks == []
    assert transport.requests == 1


@pytest.mark.parametrize("spoil", [Body("truncated"), Body("nested"), Body("html"), Field((), ["not", "a", "worker"])])
def test_the_supervisor_setting_an_agents_state_reads_twilios_answer_in_words(scene: Scene, spoil: Any) -> None:
    """Red before: the Worker's answer was parsed bare (`.json()`), so a truncated body came out as a
    JSONDecodeError and a nested one as a RecursionError, not a BackendError."""
    assert "agent_state" not in scene.supervisor.refused, scene.supervisor.refused
    result, _ = planned(scene.supervisor, "agent_state", lambda request: spoil if request.method == "POST" else None)
    assert isinstance(result, BackendError), result
