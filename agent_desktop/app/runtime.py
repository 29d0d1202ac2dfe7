"""One run of the desktop, built outside the Textual app: from the configuration and the backends, the outbox's
sender and the desks' sessions; started when the app is up and stopped when it ends.

The app (agent_desktop/ui/app.py) is handed a `DeskRuntime` and only draws it: it runs `run()` in a worker once it
is mounted (so an error in the background ends the desk as any worker's does) and awaits `aclose()` when it
unmounts. A desk writes to the outbox and tells nobody: the outbox wakes its sender itself (`Outbox.when_written`),
and tells the runtime, which tells whoever draws the counts (`outbox_changed`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_desktop.agent_desk.drafts.draft_keeper import DISK_RETRY_S
from agent_desktop.agent_desk.session import AgentSession
from agent_desktop.domain.capabilities import crm_capabilities
from agent_desktop.domain.center_clock import center_clock_of
from agent_desktop.domain.messages.protocol import NO_MESSAGING, Messaging
from agent_desktop.domain.models import Agent, SupervisionRecord
from agent_desktop.domain.outbox_counts import OutboxCounts
from agent_desktop.domain.vocabulary import AgentState
from agent_desktop.local.desk_log import current_log_path, desk_log_path
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.outcome import refused_outcome
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, OutboxEntry
from agent_desktop.outbox.supervision import enqueue_supervision
from agent_desktop.services import AgentPorts, AssistPort, Backends, DeskKind, assist_ledger_beside, utc_now

if TYPE_CHECKING:
    from agent_desktop.app.config import Settings
    from agent_desktop.domain.quality.forms import EvaluationRecord
    from agent_desktop.supervisor_desk.session import SupervisorSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskOptions:
    """How the desk runs (not how it looks: the theme, keys and notices are the app's)."""

    desks: tuple[DeskKind, ...] = ("agent",)  # the screens offered, the first shown at start
    clock: Callable[[], datetime] = utc_now  # tests and screenshots fix it
    quit_state: AgentState = AgentState.OFFLINE  # the agent's state when the desk ends
    quit_reason: str | None = None
    outbox_retry: Backoff = field(default_factory=Backoff)  # between failed sends
    disk_retry_s: float = DISK_RETRY_S  # how often a draft or wrap-up the disk refused is written again
    undo_send_s: float = 0.0  # how long an email or SMS waits, with an undo (0: at once)
    longest_wait_alert_s: float = 60.0  # the supervisor's alerts
    max_occupancy_pct: float | None = None
    service_level_alert_min_contacts: int | None = None  # None: the floor's own (the staffing model stays unread)
    assist_daily_token_limit: int = 200_000  # the assistant's tokens a day (`[assist]`, docs/assist.md)
    assist_masks_contact_details: bool = False
    assist_summary_every_lines: int = 3  # the running summary: remade after this many new lines,
    assist_summary_pause_s: float = 3.0  # once the conversation paused this long
    assist_agent_language: str = "en"  # a customer writing in another language is translated both ways
    remote_socket: Path | None = None  # the remote control's socket (docs/remote.md); None: no remote control

    @classmethod
    def from_settings(cls, settings: Settings, desks: tuple[DeskKind, ...]) -> DeskOptions:
        return cls(
            desks=desks,
            quit_state=AgentState(settings.quit_state),
            quit_reason=settings.quit_reason,
            outbox_retry=Backoff(settings.outbox_retry.base_s, settings.outbox_retry.cap_s),
            undo_send_s=settings.desk.undo_send_s,
            longest_wait_alert_s=settings.supervisor.longest_wait_alert_s,
            max_occupancy_pct=settings.supervisor.max_occupancy_pct,
            service_level_alert_min_contacts=settings.supervisor.service_level_alert_min_contacts,
            assist_daily_token_limit=settings.assist.daily_token_limit,
            assist_masks_contact_details=settings.assist.mask_contact_details,
            assist_summary_every_lines=settings.assist.summary_every_lines,
            assist_summary_pause_s=settings.assist.summary_pause_s,
            assist_agent_language=settings.assist.agent_language,
            remote_socket=settings.remote.socket_file() if settings.remote.enabled else None,
        )


class OutboxSession:
    """The outbox for as long as the desk runs, whichever desk is open (a supervisor's too): what a killed desktop
    left in it is sent, and what a desk adds is sent at once (the outbox wakes the sender)."""

    def __init__(
        self,
        backends: Backends,
        *,
        messaging: Messaging = NO_MESSAGING,
        retry: Backoff = Backoff(),
        on_change: Callable[[], object] = lambda: None,
        on_refused: Callable[[OutboxEntry], None] = lambda entry: None,
    ) -> None:
        """`messaging`: the contact center's, as the runtime resolved it (follow-ups are sent through it); `retry`: the
        backoff between failed sends; `on_change`: an entry was written, sent, retried or refused
        (the counts changed; on the event loop, at most once a turn); `on_refused(entry)`: the CRM refused a write
        for good."""
        self._outbox = backends.outbox
        self._on_change = on_change
        self._change_due = False
        self.sender = OutboxSender(
            backends.outbox,
            backends.crm,
            retry=retry,
            on_change=on_change,
            on_refused=on_refused,
            messaging=messaging,  # follow-ups to customers
        )
        # Whether the supervisor's joins, mode changes and leaves are kept: not by a CRM that keeps no such records,
        # nor by a supervisor-only desk made without a CRM (as the benchmarks make it).
        self.keeps_supervision = backends.crm is not None and crm_capabilities(backends.crm).supervision

    @property
    def log_path(self) -> Path:
        """The desk's log (agent_desktop/local/desk_log.py): where it was started, else beside the outbox."""
        return current_log_path() or desk_log_path(self._outbox.path.parent)

    async def run(self) -> None:
        """Send what is due, then each entry as it is written or falls due, until cancelled; the counts are told
        at the start and after each write."""
        loop = asyncio.get_running_loop()

        def written() -> None:  # on the outbox's thread: told once per turn of the loop
            if self._change_due:
                return
            self._change_due = True
            with contextlib.suppress(RuntimeError):  # the loop closed under a late write
                loop.call_soon_threadsafe(self._changed)

        stop_listening = self._outbox.when_written(written)
        try:
            self._on_change()
            await self.sender.run()
        finally:
            stop_listening()

    def _changed(self) -> None:
        self._change_due = False
        self._on_change()

    async def counts(self) -> OutboxCounts:
        """The agent's writes by state, for their status line."""
        return await self._outbox.aio.counts()

    async def record_supervision(self, records: Iterable[SupervisionRecord]) -> None:
        """The supervisor's joins, mode changes and leaves into the outbox for the CRM (then sent). A disk that
        refuses them (full) is tried again every DISK_RETRY_S until it takes them (each record's dedupe key
        keeps one that did land from being added twice). Handed only where the CRM keeps them (`keeps_supervision`:
        the runtime decides once which the supervisor's desk is given)."""
        records = list(records)
        while True:
            try:
                await self._outbox.aio.run(enqueue_supervision, self._outbox, records)
            except LOCAL_WRITE_ERRORS as error:
                log.warning("supervision records not in the outbox yet: %s", why_not_written(error))
                await asyncio.sleep(DISK_RETRY_S)
                continue
            return

    async def record_evaluation(self, record: EvaluationRecord) -> None:
        """A released evaluation into the outbox for the CRM, once however often it is handed here (then sent); as
        `record_supervision` (handed only where the CRM keeps a supervisor's records)."""
        from agent_desktop.outbox.evaluations import enqueue_evaluation  # the supervisor's desk's only

        while True:
            try:
                await self._outbox.aio.run(enqueue_evaluation, self._outbox, record)
            except LOCAL_WRITE_ERRORS as error:
                log.warning("an evaluation is not in the outbox yet: %s", why_not_written(error))
                await asyncio.sleep(DISK_RETRY_S)
                continue
            return


class DeskRuntime:
    """The backends, the outbox's sender and the desks' sessions of one run of the desktop.

    Built before the app (nothing here needs the event loop yet); `run()` is what runs in the background while the
    desk is open, `aclose()` stops it and closes the sessions, then the backends. What the app draws is told through
    two hooks it sets: `outbox_changed()` (the counts may have moved) and `write_refused(title, text, desk)`."""

    def __init__(self, backends: Backends, options: DeskOptions | None = None, *, agent: Agent | None = None) -> None:
        """`agent`: the agent as start-up's access check read them, drawn in the desk's first frame."""
        options = options or DeskOptions()
        if not options.desks:
            raise ValueError("a desk needs at least one screen")
        if "supervisor" in options.desks and backends.supervisor is None:
            raise ValueError("supervisor mode needs a supervisor backend")
        self.backends = backends
        self.options = options
        self.desks = options.desks
        # On the machine's clock (no test or screenshot fixing one), the desk times the contact center's stamps on
        # the contact center's clock as its answers tell it (domain/center_clock.py): right on a machine minutes off.
        self.clock = center_clock_of(backends.contact_center).now if options.clock is utc_now else options.clock
        self.quit_state = options.quit_state
        self.quick_responses = backends.quick_responses
        self.remote_socket = options.remote_socket
        self.outbox_changed: Callable[[], object] = lambda: None
        self.write_refused: Callable[[str, str, DeskKind], None] = lambda title, text, desk: None
        self._waiting: list[Coroutine[Any, Any, None]] = []  # handed over before `run` started
        self._group: asyncio.TaskGroup | None = None
        self._running: asyncio.Task[Any] | None = None
        # The optional features of the agent's desk, resolved once: the backend, or a stand-in that refuses in words.
        assist = AssistPort(
            backends.assist,
            options.assist_daily_token_limit,
            options.assist_masks_contact_details,
            ledger_path=assist_ledger_beside(backends.outbox.path),
            summary_every_lines=options.assist_summary_every_lines,
            summary_pause_s=options.assist_summary_pause_s,
            agent_language=options.assist_agent_language,
        )
        agent_ports = AgentPorts.of(backends.contact_center, assist)
        # Whichever desk is open (a supervisor's too), what a killed desktop left in the outbox is sent.
        self.outbox = OutboxSession(
            backends,
            messaging=agent_ports.messaging,
            retry=options.outbox_retry,
            on_change=lambda: self.outbox_changed(),
            on_refused=self._refused,
        )
        self.agent: AgentSession | None = None
        if "agent" in self.desks:
            self.agent = AgentSession(
                backends,
                self.clock,
                agent=agent,
                disk_retry_s=options.disk_retry_s,
                undo_send_s=options.undo_send_s,
                ports=agent_ports,
            )
        self.supervisor: SupervisorSession | None = None
        if "supervisor" in self.desks and backends.supervisor is not None:
            from agent_desktop.supervisor_desk.ports import SupervisorPorts, kept_nowhere  # only supervisors pay
            from agent_desktop.supervisor_desk.session import SupervisorSession

            keeps = self.outbox.keeps_supervision
            fewest = options.service_level_alert_min_contacts
            self.supervisor = SupervisorSession(
                backends,
                SupervisorPorts.of(backends.supervisor, backends.assist),  # its optional features, resolved once
                self.clock,
                longest_wait_alert_s=options.longest_wait_alert_s,
                max_occupancy_pct=options.max_occupancy_pct,
                record_supervision=self._record_supervision if keeps else kept_nowhere,
                record_evaluation=self._record_evaluation if keeps else kept_nowhere,
                **({} if fewest is None else {"service_level_alert_min_contacts": fewest}),
            )

    @classmethod
    def from_settings(
        cls, settings: Settings, backends: Backends, *, desks: tuple[DeskKind, ...], agent: Agent | None = None
    ) -> DeskRuntime:
        return cls(backends, DeskOptions.from_settings(settings, desks), agent=agent)

    @property
    def log_path(self) -> Path:
        return self.outbox.log_path

    async def outbox_counts(self) -> OutboxCounts:
        """The agent's writes by state (the supervisor's records left out), for their status line."""
        return await self.outbox.counts()

    # --- started when the app is up, stopped when it ends ---------------------------------------------------

    async def run(self) -> None:
        """The outbox sent, and the supervisor's records written to it, until cancelled. An error in any of it
        ends this (and the app that runs it, as any error in its background does)."""
        self._running = asyncio.current_task()
        try:
            async with asyncio.TaskGroup() as group:
                self._group = group
                group.create_task(self.outbox.run(), name="outbox sender")
                waiting, self._waiting = self._waiting, []
                for work in waiting:
                    group.create_task(work)
        except ExceptionGroup as failed:  # the error itself, as the desk's crash message names it
            raise failed.exceptions[0] from None
        finally:
            self._group = None

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        if self._group is None:
            self._waiting.append(work)  # the app is starting: run with the rest
        else:
            self._group.create_task(work)

    def _record_supervision(self, records: list[SupervisionRecord]) -> None:
        self._spawn(self.outbox.record_supervision(records))

    def _record_evaluation(self, record: EvaluationRecord) -> None:
        self._spawn(self.outbox.record_evaluation(record))

    def _refused(self, entry: OutboxEntry) -> None:
        """The CRM refused a write for good: said in words, with the way to fix it (o), on the desk it is of."""
        if entry.kind is EntryKind.SUPERVISION:  # the supervisor's record: never told on the agent's screen
            self.write_refused("CRM refused a supervision record", f"{entry.label}: {entry.last_error}", "supervisor")
            return
        self.write_refused("CRM write refused", refused_outcome(entry), "agent")

    async def leave_routing(self) -> str | None:
        """Take the agent off routing (`quit_state` now, or as the next state while contacts are in hand). What
        went wrong, in one line, if the contact center could not be told; None without an agent's desk."""
        if self.agent is None:
            return None
        why = await self.agent.controller.leave_routing(self.quit_state, self.options.quit_reason)
        if why is None:
            return None
        return f"agent-desktop: could not set you {self.quit_state.label} at the contact center ({why}): you may still be routable"

    async def aclose(self) -> None:
        """Stop what runs (the sender first: nothing is sent through a closed backend), close the sessions (the agent's
        last drafts are written, then its stores closed), then the backends and the outbox."""
        running = self._running
        if running is not None and not running.done():
            running.cancel()
            await asyncio.wait([running])
        for work in self._waiting:  # never started: the desk ended as it began
            work.close()
        self._waiting.clear()
        if self.agent is not None:
            await self.agent.aclose()
        if self.supervisor is not None:
            await self.supervisor.aclose()
        await self.backends.aclose()
