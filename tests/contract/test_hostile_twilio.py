"""The hostile-backend harness on Twilio (issue 41): every call the desk makes on the Twilio contact center and
the Twilio supervisor console, its answers recorded once from the Twilio-shaped mock (each exchange checked
against Twilio's pinned spec) and replayed spoiled as hypothesis chooses (tests/support/hostile). Whatever
Twilio sends, the call ends with a valid result or a BackendError in words, within a bound, and no credential
goes to a host the desk was not configured with."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from desktop.backends.ccaas_twilio import TwilioContactCenter
from desktop.backends.errors import BackendError
from desktop.backends.models import AgentState
from desktop.backends.supervisor_twilio import TwilioSupervisorConsole
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.hostile.invariants import outcome
from tests.support.hostile.recording import Recording, RecordingTransport, ReplayTransport
from tests.support.hostile.strategies import storm
from tests.support.hostile.transport import HostileTransport
from tests.support.hypothesis_profiles import examples
from tests.support.protocol_rigs.contact_center import OTHER_AGENT_ID, contact_center_rig

CHAT_FROM = "billy.smith3@example.com"
Call = Callable[[Any], Awaitable[Any]]


@dataclass
class Scene:
    """The floor's configuration and, by desk call, what Twilio answered it."""

    config: Any
    agent: dict[str, Call] = field(default_factory=dict)
    supervisor: dict[str, Call] = field(default_factory=dict)
    recordings: dict[str, Recording] = field(default_factory=dict)
    configs: dict[str, Any] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # calls the floor refused as recorded  # whose desk makes the call (the offer is the other agent's)


async def _until(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    for _ in range(100):
        if found := await check():
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


async def _record(scene: Scene, name: str, call: Call, make: Callable[[Any], Any]) -> None:
    recording = Recording()
    backend = make(RecordingTransport(TwilioContractTransport(), recording))
    try:
        await call(backend)
    except BackendError as error:  # a refusal is an answer too: replayed spoiled, it must stay one
        scene.refused[name] = error.message
    finally:
        await backend.aclose()
    scene.recordings[name] = recording


async def _scene(tmp_path: Path) -> Scene:
    """A chat in the agent's hands with a customer's message, a call offered to them; each call recorded."""
    async with contact_center_rig("twilio", tmp_path) as rig:
        config = rig.floor.config("agent-001", rate_limit_wait_s=0.05)
        scene = Scene(config)
        center = rig.backend
        await center.set_state(AgentState.AVAILABLE)
        await rig.place_call(CHAT_FROM, channel="chat", subject="Late fee")
        chat_offer = (await _until(center.list_offers, "a chat offered"))[0]
        chat = await center.accept_offer(chat_offer.id)
        said = await rig.customer_says(rig.floor.twilio_app.state.twilio.tasks.resolve(chat.id)[0], "Why a late fee?")
        await rig.other.set_state(AgentState.AVAILABLE)  # offered the call (this agent has a chat), given the chat
        await rig.place_call("(512) 555-0100", queue_id="billing")
        offers = await _until(rig.other.list_offers, "a call offered")
        other_config = rig.floor.config(OTHER_AGENT_ID, rate_limit_wait_s=0.05)
        other = rig.agent_ref(OTHER_AGENT_ID)
        callbacks = [e.params for e in rig.floor.twilio_app.state.callbacks.history.read(
            datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))]  # fmt: skip

        agent: dict[str, Call] = {
            "get_agent": lambda b: b.get_agent(), "state_catalog": lambda b: b.state_catalog(),
            "list_offers": lambda b: b.list_offers(), "list_contacts": lambda b: b.list_contacts(),
            "list_queues": lambda b: b.list_queues(), "list_colleagues": lambda b: b.list_colleagues(),
            "get_conversation": lambda b: b.get_conversation(chat.id),
            "list_messages": lambda b: b.list_messages(chat.id),
            "older_messages": lambda b: b.list_messages(chat.id, before=said.id, limit=1),
            "events": lambda b: _translated(b, callbacks),
            "send_message": lambda b: b.send_message(chat.id, "I can waive it.", idempotency_key="answer-1"),
            "mark_read": lambda b: b.mark_read(chat.id, said.id),
            "reject_offer": lambda b: b.reject_offer(offers[0].id),
            "transfer_chat": lambda b: b.transfer_contact(chat.id, _agent_target(other), "Wants a refund"),
            "end_contact": lambda b: b.end_contact(chat.id),
            "complete_contact": lambda b: b.complete_contact(chat.id, "Resolved"),
            "set_state": lambda b: b.set_state(AgentState.NOT_READY, "Lunch"),
        }
        supervisor: dict[str, Call] = {
            "queues": lambda c: c.list_queues(), "queue_stats": lambda c: c.queue_stats("today"),
            "queue_stats_30m": lambda c: c.queue_stats("30m"), "agents": lambda c: c.list_agents(),
            "waiting": lambda c: c.waiting_contacts(rig.queue_ref("billing")),
        }
        for name, call in supervisor.items():  # reads: before the agent's writes change the floor
            await _record(scene, f"supervisor.{name}", call, lambda t: TwilioSupervisorConsole(config, transport=t))
        for name, call in agent.items():  # in order: reads, then each write on what the one before left
            scene.configs[name] = other_config if name == "reject_offer" else config
            await _record(scene, name, call, lambda t: TwilioContactCenter(scene.configs[name], transport=t))
        scene.agent, scene.supervisor = agent, supervisor
        return scene


