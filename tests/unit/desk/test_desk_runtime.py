"""The desk's runtime (agent_desktop/app/runtime.py), without a terminal: what one run of the desktop is made of,
started and stopped as the app starts and stops it, over the in-process mocks.

- what a killed desk left in the outbox reaches the CRM once the runtime runs, and a write queued from a worker thread
  (as the desk writes) tells whoever draws the counts, on the event loop, with nobody passing it on;
- the supervisor's record of a join reaches the CRM, also one handed over while the desk was still starting;
- a refused write is told to the desk it is of, in words;
- closing it stops the sender, closes the sessions' stores and the backends."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.app.runtime import DeskOptions, DeskRuntime
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.monitoring.participants import Monitoring, MonitorMode
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.store import EntryKind, EntryState
from agent_desktop.services import Backends
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_mocks

NOTE = {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None}


class CountingCrm:
    """The in-process CRM, counting the writes it took by kind; refusing notes for good when `refuse_notes`."""

    def __init__(self, crm: Any, refuse_notes: bool = False) -> None:
        self._crm, self.refuse_notes = crm, refuse_notes
        self.took: dict[str, int] = {}
        self.changed = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._crm, name)

    def _took(self, kind: str) -> None:
        self.took[kind] = self.took.get(kind, 0) + 1
        self.changed.set()

    async def add_note(self, *args: Any) -> Any:
        if self.refuse_notes:
            raise BackendError("CRM", "422 the customer is archived", 422)
        note = await self._crm.add_note(*args)
        self._took("note")
        return note

    async def record_supervision(self, *args: Any) -> Any:
        written = await self._crm.record_supervision(*args)
        self._took("supervision")
        return written

    async def until(self, kind: str, count: int = 1) -> None:
        try:
            async with asyncio.timeout(10):
                while self.took.get(kind, 0) < count:
                    self.changed.clear()
                    await self.changed.wait()
        except TimeoutError:
            raise AssertionError(f"the CRM never took {count} {kind}: {self.took}") from None


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", customers=20)
    try:
        yield running
    finally:
        await running.aclose()


def backends_with(mocks: InProcessMocks, crm: CountingCrm, *, supervisor: bool = False) -> Backends:
    backends = mocks.backends(supervisor=supervisor)
    backends.crm = crm
    return backends


class Running:
    """The runtime's `run()` as the app runs it (a task of the loop), and every hook it calls."""

    def __init__(self, runtime: DeskRuntime) -> None:
        self.runtime = runtime
        self.counts_told = asyncio.Event()
        self.on_loop: list[bool] = []
        self.refused: list[tuple[str, str, str]] = []
        loop_thread = threading.get_ident()

        def outbox_changed() -> None:
            self.on_loop.append(threading.get_ident() == loop_thread)
            self.counts_told.set()

        runtime.outbox_changed = outbox_changed
        runtime.write_refused = lambda title, text, desk: self.refused.append((title, text, desk))
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.runtime.run())

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        try:
            async with asyncio.timeout(10):
                while not condition():
                    self.counts_told.clear()
                    await self.counts_told.wait()
        except TimeoutError:
            raise AssertionError(f"never: {what}") from None


async def test_what_a_killed_desk_left_is_sent_and_a_write_from_a_thread_tells_the_counts(
    mocks: InProcessMocks,
) -> None:
    crm = CountingCrm(mocks.crm())
    backends = backends_with(mocks, crm)
    backends.outbox.add(EntryKind.NOTE, NOTE, label="Left by the last run")
    runtime = DeskRuntime(backends, DeskOptions(outbox_retry=Backoff(60.0, 60.0)))
    running = Running(runtime)
    try:
        running.start()
        await crm.until("note")
        await running.until(lambda: running.on_loop != [], "the counts told at the start")
        told = len(running.on_loop)
        await asyncio.to_thread(backends.outbox.add, EntryKind.NOTE, NOTE, label="Queued by the desk")
        await crm.until("note", 2)
        await running.until(lambda: len(running.on_loop) > told, "the counts told after the write")
        assert all(running.on_loop), "told off the event loop: the app's worker would start in the wrong thread"
        assert (await runtime.outbox_counts()).sent == 2
    finally:
        await runtime.aclose()


async def test_a_supervisors_join_reaches_the_crm_also_when_handed_over_before_the_desk_runs(
    mocks: InProcessMocks,
) -> None:
    crm = CountingCrm(mocks.crm())
    runtime = DeskRuntime(backends_with(mocks, crm, supervisor=True), DeskOptions(desks=("supervisor",)))
    assert runtime.agent is None
    assert runtime.supervisor is not None
    controller = runtime.supervisor.controller
    now = datetime.now(UTC)

    def joined(contact_id: str) -> None:  # the monitoring console's answer to a join, as the desk applies it
        controller.desk.monitored.joined(
            Monitoring(
                contact_id=contact_id,
                channel=Channel.CHAT,
                queue_id="billing",
                agent_id="agent-001",
                supervisor_id="supervisor",
                supervisor_name="Riley Chen",
                mode=MonitorMode.MONITOR,
                since=now,
                mode_since=now,
            )
        )  # (the record goes to the outbox as the join is applied: nothing else is called)

    running = Running(runtime)
    try:
        joined("c-000001")  # the desk is starting: its background does not run yet
        running.start()
        await crm.until("supervision")
        joined("c-000002")
        await crm.until("supervision", 2)
    finally:
        await runtime.aclose()


async def test_a_refused_write_is_told_to_its_desk_in_words(mocks: InProcessMocks) -> None:
    crm = CountingCrm(mocks.crm(), refuse_notes=True)
    backends = backends_with(mocks, crm)
    runtime = DeskRuntime(backends)
    running = Running(runtime)
    try:
        running.start()
        entry = await asyncio.to_thread(backends.outbox.add, EntryKind.NOTE, NOTE, label="Note for Dana")
        await running.until(lambda: running.refused != [], "the refusal told")
        [(title, text, desk)] = running.refused
        assert desk == "agent"
        assert title == "CRM write refused"
        assert "“Note for Dana”" in text
        assert "422 the customer is archived" in text
        assert "Press o" in text
        assert backends.outbox.get(entry.key).state is EntryState.FAILED  # type: ignore[union-attr]
    finally:
        await runtime.aclose()


async def test_closing_stops_the_sender_then_closes_the_stores_and_the_backends(mocks: InProcessMocks) -> None:
    backends = backends_with(mocks, CountingCrm(mocks.crm()))
    runtime = DeskRuntime(backends)
    assert runtime.agent is not None
    running = Running(runtime)
    running.start()
    await running.until(lambda: running.on_loop != [], "the sender started")
    await runtime.aclose()
    assert running.task is not None, "the sender outlived the desk"
    assert running.task.cancelled(), "the sender outlived the desk"
    with pytest.raises(Exception, match="closed"):
        backends.outbox.counts()  # the outbox's file is closed
    with pytest.raises(Exception, match="closed"):
        runtime.agent.drafts.load()  # and the agent's drafts' store
