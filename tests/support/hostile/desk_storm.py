"""A whole desk through a vendor's storm: the app's own sessions (the agent's desk and controller, the
outbox and its sender: agent_desktop/agent_desk/session.py) run over a floor's real backends, every one of them over one
`StormTransport` (live.py). The desk takes a call while all is well; the storm starts as the agent saves the
wrap-up and lasts while the desk does what it does in the background (its streams, lookups, queues, the outbox);
then the vendor heals. The seam is the controller without the screen: what the keys call, what the screen reads.

What must hold, whatever the storm did (`Outcome.check`): nothing the desk runs in the background ended on an
error, no wait outlasted its bound, no credential went to a host the desk was not configured with, the wrap-up was
not dropped (once healed it reaches the CRM exactly once, or stays in the outbox saying why), and everything the
desk said was words: one line of text a terminal can write, never "Something went wrong".
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.session import AgentSession
from agent_desktop.app.runtime import OutboxSession
from agent_desktop.domain.changes import Severity
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.messages.protocol import messaging_of
from agent_desktop.domain.vocabulary import AgentState, ContactState
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.store import EntryState, OutboxEntry
from agent_desktop.services import Backends
from tests.support.hostile.live import StormTransport

BOUND_S = 60.0  # a whole scene: far beyond what one takes (a few seconds); past it, something hung
STORM_S = 0.6  # how long the storm lasts after the save: the streams, the sender and the lookups meet it
HEALED_WITHIN_S = 15.0  # once healed, how long the wrap-up may take to reach the CRM
DISPOSITION = "Resolved"


@dataclass
class Floor:
    """A floor's servers (started once), and how a desk is built over them."""

    agent_id: str
    allowed: list[str]  # the base URLs the desk is configured with
    timeout_s: float
    backends: Callable[[httpx.AsyncBaseTransport, Path], Backends]  # the desk's backends over a transport, its outbox
    place_call: Callable[[str], None]  # a caller rings (the subject says which)
    written: Callable[[str], list[Any]]  # what the CRM stored for a contact, read from its own database
    tidy: Callable[[], Awaitable[None]]  # the agent left Offline with nothing in hand, whatever a scene left
    folder: Path  # where each scene's desk keeps its outbox
    scenes: itertools.count[int] = field(default_factory=itertools.count)


@dataclass
class Outcome:
    plan: list[Any]
    contact_id: str | None = None
    entry: OutboxEntry | None = None
    written: list[Any] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # background work that ended on an error
    leaks: list[str] = field(default_factory=list)
    still_held: bool = False

    def check(self) -> None:
        assert not self.leaks, f"a credential went to a host the desk was not configured with: {self.leaks}"
        assert not self.failures, f"the desk's background work ended on an error: {self.failures}"
        for text in self.said:
            assert text.strip(), f"said, not in words: {text[:300]!r}"
            assert "\n" not in text, f"said, not in words: {text[:300]!r}"
            assert len(text) <= 1000, f"said, not in words: {text[:300]!r}"
            text.encode("utf-8")
            assert "Something went wrong" not in text, f"an error nobody handled: {text}"
        entry = self.entry
        assert entry is not None, "the wrap-up never reached the outbox"
        if entry.state is EntryState.SENT:
            assert len(self.written) == 1, f"sent, and stored {len(self.written)} times: {self.written}"
        else:
            assert entry.last_error, f"left in the outbox with no reason: {entry}"
            assert entry.last_error.strip(), f"left in the outbox with no reason: {entry}"
            assert len(self.written) <= 1, self.written
        assert not self.still_held, "healed, the wrap-up was saved again and the contact is still in hand"