def _agent_target(worker_sid: str) -> Any:
    from desktop.backends.models import Target, TargetKind

    return Target(kind=TargetKind.AGENT, id=worker_sid)


async def _translated(backend: TwilioContactCenter, callbacks: list[dict[str, str]]) -> list[Any]:
    """The relayed callbacks read as the desk's events (what `events()` does with each, less the stream)."""
    await backend.list_contacts()  # the desk's resync: it learns the tasks' conversations
    found = []
    for number, params in enumerate(callbacks[-12:], start=1):
        found += [event async for event in backend._translate(number, params)]
    return found


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return asyncio.run(_scene(tmp_path_factory.mktemp("hostile-twilio")))


def _allowed(config: Any) -> list[str]:
    return [config.base_url, config.api_base_url, config.flex_base_url, config.conversations_base_url]


def _replayed(scene: Scene, name: str, data: st.DataObject, every: Any) -> HostileTransport:
    return HostileTransport(ReplayTransport(scene.recordings[name]), data.draw, _allowed(scene.config), scene.config.timeout_s, every)


@settings(max_examples=examples(120))
@given(data=st.data(), every=storm())
def test_whatever_twilio_answers_a_desk_call_ends_in_a_result_or_words(scene: Scene, data: st.DataObject, every: Any) -> None:
    name = data.draw(st.sampled_from(sorted(scene.agent)), label="call")
    transport = _replayed(scene, name, data, every)

    async def run() -> Any:
        backend = TwilioContactCenter(scene.configs[name], transport=transport, relay_transport=transport)
        try:
            return await outcome(scene.agent[name](backend))
        finally:
            await backend.aclose()

    asyncio.run(run())
    assert transport.leaks == [], "a credential went to a host the desk was not configured with"


@settings(max_examples=examples(40))
@given(data=st.data(), every=storm())
def test_whatever_twilio_answers_the_supervisor_console_ends_in_a_result_or_words(scene: Scene, data: st.DataObject,
                                                                                   every: Any) -> None:  # fmt: skip
    name = data.draw(st.sampled_from(sorted(scene.supervisor)), label="call")
    transport = _replayed(scene, f"supervisor.{name}", data, every)

    async def run() -> Any:
        console = TwilioSupervisorConsole(scene.config, transport=transport, relay_transport=transport)
        try:
            return await outcome(scene.supervisor[name](console))
        finally:
            await console.aclose()

    asyncio.run(run())
    assert transport.leaks == [], "a credential went to a host the desk was not configured with"
