"""The agent's session, built and closed by the desk's runtime (agent_desktop/app/runtime.py): the local stores
opened beside the outbox, the desk built from what they kept (wrap-ups, unsent replies and private notes typed
before a restart), and its controller; the screen is given the controller and only draws. What the desk writes to
the outbox is sent by the outbox's own sender, which the outbox wakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.draft_keeper import DISK_RETRY_S
from agent_desktop.agent_desk.drafts.drafts import DraftStore, drafts_path_beside
from agent_desktop.agent_desk.private_sqlite import open_or_set_aside
from agent_desktop.domain.capabilities import contact_center_capabilities, crm_capabilities
from agent_desktop.domain.models import Agent, AgentStateEvent
from agent_desktop.services import AgentPorts, AssistPort, Backends


class AgentSession:
    """The agent's desk and its controller, over the backends and the stores beside the outbox."""

    def __init__(
        self,
        backends: Backends,
        now: Callable[[], datetime],
        *,
        agent: Agent | None = None,
        disk_retry_s: float = DISK_RETRY_S,
        undo_send_s: float = 0.0,
        ports: AgentPorts | None = None,
    ) -> None:
        """`agent`: the agent as the contact center answered start-up's access check, the desk's state until its
        stream's snapshot (the first frame shows it rather than waiting for the stream to connect); `disk_retry_s`:
        how often a write the disk refused is tried again; `undo_send_s`: how long an email or SMS waits, with an undo,
        before it leaves (0: at once); `ports`: the optional features as the runtime resolved them."""
        outbox = backends.outbox
        # A store that cannot be read is set aside (the desk starts without it and says so), never a crash.
        self.drafts, wrap_up_drafts, drafts_set_aside = open_or_set_aside(
            DraftStore, drafts_path_beside(outbox.path), DraftStore.load, "wrap-up drafts"
        )
        self.conversation_drafts, (composer_drafts, notes), conversations_set_aside = open_or_set_aside(
            ConversationDraftStore,
            conversation_drafts_path_beside(outbox.path),
            ConversationDraftStore.load,
            "unsent replies and private notes",
        )
        self.set_aside = [found for found in (drafts_set_aside, conversations_set_aside) if found is not None]
        self.desk = Desk(
            backends.contact_center.agent_id,
            wrap_up_drafts,
            composer_drafts,
            notes,
            capabilities=contact_center_capabilities(backends.contact_center),
            crm_capabilities=crm_capabilities(backends.crm),
        )
        self.desk.held_sends.delay_s = undo_send_s
        if agent is not None:
            self.desk.apply(AgentStateEvent(agent=agent))
        self.controller = DeskController(
            self.desk,
            backends.contact_center,
            backends.crm,
            backends.presence,
            outbox,
            drafts=self.drafts,
            conversation_drafts=self.conversation_drafts,
            now=now,
            disk_retry_s=disk_retry_s,
            ports=ports if ports is not None else AgentPorts.of(backends.contact_center, AssistPort(backends.assist)),
            softphone=backends.softphone,
        )

    async def aclose(self) -> None:
        """Stop the controller's work (drafts typed in the last moments are written first), then the stores."""
        await self.controller.aclose()
        self.drafts.close()
        self.conversation_drafts.close()
