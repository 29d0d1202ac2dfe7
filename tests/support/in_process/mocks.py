"""The three mock backends built by their own `create_app`, never served: the state of a demo, in-process.

Tests get the desktop's backends over them (`backends()`), the time knob (`time.advance`), and what the
outside world does in a scene (a customer calls or writes), each through the mocks' own routes, as the
supervisor token would over HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.responses import Response

from agent_desktop.domain.assist.protocol import AssistModel, NoAssist
from agent_desktop.domain.capabilities import ContactCenterCapabilities, CrmCapabilities
from agent_desktop.domain.models import Contact, TranscriptItem
from agent_desktop.domain.pci_masked import PciMaskedPresence
from agent_desktop.outbox.store import Outbox
from agent_desktop.services import Backends
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.api.routers import agents, contacts, offers, queues
from agent_desktop_mocks.ccaas.api.routers import conversations as conversation_routes
from agent_desktop_mocks.ccaas.conversations.schemas import ConversationSettingsPatch, CustomerMessageCreate
from agent_desktop_mocks.ccaas.core.wire.requests import ContactCreate, QueuePatch
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.crm_recipients import crm_recipients
from tests.support.in_process.contact_center import InProcessContactCenter
from tests.support.in_process.crm import InProcessCrm
from tests.support.in_process.presence import InProcessPresenceDirectory
from tests.support.in_process.stepped_time import SteppedTime
from tests.support.in_process.supervisor import InProcessSupervisorConsole
from tests.support.in_process.wire import to_desktop
from tests.support.seeded_crm import create_crm

SUPERVISOR = Principal(DEMO_SUPERVISOR_TOKEN, "supervisor", "supervisor")


class InProcessMocks:
    def __init__(self, settings: MockSettings, *, start: datetime | None = None) -> None:
        """`start`: where the mocks' clock begins (now by default, so the desktop's own clock agrees)."""
        self.settings = settings
        self.clock = ManualClock(start or datetime.now(UTC))
        self.ccaas_app = create_ccaas(settings, clock=self.clock)
        self.crm_app = create_crm(settings)
        self.presence_app = create_presence(settings)
        self.engine = self.ccaas_app.state.engine
        # the contact center reads follow-ups' consent from this CRM, as `agent-desktop mocks` points it at its own
        self.ccaas_app.state.recipients = crm_recipients(self.crm_app)
        self.time = SteppedTime(self.clock, self.engine, self.ccaas_app.state.scheduler)

    def contact_center(
        self, agent_id: str = DEMO_AGENT_ID, capabilities: ContactCenterCapabilities | None = None
    ) -> InProcessContactCenter:
        return InProcessContactCenter(self.ccaas_app, agent_id, capabilities)

    def crm(self, capabilities: CrmCapabilities | None = None) -> InProcessCrm:
        return InProcessCrm(self.crm_app, capabilities)

    def presence(self) -> InProcessPresenceDirectory:
        return InProcessPresenceDirectory(self.presence_app)

    def supervisor(self) -> InProcessSupervisorConsole:
        return InProcessSupervisorConsole(self.ccaas_app, self.clock.now)

    def backends(
        self,
        outbox_path: Path | None = None,
        *,
        capabilities: ContactCenterCapabilities | None = None,
        crm_capabilities: CrmCapabilities | None = None,
        supervisor: bool = False,
        assist: AssistModel | None = None,
    ) -> Backends:
        """As agent_desktop/app/backend_factory.py assembles them (presence behind the PCI mask), on these mocks;
        `capabilities`: the mocks as a platform that can do less (no accept/reject, typing, orders...);
        `supervisor`: with the supervisor console too, as `build_backends(..., supervisor=True)`."""
        path = outbox_path or self.settings.data_dir / "desk" / "outbox.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return Backends(
            contact_center=self.contact_center(capabilities=capabilities),
            crm=self.crm(crm_capabilities),
            presence=PciMaskedPresence(self.presence()),
            outbox=Outbox(path),
            supervisor=self.supervisor() if supervisor else None,
            assist=assist or NoAssist(),
        )

    # --- the world outside the desktop ----------------------------------------------------

    async def place_call(
        self,
        from_address: str,
        queue_id: str = "billing",
        channel: str = "voice",
        subject: str | None = None,
        attached: dict[str, Any] | None = None,
    ) -> Contact:
        """A customer calls (or writes): the contact enters a queue, as `POST /v1/contacts` puts it there (with what
        an IVR collected, `attached`: its language, say)."""
        body: dict[str, Any] = {"queue_id": queue_id, "channel": channel, "from_address": from_address}
        if subject:
            body["subject"] = subject
        if attached:
            body["attached"] = attached
        return to_desktop(
            Contact,
            await contacts.create(
                ContactCreate.model_validate(body), SUPERVISOR, self.engine, self.ccaas_app.state.scope
            ),
        )

    async def customer_says(self, contact_id: str, text: str) -> TranscriptItem:
        """The customer writes in a chat, SMS or email (`POST /v1/contacts/{id}/customer-messages`)."""
        api = self.ccaas_app.state.conversations
        said = await conversation_routes.customer_message(contact_id, CustomerMessageCreate(text=text), SUPERVISOR, api)
        return to_desktop(TranscriptItem, said)

    def caller_heard(
        self, contact_id: str, utterance: int, text: str, *, final: bool, speaker: str = "customer"
    ) -> None:
        """A version of a line recognised from a call's audio, as the contact center's recognisers hand it on
        (agent_desktop_mocks/ccaas/call_transcripts/heard_calls.py): the call's script no longer read out, the line
        published to its agent and its supervisors, and a caller's final line read against the said-alert rules.
        `utterance`: the recogniser's count of lines for `speaker` ("customer" or "agent"), from 0."""
        speaker_of_calls = self.ccaas_app.state.call_speaker
        speaker_of_calls.hear_audio_of(contact_id)
        now = self.clock.monotonic()
        assert speaker_of_calls.line_heard(contact_id, speaker, utterance, text, final, now), (
            "the call is not connected"
        )

    async def connect_offer(self, agent_id: str = DEMO_AGENT_ID) -> Contact:
        """The agent's pending offer connected outside the desk: what a platform with no accept/reject API
        does (Amazon Connect's auto-accept, or the agent answering on a softphone)."""
        pending = await agents.offers(agent_id, self.engine)
        agent = Principal(f"{agent_id}-token", "agent", agent_id)
        events = self.ccaas_app.state.event_log
        return to_desktop(Contact, await offers.accept(pending[0].id, agent, self.engine, events, Response()))

    async def set_acw_timeout(self, queue_id: str, seconds: int) -> None:
        """A supervisor shortens the queue's after-contact work (`PATCH /v1/queues/{id}`)."""
        await queues.patch(queue_id, QueuePatch(acw_timeout_s=seconds), SUPERVISOR, self.engine)

    async def set_wrap_up_rule(self, queue_id: str, channel: str, **rule: object) -> None:
        """A supervisor sets the queue's wrap-up rule for a channel (`PATCH /v1/queues/{id}`)."""
        await queues.patch(queue_id, QueuePatch.model_validate({"wrap_up": {channel: rule}}), SUPERVISOR, self.engine)

    async def set_auto_accept(self, queue_id: str, channel: str, after_s: int | None) -> None:
        """A supervisor sets (None: stops) the queue's auto-accept of a channel (`PATCH /v1/queues/{id}`)."""
        patch = QueuePatch.model_validate({"auto_accept": {channel: None if after_s is None else {"after_s": after_s}}})
        await queues.patch(queue_id, patch, SUPERVISOR, self.engine)

    async def set_inactivity_timeout(self, queue_id: str, channel: str, seconds: int | None) -> None:
        """A supervisor sets the queue's customer inactivity timeout (`PATCH /v1/queues/{id}/conversation-settings`)."""
        body = ConversationSettingsPatch.model_validate({"inactivity_timeout_s": {channel: seconds}})
        await conversation_routes.patch_settings(queue_id, body, SUPERVISOR, self.ccaas_app.state.conversations)

    async def aclose(self) -> None:
        """What the servers' lifespans do at shutdown: pending replies cancelled, databases closed."""
        await self.presence_app.state.messenger.aclose()
        await self.ccaas_app.state.recipients.aclose()
        self.ccaas_app.state.db.close()
        self.crm_app.state.crm.db.close()
        self.presence_app.state.directory.db.close()
