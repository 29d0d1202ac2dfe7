"""The recordings the snapshot tests replay (tests/support/recorded): a replay keeps the recorded order, fails
loudly on anything not recorded, and every committed recording still reads as today's models."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Agent, AgentState, AgentStateEvent
from agent_desktop.domain.protocols import ContactCenter
from agent_desktop.domain.streams.link_status import LinkStatus
from tests.support.narrowing import of_kind
from tests.support.recorded.recorder import Recorder
from tests.support.recorded.replay import RecordingStale, Replay
from tests.support.recorded.tape import load_event, load_result
from tests.support.scenes.scene_recordings import PROTOCOLS, RECORDINGS, SCENES

AT = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def agent(state: AgentState) -> Agent:
    return Agent(id="agent-001", name="Alex Morgan", state=state, state_since=AT)


class TwoStateCenter:
    """Just enough of a contact center to record: the agent's state, its stream, one refusal."""

    agent_id = "agent-001"
    capabilities = ContactCenterCapabilities(offer_decision=False)

    def __init__(self) -> None:
        self.pushed: asyncio.Queue[AgentStateEvent] = asyncio.Queue()

    async def set_state(self, state: AgentState, reason: str | None = None) -> Agent:
        if state is AgentState.OFFLINE:
            raise BackendError("contact center", "409 refused", 409, "busy")
        await self.pushed.put(AgentStateEvent(agent=agent(state)))
        return agent(state)

    async def events(self) -> AsyncIterator[AgentStateEvent | LinkStatus]:
        yield LinkStatus("contact center", True, url="http://127.0.0.1:4321/v1/agents/agent-001/events")
        while True:
            yield await self.pushed.get()

    async def aclose(self) -> None:
        pass


async def record(path: Path) -> None:
    recorder = Recorder("two-states", urls={"http://127.0.0.1:4321": "http://ccaas.mock"})
    center = recorder.backend("contact_center", ContactCenter, TwoStateCenter())
    stream = center.events()
    assert isinstance(await anext(stream), LinkStatus)
    recorder.outside("place_call", {"from_address": "+1 212 555 0042"}, {"id": "c-000001"})
    assert (await center.set_state(AgentState.AVAILABLE)).state is AgentState.AVAILABLE
    assert (await anext(stream)).agent.state is AgentState.AVAILABLE
    with pytest.raises(BackendError):
        await center.set_state(AgentState.OFFLINE)
    recorder.save(path)


def test_a_recording_is_json_lines_in_the_order_things_happened(tmp_path: Path) -> None:
    path = tmp_path / "two-states.jsonl"
    asyncio.run(record(path))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    attributes = lines[0]["attributes"]["contact_center"]
    assert attributes["agent_id"] == "agent-001"
    assert attributes["capabilities"]["offer_decision"] is False
    assert attributes["capabilities"]["channels"]["chat"]["transfer_to"] == ["address", "agent", "queue"]  # sorted
    assert [next(iter(line)) for line in lines[1:]] == ["event", "outside", "call", "answer", "event", "call", "answer"]
    assert lines[1]["link"]["url"] == "http://ccaas.mock/v1/agents/agent-001/events"  # no random port
    assert lines[3]["args"] == {"state": "available", "reason": None}
    assert lines[7]["error"]["status"] == 409


def test_a_replay_answers_as_recorded_and_keeps_the_order(tmp_path: Path) -> None:
    path = tmp_path / "two-states.jsonl"
    asyncio.run(record(path))

    async def replay() -> list[str]:
        tape = Replay(path)
        center = tape.backend("contact_center", ContactCenter)
        assert center.agent_id == "agent-001"
        assert center.capabilities == ContactCenterCapabilities(offer_decision=False)
        seen: list[str] = []

        async def follow() -> None:
            async for item in center.events():
                seen.append(
                    "link" if isinstance(item, LinkStatus) else of_kind(item, AgentStateEvent).agent.state.value
                )

        follower = asyncio.create_task(follow())
        await asyncio.sleep(0.05)
        assert seen == ["link"], "the state event waits for the call recorded before it"
        assert tape.outside("place_call", {"from_address": "+1 212 555 0042"}) == {"id": "c-000001"}
        assert (await center.set_state(AgentState.AVAILABLE)).state is AgentState.AVAILABLE
        await asyncio.sleep(0.05)
        with pytest.raises(BackendError) as refused:
            await center.set_state(AgentState.OFFLINE)
        assert refused.value.state == "busy"
        follower.cancel()
        tape.check()
        return seen

    assert asyncio.run(replay()) == ["link", "available"]


@pytest.mark.parametrize("what", ["another call", "the same call again", "another outside step"])
def test_a_replay_fails_loudly_on_what_was_not_recorded(tmp_path: Path, what: str) -> None:
    path = tmp_path / "two-states.jsonl"
    asyncio.run(record(path))

    async def replay() -> Replay:
        tape = Replay(path)
        center = tape.backend("contact_center", ContactCenter)
        await anext(center.events())  # the link status, which the first answer waits for
        if what == "another outside step":
            with pytest.raises(RecordingStale, match="the scene did place_call"):
                tape.outside("place_call", {"from_address": "+1 212 555 0043"})
            return tape
        tape.outside("place_call", {"from_address": "+1 212 555 0042"})
        await center.set_state(AgentState.AVAILABLE)
        change = (AgentState.NOT_READY, "Lunch") if what == "another call" else (AgentState.AVAILABLE,)
        with pytest.raises(RecordingStale, match="not in the recording"):
            await center.set_state(*change)
        return tape

    tape = asyncio.run(replay())
    with pytest.raises(RecordingStale, match="make recordings|record_scenes"):
        tape.check()  # what a background task met fails the test too


def test_a_replay_says_what_it_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "two-states.jsonl"
    asyncio.run(record(path))

    async def replay() -> None:
        tape = Replay(path, wait_s=0.1)
        stream = tape.backend("contact_center", ContactCenter).events()
        await anext(stream)
        with pytest.raises(RecordingStale, match=r"waited 0.1 s for line 3 \(outside step place_call"):
            await anext(stream)

    asyncio.run(replay())


@pytest.mark.parametrize("name", sorted(SCENES))
def test_each_recording_reads_as_todays_models(name: str) -> None:
    """A model change that breaks a recording shows here, by line, before any snapshot is drawn."""
    path = RECORDINGS / f"{name}.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    calls = {line["id"]: line["call"] for line in lines[1:] if "call" in line}
    for number, line in enumerate(lines[1:], start=2):
        try:
            if "event" in line:
                load_event(PROTOCOLS[line["event"]], line)
            elif "answer" in line and "result" in line:
                kind, method = calls[line["answer"]].split(".")
                load_result(PROTOCOLS[kind], method, line["result"])
        except Exception as error:  # noqa: BLE001 - the line number is the point
            pytest.fail(f"{path.name} line {number}: {error}")