async def _until(condition: Callable[[], object], what: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await asyncio.sleep(0.02)


async def wrap_up_in_a_storm(floor: Floor, plan: list[Any]) -> Outcome:
    """One scene: a call taken, its wrap-up saved as the storm starts, the storm, the vendor healed."""
    number = next(floor.scenes)
    folder = floor.folder / "desks"
    folder.mkdir(parents=True, exist_ok=True)
    storm = StormTransport(plan, floor.allowed, floor.timeout_s)
    backends = floor.backends(storm, folder / f"outbox-{number}.db")
    outcome = Outcome(plan)
    outbox = OutboxSession(backends, messaging=messaging_of(backends.contact_center), retry=Backoff(0.02, 0.2))
    session = AgentSession(backends, lambda: datetime.now(UTC), disk_retry_s=0.05)
    controller, desk = session.controller, session.desk
    wrap_up_said: list[str] = []  # what the wrap-up form said, each time (a refused save, in words)
    say = desk.wrap_ups.say

    def listened(contact_id: str, text: str, level: Severity = "information") -> None:
        wrap_up_said.append(text)
        say(contact_id, text, level)

    desk.wrap_ups.say = listened  # type: ignore[method-assign]  # the storm listens in on the form's words
    running: list[asyncio.Task[None]] = [
        asyncio.create_task(work)
        for work in (outbox.run(), controller.follow_contact_center(), controller.follow_presence())
    ]
    subject = f"Storm {number} {time.monotonic_ns()}"
    try:
        async with asyncio.timeout(BOUND_S):
            await _until(lambda: desk.agent is not None, "the agent's state from the stream")
            await controller.go_available()
            floor.place_call(subject)
            await _until(lambda: desk.offer is not None, "an offer")  # (a caller an earlier scene left waiting, maybe)
            contact_id = outcome.contact_id = desk.offer.contact.id  # type: ignore[union-attr]
            await controller.accept()
            await _until(lambda: contact_id in desk.held, "the call in hand")
            desk.selected_id = contact_id
            await controller.end()
            await _until(lambda: contact_id in desk.held and desk.held[contact_id].phase is Phase.WRAP_UP, "wrap-up")

            storm.storming = True
            notes = "Refunded the duplicate charge; call back Friday."
            await asyncio.gather(
                controller.wrap_up.save_wrap_up(contact_id, DISPOSITION, notes),
                controller.load_queues(),
                controller.load_state_catalog(),
                controller.transfer_options(),
                controller.wrap_up.recent_writes(),  # the outbox view's rows, read during the storm
                return_exceptions=False,
            )
            await asyncio.sleep(STORM_S)
            storm.heal()

            # Healed: the agent saves again what the storm left open (ctrl+s), and the outbox sends what waits.
            for _ in range(3):
                if contact_id not in desk.held:
                    break
                await controller.wrap_up.save_wrap_up(contact_id, DISPOSITION, notes)
                await asyncio.sleep(0.2)
            outcome.still_held = contact_id in desk.held
            outbox.sender.wake()  # healed: look now, not at the end of the backoff
            deadline = time.monotonic() + HEALED_WITHIN_S
            while True:
                entries = [e for e in await asyncio.to_thread(backends.outbox.recent) if e.contact_id == contact_id]
                outcome.entry = entries[0] if entries else None
                settled = outcome.entry is not None and outcome.entry.state is not EntryState.PENDING
                if settled or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
            outcome.written = floor.written(contact_id)
    finally:
        for task in running:
            if task.done() and not task.cancelled() and task.exception() is not None:
                outcome.failures.append(
                    f"{getattr(task.get_coro(), '__qualname__', task.get_name())}: {task.exception()!r}"
                )
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        outcome.said = [n.text for n in desk.take_changes().notices] + wrap_up_said
        outcome.leaks = list(storm.leaks)
        await session.aclose()
        await backends.aclose()
        await floor.tidy()
    if outcome.entry is not None and outcome.entry.state is EntryState.PENDING and not outcome.entry.last_error:
        outcome.failures.append(
            f"the wrap-up still pending {HEALED_WITHIN_S:g} s after the vendor healed, saying nothing"
        )
    return outcome


async def tidy_up(center: Any) -> None:
    """With a plain (unstormed) client: an offer left rejected, what the agent holds completed, then Offline, for
    the next scene. Best effort: a scene that failed says why itself."""
    try:
        for offer in await center.list_offers():
            with contextlib.suppress(BackendError):
                await center.reject_offer(offer.id)
        for contact in await center.list_contacts():
            with contextlib.suppress(BackendError):
                if contact.state is ContactState.CONNECTED:
                    await center.end_contact(contact.id)
                await center.complete_contact(contact.id, DISPOSITION)
        with contextlib.suppress(BackendError):
            await center.set_state(AgentState.OFFLINE)
    finally:
        await center.aclose()
