"""The agent's desk for one run of the desktop: the local stores opened beside the outbox, the desk built from
what they kept (wrap-ups, unsent replies and private notes typed before a restart), and its controller. The
app sets it up and closes it; the screen is given the controller and only draws."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desktop.backends.capabilities import contact_center_capabilities, crm_capabilities
from desktop.backends.container import Backends
from desktop.backends.models import Agent, AgentStateEvent
from desktop.desk.controller import DeskController
from desktop.desk.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from desktop.desk.desk import Desk
from desktop.desk.drafts import DraftStore, drafts_path_beside


class AgentSession:
    def __init__(
        self,
        backends: Backends,
        now: Callable[[], datetime],
        *,
        outbox_written: Callable[[], None] = lambda: None,
        agent: Agent | None = None,
    ) -> None:
        """`outbox_written`: the app's sender sends what was just added (and shows the counts); `agent`: the
        agent as the contact center answered start-up's access check, the desk's state until its stream's
        snapshot (the first frame shows it rather than waiting for the stream to connect)."""
        outbox = backends.outbox
        self.drafts = DraftStore(drafts_path_beside(outbox.path))
        self.conversation_drafts = ConversationDraftStore(conversation_drafts_path_beside(outbox.path))
        composer_drafts, notes = self.conversation_drafts.load()
        self.desk = Desk(
            backends.contact_center.agent_id, self.drafts.load(), composer_drafts, notes,
            capabilities=contact_center_capabilities(backends.contact_center),
            crm_capabilities=crm_capabilities(backends.crm),
        )  # fmt: skip
        if agent is not None:
            self.desk.apply(AgentStateEvent(agent=agent))
        self.controller = DeskController(
            self.desk, backends.contact_center, backends.crm, backends.presence, outbox,
            drafts=self.drafts, conversation_drafts=self.conversation_drafts, now=now, outbox_written=outbox_written,
        )  # fmt: skip

    async def aclose(self) -> None:
        """Stop the controller's work (drafts typed in the last moments are written first), then the stores."""
        await self.controller.aclose()
        self.drafts.close()
        self.conversation_drafts.close()
