"""The desk's write-backs through faults, as plans hypothesis draws: the agent takes contacts and lets each go by a
wrap-up or a blind transfer, schedules a follow-up, a callback, raises a flag, acknowledges an evaluation, while the
backends answer 500s, lose answers or answer slowly, the outbox's disk fills, the desk restarts and its clock is
shifted and stepped. Then the faults clear, the agent does again what the desk said it had not done (a wrap-up left
open, a callback refused), the outbox drains, and what each backend stored is counted in its own SQLite (`Ledger`).

The desk is the app's own sessions (`AgentSession`, the outbox's `OutboxSender`) over the mocks' real code in-process
(tests/support/in_process/), the faults between them (write_back_faults.py), the outbox on a disk that fills
(full_disk_outbox.py). Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import strategies as st

from agent_desktop.agent_desk.callbacks.callback_rules import CallbackDraft
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.session import AgentSession
from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.messages.protocol import messaging_of
from agent_desktop.domain.models import Customer, Target
from agent_desktop.domain.vocabulary import Channel, TargetKind
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState
from agent_desktop.services import Backends
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.full_disk_outbox import FullDiskOutbox
from tests.support.in_process.mocks import InProcessMocks
from tests.support.write_back_faults import CENTER_WRITES, CRM_WRITES, Fault, FaultSwitch, FaultyWrites

WAIT_S = 10.0  # any one wait: far beyond what it takes in-process (milliseconds); past it, something hung
DRAINED_WITHIN_S = 15.0  # once healed, how long the outbox and the disk's retries may take to empty
DISPOSITION = "Resolved"
SALES = Target(kind=TargetKind.QUEUE, id="sales", name="Sales")
BACKGROUND_FAILURE = "Something went wrong in the background"


# --- what a plan is made of --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handle:
    """A caller rings; the agent takes the call, writes back what the flags say, and lets it go."""

    transfer: bool  # a blind transfer to a queue (its record is the write), else a wrap-up
    flag: bool  # a flag raised to the supervisor while talking
    callback: bool  # a callback scheduled on the contact
    follow_up: bool  # an SMS follow-up after the wrap-up (a wrap-up only: it follows the contact last wrapped)
    evaluated: bool  # the supervisor evaluates it once completed, and the agent acknowledges (a wrap-up only)
    link: bool = False  # the contact linked to one of the caller's open cases while talking
    # The desk quits and starts again between a flag's or a callback's unanswered try and the agent's retry.
    restart_before_retry: bool = False


@dataclass(frozen=True)
class Faults:
    crm: Fault
    center: Fault


@dataclass(frozen=True)
class Disk:
    full: bool


@dataclass(frozen=True)
class Restart:
    """The desk quits and starts again on the same files."""


@dataclass(frozen=True)
class ClockStep:
    """The desk's wall clock jumps (an NTP step): the monotonic clock does not."""

    seconds: float


Step = Handle | Faults | Disk | Restart | ClockStep


@dataclass(frozen=True)
class Plan:
    clock_offset_s: float  # the desk's clock against the backends', from the start
    steps: list[Step]
    # The CRM takes a case link with the wrap-up (Zendesk's CrmCapabilities.link_with_wrap_up): links held till then.
    link_with_wrap_up: bool = False


def plans(max_steps: int = 10) -> st.SearchStrategy[Plan]:
    """Shrinks towards fewer steps, no offset, and the plainest of each."""
    faults = st.sampled_from(list(Fault))
    step = st.one_of(
        st.builds(Handle, *[st.booleans()] * 7),
        st.builds(Faults, faults, faults),
        st.builds(Disk, st.booleans()),
        st.just(Restart()),
        st.builds(ClockStep, st.sampled_from([-3600.0, -90.0, 90.0, 3600.0])),
    )
    offsets = st.sampled_from([0.0, -3600.0, 3600.0, -5.0])
    return st.builds(Plan, offsets, st.lists(step, max_size=max_steps), st.booleans())


# --- what the agent wrote back, and what the backends stored -------------------------------------------------


