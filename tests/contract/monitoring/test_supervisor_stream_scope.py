"""The supervisors' stream kept to each supervisor's queues (ccaas/api/scope.py): Jordan Blake, who supervises
billing only, reads no other queue's contact in any event type the mock publishes to supervisors (a contact's
changes, offers, messages, a call's recording paused and resumed, its call coaching figures...), and no other
queue's figures in `queue_stats`; the demo supervisor, of every queue, still reads all of it.

Hypothesis places the contacts in queues; the streams are read through the route's own body iterator (what
`GET /v1/supervisor/events` sends), on the in-process mock with its time stepped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, cast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import AgentState
from agent_desktop_mocks.ccaas.api.routers import supervisor as supervisor_routes
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC
from agent_desktop_mocks.ccaas.voice.talk_figures import CallCoachingEvent
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.hypothesis_profiles import examples
from tests.support.in_process.mocks import InProcessMocks

EVERY_QUEUE = Principal(DEMO_SUPERVISOR_TOKEN, "supervisor", "supervisor")
BILLING_ONLY = Principal("supervisor-billing-token", "supervisor", "supervisor-billing")  # floor.toml
QUEUES = ["billing", "sales", "tech_support"]
END = "end_of_test"  # an event the test writes last to the supervisors' topic: each stream is read up to it
# What the mock publishes to supervisors about contacts and queues, each made to happen below.
EXERCISED = {"contact", "offer", "agent_state", "message", "recording", "call_coaching", "queue_stats"}
# A chat and a call at least (so every event type happens), in any queues, and up to two more contacts.
CONTACT = st.tuples(st.sampled_from(QUEUES), st.sampled_from(["voice", "chat"]))
CONTACTS = st.tuples(st.sampled_from(QUEUES), st.sampled_from(QUEUES), st.lists(CONTACT, max_size=2)).map(
    lambda drawn: [(drawn[0], "chat"), (drawn[1], "voice"), *drawn[2]]
)


async def opened(mocks: InProcessMocks, who: Principal) -> AsyncIterator[Any]:
    """The supervisors' stream as the route serves it to `who`, subscribed (its first chunk read)."""
    state = mocks.ccaas_app.state
    response = await supervisor_routes.events(who, state.event_log, state.engine, state.scope, None)
    chunks = cast(AsyncIterator[Any], response.body_iterator)
    assert (await anext(chunks)).startswith(": connected")
    return chunks


async def read_to_end(chunks: AsyncIterator[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each event's type and data, up to the test's end mark (every wait bounded: the events are pushed already)."""
    read: list[tuple[str, dict[str, Any]]] = []
    while True:
        chunk = await asyncio.wait_for(anext(chunks), 30)
        fields = dict(line.split(": ", 1) for line in str(chunk).splitlines() if line and not line.startswith(":"))
        if "data" not in fields:
            continue
        if fields["event"] == END:
            await cast(Any, chunks).aclose()
            return read
        read.append((fields["event"], json.loads(fields["data"])))


async def floor_with(mocks: InProcessMocks, placed: list[tuple[str, str]]) -> dict[str, str]:
    """Contacts placed in those queues, the agent offered one, the customers writing, each call's recording paused
    and resumed and its coaching figures told, the queue figures pushed: their ids and queues."""
    state = mocks.ccaas_app.state
    queue_of: dict[str, str] = {}
    for n, (queue_id, channel) in enumerate(placed):
        address = f"+1212555{n:04d}" if channel == "voice" else f"customer{n}@example.com"
        contact = await mocks.place_call(address, queue_id=queue_id, channel=channel, subject="Charged twice")
        queue_of[contact.id] = queue_id
    await mocks.contact_center().set_state(AgentState.AVAILABLE)  # an offer to agent-001, who serves every queue
    recordings = state.voice_leg.recordings
    for contact_id, (_, channel) in zip(queue_of, placed, strict=True):
        if channel == "chat":
            await mocks.customer_says(contact_id, "Are you there?")
        recording = recordings.start(contact_id, audio=False)
        recording.pause(recordings.now())
        recording.resume(recordings.now())
        state.voice_leg.tell_coaching(
            CallCoachingEvent(
                contact_id=contact_id,
                agent_id="agent-001",
                customer_share_pct=60,
                agent_share_pct=40,
                customer_talk_s=6.0,
                agent_talk_s=4.0,
                customer_interruptions=1,
                agent_interruptions=0,
                long_silences=0,
                long_silence_s=8.0,
                longest_silence_s=1.0,
                silent_now_s=0.0,
                final=True,
            )
        )
    mocks.time.advance(3)  # the queue figures, pushed every 2 s while a supervisor listens
    with state.conversations.service.transaction():
        state.event_log.publish([SUPERVISOR_TOPIC], END, {"type": END})
    return queue_of


def mentions(data: dict[str, Any], contact_id: str) -> bool:
    return f'"{contact_id}"' in json.dumps(data)


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(placed=CONTACTS)
async def test_a_billing_supervisor_reads_no_other_queues_contact_in_any_event(placed: list[tuple[str, str]]) -> None:
    with TemporaryDirectory() as folder:
        mocks = InProcessMocks(
            MockSettings(data_dir=Path(folder), seed=7, customers=20, simulator=False, speed=10.0, fresh=True)
        )
        try:
            published: set[str] = set()
            mocks.ccaas_app.state.event_log.add_listener(
                lambda topics, type_, data: published.add(type_) if SUPERVISOR_TOPIC in topics else None
            )
            everyone, jordan = await opened(mocks, EVERY_QUEUE), await opened(mocks, BILLING_ONLY)
            queue_of = await floor_with(mocks, placed)
            seen_by_everyone, seen_by_jordan = await read_to_end(everyone), await read_to_end(jordan)
        finally:
            await mocks.aclose()
    assert published >= EXERCISED, "every kind of supervisor event was made to happen"
    others = [contact_id for contact_id, queue_id in queue_of.items() if queue_id != "billing"]
    for type_, data in seen_by_jordan:
        assert not any(mentions(data, contact_id) for contact_id in others), f"{type_} of another queue: {data}"
        if type_ == "queue_stats":
            assert {row["queue_id"] for row in data["today"] + data["last_30m"]} <= {"billing"}, "other figures"
    # the filter leaves out only what is not theirs: their own contacts' events all come, and everyone's to the demo
    for contact_id, queue_id in queue_of.items():
        told = {type_ for type_, data in seen_by_everyone if mentions(data, contact_id)}
        assert {"contact", "recording", "call_coaching"} <= told, (contact_id, told)
        if queue_id == "billing":
            assert told == {type_ for type_, data in seen_by_jordan if mentions(data, contact_id)}
    figures = {row["queue_id"] for type_, data in seen_by_everyone if type_ == "queue_stats" for row in data["today"]}
    assert set(queue_of.values()) <= figures, "the demo supervisor reads every queue's figures"
