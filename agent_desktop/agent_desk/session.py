"""One run of the desktop's sessions, set up and closed by the app, which only wires them to its screens.

`OutboxSession`: the CRM outbox as either desk uses it (sent in the background, counted, the supervisor's
records added). `AgentSession`: the agent's desk: the local stores opened beside the outbox, the desk built from
what they kept (wrap-ups, unsent replies and private notes typed before a restart), and its controller; the
screen is given the controller and only draws."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.draft_keeper import DISK_RETRY_S
from agent_desktop.agent_desk.drafts import DraftStore, drafts_path_beside
from agent_desktop.agent_desk.private_sqlite import open_or_set_aside
from agent_desktop.domain.capabilities import contact_center_capabilities, crm_capabilities
from agent_desktop.domain.messaging import messaging_of
from agent_desktop.domain.models import Agent, AgentStateEvent, SupervisionRecord
from agent_desktop.local.desk_log import current_log_path, desk_log_path
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import OutboxCounts, OutboxEntry
from agent_desktop.outbox.supervision import enqueue_supervision
from agent_desktop.services import Backends

log = logging.getLogger(__name__)


if TYPE_CHECKING:
    from agent_desktop.domain.quality_models import EvaluationRecord


class OutboxSession:
    """The outbox for as long as the app runs, whichever desk is open (a supervisor's too): what a killed desktop
    left in it is sent, and what a desk adds is sent at once (`written`)."""

    def __init__(
        self,
        backends: Backends,
        *,
        retry: Backoff = Backoff(),
        on_change: Callable[[], object] = lambda: None,
        on_refused: Callable[[OutboxEntry], None] = lambda entry: None,
    ) -> None:
        """`retry`: the backoff between failed sends; `on_change`: an entry was sent, retried or
        refused (the counts changed); `on_refused(entry)`: the CRM refused a write for good."""
        self._outbox = backends.outbox
        self.sender = OutboxSender(
            backends.outbox,
            backends.crm,
            retry=retry,
            on_change=on_change,
            on_refused=on_refused,
            messaging=messaging_of(backends.contact_center),  # follow-ups to customers (issue 47)
        )
        # Whether the supervisor's joins, mode changes and leaves are kept (issue 22): not by a CRM that keeps no
        # such records, nor by a supervisor-only app made without a CRM (as the benchmarks make it).
        self.keeps_supervision = backends.crm is not None and crm_capabilities(backends.crm).supervision

    @property
    def log_path(self) -> Path:
        """The desk's log (agent_desktop/local/desk_log.py): where it was started, else beside the outbox."""
        return current_log_path() or desk_log_path(self._outbox.path.parent)

    async def run(self) -> None:
        """Send what is due, then each entry as it is written or falls due, until cancelled."""
        await self.sender.run()

    def written(self) -> None:
        """An entry was added: send it now."""
        self.sender.wake()

    async def counts(self) -> OutboxCounts:
        """The agent's writes by state, for their status line."""
        return await asyncio.to_thread(self._outbox.counts)

    async def record_supervision(self, records: Iterable[SupervisionRecord]) -> None:
        """The supervisor's joins, mode changes and leaves into the outbox for the CRM, and sent. A disk that
        refuses them (full) is tried again every DISK_RETRY_S until it takes them (each record's dedupe key
        keeps one that did land from being added twice)."""
        if not self.keeps_supervision:
            return
        records = list(records)
        while True:
            try:
                added = await asyncio.to_thread(enqueue_supervision, self._outbox, records)
            except LOCAL_WRITE_ERRORS as error:
                log.warning("supervision records not in the outbox yet: %s", why_not_written(error))
                await asyncio.sleep(DISK_RETRY_S)
                continue
            if added:
                self.written()
            return

    async def record_evaluation(self, record: EvaluationRecord) -> None:
        """A released evaluation into the outbox for the CRM (issue 47), once however often it is handed here, and
        sent; as `record_supervision` (a supervisor's record: not kept by a CRM that keeps none)."""
        if not self.keeps_supervision:
            return
        from agent_desktop.outbox.evaluations import enqueue_evaluation  # the supervisor's desk's only

        while True:
            try:
                await asyncio.to_thread(enqueue_evaluation, self._outbox, record)
            except LOCAL_WRITE_ERRORS as error:
                log.warning("an evaluation is not in the outbox yet: %s", why_not_written(error))
                await asyncio.sleep(DISK_RETRY_S)
                continue
            self.written()
            return


class AgentSession:
    """The agent's desk and its controller, over the backends and the stores beside the outbox."""

    def __init__(
        self,
        backends: Backends,
        now: Callable[[], datetime],
        *,
        outbox_written: Callable[[], None] = lambda: None,
        agent: Agent | None = None,
        disk_retry_s: float = DISK_RETRY_S,
        undo_send_s: float = 0.0,
    ) -> None:
        """`outbox_written`: the app's sender sends what was just added (and shows the counts); `agent`: the
        agent as the contact center answered start-up's access check, the desk's state until its stream's
        snapshot (the first frame shows it rather than waiting for the stream to connect); `disk_retry_s`: how
        often a write the disk refused is tried again; `undo_send_s`: how long an email or SMS waits, with an undo,
        before it leaves (0: at once)."""
        outbox = backends.outbox
        # A store that cannot be read is set aside (the desk starts without it and says so), never a crash.
        self.drafts, wrap_up_drafts, drafts_set_aside = open_or_set_aside(
            DraftStore, drafts_path_beside(outbox.path), DraftStore.load, "wrap-up drafts"
        )
        self.conversation_drafts, (composer_drafts, notes), conversations_set_aside = open_or_set_aside(
            ConversationDraftStore, conversation_drafts_path_beside(outbox.path), ConversationDraftStore.load,
            "unsent replies and private notes",
        )  # fmt: skip
        self.set_aside = [found for found in (drafts_set_aside, conversations_set_aside) if found is not None]
        self.desk = Desk(
            backends.contact_center.agent_id, wrap_up_drafts, composer_drafts, notes,
            capabilities=contact_center_capabilities(backends.contact_center),
            crm_capabilities=crm_capabilities(backends.crm),
        )  # fmt: skip
        self.desk.held_sends.delay_s = undo_send_s
        if agent is not None:
            self.desk.apply(AgentStateEvent(agent=agent))
        self.controller = DeskController(
            self.desk, backends.contact_center, backends.crm, backends.presence, outbox,
            drafts=self.drafts, conversation_drafts=self.conversation_drafts, now=now, outbox_written=outbox_written,
            disk_retry_s=disk_retry_s,
        )  # fmt: skip

    async def aclose(self) -> None:
        """Stop the controller's work (drafts typed in the last moments are written first), then the stores."""
        await self.controller.aclose()
        self.drafts.close()
        self.conversation_drafts.close()