@dataclass
class Written:
    """One write back the agent made: what identifies it in the backend's store."""

    kind: str  # "wrap-up", "transfer record", "follow-up", "callback", "flag", "acknowledgement", "case link"
    contact_id: str
    token: str = ""  # a word only this write's text carries
    customer: Customer | None = None
    evaluation_id: str = ""
    done: bool = False  # the desk said it was done (for the calls it makes itself; the outbox's are counted)
    said: list[str] = field(default_factory=list)  # what the desk said when it was not


@dataclass
class Ledger:
    writes: list[Written] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # every notice
    failures: list[str] = field(default_factory=list)  # background work that ended on an error


class Clock:
    """The desk's wall clock: the true one shifted by `offset_s`, which a step moves."""

    def __init__(self, offset_s: float) -> None:
        self.offset_s = offset_s

    def time(self) -> float:
        return time.time() + self.offset_s

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_s)


async def until(condition: Callable[[], object], what: str, timeout_s: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await asyncio.sleep(0.005)


class RunningDesk:
    """The app's sessions over the faulty backends, started and stopped as the app does (a restart is a new one)."""

    def __init__(self, backends: Backends, clock: Clock, ledger: Ledger) -> None:
        self.backends, self.ledger = backends, ledger
        self.sender = OutboxSender(
            backends.outbox,
            backends.crm,
            retry=Backoff(0.01, 0.05),
            clock=clock.time,
            disk_retry_s=0.02,
            messaging=messaging_of(backends.contact_center),
        )
        self.session = AgentSession(backends, clock.now, disk_retry_s=0.02)
        self.controller, self.desk = self.session.controller, self.session.desk
        self.tasks = [
            asyncio.create_task(self.sender.run(), name="outbox sender"),
            asyncio.create_task(self.controller.follow_contact_center(), name="contact center stream"),
        ]

    def take_notices(self) -> None:
        self.ledger.said += [n.text for n in self.desk.take_changes().notices]

    async def stop(self) -> None:
        self.take_notices()
        for task in self.tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                self.ledger.failures.append(f"{task.get_name()}: {task.exception()!r}")
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.session.aclose()


class WriteBackRun:
    """One plan played on fresh mocks in `folder`."""

    def __init__(self, folder: Path, plan: Plan) -> None:
        self.plan, self.folder = plan, folder
        self.mocks = InProcessMocks(
            MockSettings(data_dir=folder / "mocks", seed=7, customers=40, experts=3, simulator=False, fresh=True)
        )
        self.switch = FaultSwitch()
        self.clock = Clock(plan.clock_offset_s)
        self.ledger = Ledger()
        self.outbox_path = folder / "desk" / "outbox.db"
        self.outbox_path.parent.mkdir(parents=True, exist_ok=True)
        self.disk_full = False
        self.customers: list[Customer] = []
        self.numbers = itertools.count(1)
        self.desk: RunningDesk | None = None
        self.crm_capabilities = CrmCapabilities(link_with_wrap_up=plan.link_with_wrap_up)

    def start_desk(self) -> RunningDesk:
        outbox = FullDiskOutbox(self.outbox_path)
        outbox.full = self.disk_full
        backends = Backends(
            contact_center=FaultyWrites(self.mocks.contact_center(), self.switch, "center", CENTER_WRITES),
            crm=FaultyWrites(self.mocks.crm(self.crm_capabilities), self.switch, "crm", CRM_WRITES),
            presence=self.mocks.presence(),
            outbox=outbox,
            quick_responses=[],
        )
        return RunningDesk(backends, self.clock, self.ledger)

    @property
    def outbox(self) -> FullDiskOutbox:
        assert self.desk is not None
        return self.desk.backends.outbox  # type: ignore[return-value]

    async def play(self) -> Ledger:
        crm = self.mocks.crm()
        found = await crm.search_customers("a")
        self.customers = [c for c in found if c.consent_sms is True and c.phones]
        open_cases = {c.id: any(k.is_open for k in (await crm.customer_record(c.id)).cases) for c in self.customers}
        self.customers.sort(key=lambda c: open_cases[c.id])  # popped from the end: those with a case to link first
        self.desk = self.start_desk()
        try:
            await until(lambda: self.desk is not None and self.desk.desk.agent is not None, "the agent's state")
            for step in self.plan.steps:
                await self.step(step)
            await self.heal()
        finally:
            await self.desk.stop()
            self.outbox.close()
        return self.ledger

    async def close(self) -> None:
        await self.mocks.aclose()

    async def step(self, step: Step) -> None:
        if isinstance(step, Handle):
            await self.handle(step)
        elif isinstance(step, Faults):
            self.switch.faults = {"crm": step.crm, "center": step.center}
        elif isinstance(step, Disk):
            self.disk_full = self.outbox.full = step.full
        elif isinstance(step, Restart):
            await self.restart()
        elif isinstance(step, ClockStep):
            self.clock.offset_s += step.seconds

    async def restart(self) -> None:
        assert self.desk is not None
        await self.desk.stop()
        self.outbox.close()
        self.desk = self.start_desk()
        await until(lambda: self.desk is not None and self.desk.desk.agent is not None, "the agent's state again")

    async def before_retry(self, step: Handle, contact_id: str) -> None:
        """The desk said a write was not taken; the agent sends it again at once, or after quitting and starting
        the desk again (the contact in hand once more, selected)."""
        if not step.restart_before_retry:
            return
        await self.restart()
        assert self.desk is not None
        desk = self.desk.desk
        await until(lambda: contact_id in desk.held, "the call in hand after the restart")
        desk.selected_id = contact_id

    async def handle(self, step: Handle) -> None:
        assert self.desk is not None
        desk, controller = self.desk.desk, self.desk.controller
        if desk.held or len(self.customers) <= 1:
            return  # a wrap-up the disk kept open holds the agent: no offer comes until it is saved (at the end)
        customer = self.customers.pop()
        number = next(self.numbers)
        await controller.go_available()
        contact = await self.mocks.place_call(customer.phones[0], queue_id="billing", subject=f"Call {number}")
        await until(lambda: desk.offer is not None and desk.offer.contact.id == contact.id, "the offer")
        await controller.accept()
        await until(lambda: contact.id in desk.held, "the call in hand")
        desk.selected_id = contact.id
        if step.link:
            await self.link(contact.id)
        if step.flag:
            await self.flag(written := Written("flag", contact.id, f"flag{number}"))
            if not written.done:  # the desk said it was not taken: the agent sends it again
                await self.before_retry(step, contact.id)
                await self.flag_again(written)
        if step.callback:
            await self.callback(written := Written("callback", contact.id, f"callback{number}"))
            if not written.done:
                await self.before_retry(step, contact.id)
                await self.callback_again(written)
        desk, controller = self.desk.desk, self.desk.controller  # a new desk, if it restarted
        if step.transfer:
            self.ledger.writes.append(Written("transfer record", contact.id, f"transfer{number}"))
            await controller.transfer(SALES, note=f"Note transfer{number}")
            # Answered by now: gone, waiting for disk room (its record refused), or refused (a 500: still held, said;
            # the agent transfers again once healed). An answer lost: the desk asked whose the contact is.
            return
        await controller.end()
        await until(lambda: contact.id in desk.held and desk.held[contact.id].phase is Phase.WRAP_UP, "wrap-up")
        self.ledger.writes.append(Written("wrap-up", contact.id, f"wrapup{number}", customer))
        await controller.wrap_up.save_wrap_up(contact.id, DISPOSITION, f"Notes wrapup{number}")
        if contact.id in desk.held:
            return  # the disk refused it: saved by itself when it has room, or by the agent at the end
        if step.follow_up:
            await self.follow_up(Written("follow-up", contact.id, customer=customer))
        if step.evaluated:
            await self.acknowledge(contact.id)

    async def link(self, contact_id: str) -> None:
        """The caller's first open case, if they have one: the contact put on it (the outbox's; held for the wrap-up
        where the CRM takes it so)."""
        assert self.desk is not None
        desk = self.desk.desk
        await until(lambda: contact_id in desk.lookups and desk.lookups[contact_id].done, "the screen pop")
        record = desk.lookups[contact_id].record
        case = next((c for c in record.cases if c.is_open), None) if record is not None else None
        if case is None:
            return
        written = Written("case link", contact_id, case.id)
        self.ledger.writes.append(written)
        before = len(self.ledger.said)
        written.done = await self.desk.controller.caller.link_case(contact_id, case.id) is not None
        self.desk.take_notices()
        written.said += self.ledger.said[before:] if not written.done else []

    # --- the writes the desk makes itself (the outbox's are sent by its sender) ---------------------------

    async def flag(self, written: Written) -> None:
        self.ledger.writes.append(written)
        assert self.desk is not None
        written.done = await self.desk.controller.flags.say(written.contact_id, f"Help {written.token}")

    async def callback(self, written: Written) -> None:
        self.ledger.writes.append(written)
        assert self.desk is not None
        day = (self.mocks.clock.now() + timedelta(days=2)).date().isoformat()
        why = await self.desk.controller.callbacks.schedule(CallbackDraft(day, "10:00", "UTC", written.token))
        written.done = why is None
        written.said += [why] if why else []

    async def follow_up(self, written: Written) -> None:
        if written not in self.ledger.writes:
            self.ledger.writes.append(written)
        assert self.desk is not None
        why = await self.desk.controller.follow_ups.schedule(Channel.SMS, "resolved")
        written.done = why is None
        written.said += [why] if why else []

    async def acknowledge(self, contact_id: str) -> None:
        supervisor = self.mocks.supervisor()
        voice = next(f for f in await supervisor.evaluation_forms() if f.id == "voice-standard")
        answers = {q.id: len(q.scale) - 1 for q in voice.questions()}
        evaluation = await supervisor.evaluate(contact_id, voice.id, answers, "Well done")
        written = Written("acknowledgement", contact_id, evaluation_id=evaluation.id)
        self.ledger.writes.append(written)
        await self.retry_acknowledgement(written)

    async def retry_acknowledgement(self, written: Written) -> None:
        assert self.desk is not None
        written.done = await self.desk.controller.evaluations.acknowledge(written.evaluation_id) is not None

    # --- healed: what the agent does again, then the outbox drains -----------------------------------------

    async def heal(self) -> None:
        self.switch.heal()
        self.disk_full = self.outbox.full = False
        assert self.desk is not None
        desk, controller = self.desk.desk, self.desk.controller
        for written in self.ledger.writes:  # a wrap-up left open (the disk, or a restart): saved again
            if written.kind == "wrap-up" and written.contact_id in desk.held:
                contact_id = written.contact_id
                shown = lambda: contact_id not in desk.held or desk.held[contact_id].phase.wrapping_up  # noqa: B023, E731
                await until(shown, "the wrap-up shown again")
                await controller.wrap_up.save_wrap_up(written.contact_id, DISPOSITION, f"Notes {written.token}")
        for written in self.ledger.writes:  # a transfer not made (its record refused, then a restart): made again
            contact_id = written.contact_id
            if (
                written.kind == "transfer record"
                and contact_id in desk.held
                and contact_id not in controller.wrap_up.transfers_waiting_for_disk
            ):
                desk.selected_id = contact_id
                await controller.transfer(SALES, note=f"Note {written.token}")
        for written in list(self.ledger.writes):  # what the desk said was not done, done again by the agent
            if written.done or written.kind in ("wrap-up", "transfer record", "case link"):
                continue
            if written.kind == "flag" and written.contact_id in desk.held:
                await self.flag_again(written)
            elif written.kind == "callback" and written.contact_id in desk.held:
                desk.selected_id = written.contact_id
                await self.callback_again(written)
            elif written.kind == "acknowledgement":
                await self.retry_acknowledgement(written)
        self.desk.sender.wake()
        deadline = time.monotonic() + DRAINED_WITHIN_S
        wrap_up = controller.wrap_up
        while True:
            drained = not (
                wrap_up.waiting_for_disk
                or wrap_up.transfers_waiting_for_disk
                or wrap_up.records_to_settle
                or wrap_up.transferring
                or self.outbox.held()  # a transfer in flight: its record held till answered
            )
            if drained and self.outbox.counts().pending == 0 and not self._pending_outside_the_agent_view():
                break
            if time.monotonic() > deadline:
                break
            self.mocks.time.advance(0.5)  # a follow-up's message is delivered on the contact center's clock
            await asyncio.sleep(0.01)
        self.desk.take_notices()

    def _pending_outside_the_agent_view(self) -> bool:
        return any(e.state is EntryState.PENDING for e in self.outbox.recent(500))

    async def flag_again(self, written: Written) -> None:
        assert self.desk is not None
        written.done = await self.desk.controller.flags.say(written.contact_id, f"Help {written.token}")

    async def callback_again(self, written: Written) -> None:
        self.ledger.writes.remove(written)
        await self.callback(written)

    # --- what the backends stored, read from their own databases ---------------------------------------------

    def stored(self, written: Written) -> int:
        ccaas = self.mocks.ccaas_app.state.db.conn
        crm = self.mocks.crm_app.state.crm.db.conn
        if written.kind in ("wrap-up", "transfer record"):
            disposition = "Transferred" if written.kind == "transfer record" else DISPOSITION
            rows = crm.execute(
                "select notes from interactions where contact_id = ? and disposition = ?",
                [written.contact_id, disposition],
            ).fetchall()
            return len(rows)
        if written.kind == "follow-up":
            assert written.customer is not None
            phone = written.customer.phones[0]
            return sum(json.loads(data).get("to") == phone for (data,) in ccaas.execute("select data from messages"))
        if written.kind == "callback":
            rows = [json.loads(data) for (data,) in ccaas.execute("select data from scheduled_callbacks")]
            return sum(written.token in (row.get("note") or "") for row in rows)
        if written.kind == "flag":
            flags = [json.loads(data) for (data,) in ccaas.execute("select data from flags")]
            return sum(written.token in json.dumps(line) for flag in flags for line in flag.get("lines", []))
        if written.kind == "case link":
            rows = crm.execute(
                "select count(*) from case_contacts where case_id = ? and contact_id = ?",
                [written.token, written.contact_id],
            ).fetchone()
            return int(rows[0])
        if written.kind == "acknowledgement":
            (data,) = ccaas.execute("select data from evaluations where id = ?", [written.evaluation_id]).fetchone()
            return int(json.loads(data).get("acknowledged_at") is not None)
        raise AssertionError(written.kind)

    def in_the_outbox(self, written: Written) -> str | None:
        """The reason a write of the outbox's kinds is still there (failed, or pending), if it is."""
        outbox = FullDiskOutbox(self.outbox_path)
        try:
            kinds = {
                "wrap-up": EntryKind.INTERACTION,
                "transfer record": EntryKind.INTERACTION,
                "follow-up": EntryKind.FOLLOW_UP,
                "case link": EntryKind.CASE_LINK,
            }
            for entry in outbox.recent(500):
                if (
                    entry.contact_id == written.contact_id
                    and entry.state is not EntryState.SENT
                    and entry.kind is kinds.get(written.kind, entry.kind)
                ):
                    return entry.last_error or ""
        finally:
            outbox.close()
        return None


def check(run: WriteBackRun, ledger: Ledger) -> None:
    """Every write the agent made reached its backend once, or is in the outbox with its reason; the desk's
    background work ended on no error; what it said is words."""
    assert not ledger.failures, f"the desk's background work ended on an error: {ledger.failures}"
    unhandled = [text for text in ledger.said if BACKGROUND_FAILURE in text]
    assert not unhandled, f"an error nobody handled: {unhandled}"
    for text in ledger.said:
        assert text.strip(), f"said, not in words: {text[:200]!r}"
        assert "\n" not in text, f"said, not in words: {text[:200]!r}"
    lost = run.switch.lost
    for written in ledger.writes:
        stored = run.stored(written)
        where = f"{written.kind} of {written.contact_id} ({written.token or written.evaluation_id})"
        if written.kind in ("wrap-up", "transfer record", "follow-up", "case link"):
            if stored == 1:
                continue
            assert stored == 0, f"{where}: stored {stored} times"
            if written.kind in ("follow-up", "case link") and not written.done:
                assert written.said, f"{where}: not queued, and nothing said"
                continue
            reason = run.in_the_outbox(written)
            assert reason is not None, f"{where}: never reached the backend, and not in the outbox"
            assert reason.strip(), f"{where}: left in the outbox with no reason"
            continue
        # The desk's own calls (no outbox): done once healed, and never stored twice — a retry after a lost answer
        # goes out under the first try's Idempotency-Key.
        assert stored >= 1 or not written.done, f"{where}: said done, not stored"
        assert stored >= 1 or written.said or written.kind != "callback", f"{where}: not stored, nothing said"
        assert stored <= 1, f"{where}: stored {stored} times ({sum(lost.values())} answers lost)"
