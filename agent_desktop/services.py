"""The service container the app is given: one object per backend kind, seen only through its protocol,
and the outbox; and the agent's optional features as ports, resolved once from it by the runtime. No implementation
is named here (agent_desktop/app/backend_factory.py picks them)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from agent_desktop.domain.assist.protocol import AssistModel, NoAssist, assist_model
from agent_desktop.domain.calls.recording import CallRecorder, VoicemailAudio, call_recorder, voicemail_audio
from agent_desktop.domain.calls.softphone import NoSoftphone, Softphone, SoftphoneRegistrar, softphone_registrar
from agent_desktop.domain.dialling_protocol import ColleagueDialler, Dialler, colleague_dialler, dialler
from agent_desktop.domain.flags.protocol import AgentFlags, agent_flags
from agent_desktop.domain.messages.conversation_waits import ConversationWaits, conversation_waits
from agent_desktop.domain.messages.protocol import Messaging, messaging_of
from agent_desktop.domain.protocols import ContactCenter, Crm, PresenceDirectory
from agent_desktop.domain.quality.protocol import AgentQuality, agent_quality
from agent_desktop.outbox.store import Outbox, default_outbox_path
from agent_desktop.writing_aids.quick_responses import QuickResponse, load_quick_responses

if TYPE_CHECKING:
    from agent_desktop.domain.supervisor.protocol import SupervisorConsole

# Which desk a screen of the app is (not agent_desktop.agent_desk.Desk, the agent's desk model).
DeskKind = Literal["agent", "supervisor"]


def utc_now() -> datetime:
    """The desk's clock, unless a test or a screenshot fixes one."""
    return datetime.now(UTC)


@dataclass
class Backends:
    """What the app is given: one object per backend kind, seen only through its protocol."""

    contact_center: ContactCenter
    crm: Crm
    presence: PresenceDirectory
    # CRM writes wait here (a local SQLite file) until the CRM has them.
    outbox: Outbox = field(default_factory=lambda: Outbox(default_outbox_path()))
    # Supervisor mode (`agent-desktop supervisor`, or the demo): None for an agent's desktop.
    supervisor: SupervisorConsole | None = None
    # The team's quick responses (a TOML file; the shipped one unless `quick_responses_path` says).
    quick_responses: list[QuickResponse] = field(default_factory=load_quick_responses)
    # The assistant's model (`[assist]`, docs/assist.md): the stand-in that refuses every call unless configured.
    assist: AssistModel = field(default_factory=NoAssist)
    # The softphone that carries calls' sound (`[softphone]`, docs/voice.md): the stand-in unless configured.
    softphone: Softphone = field(default_factory=NoSoftphone)
    # The supervisor's own (`[softphone]` too, its own baresip): where a call they take over rings.
    supervisor_softphone: Softphone = field(default_factory=NoSoftphone)

    async def aclose(self) -> None:
        backends = (self.contact_center, self.crm, self.presence, self.supervisor, self.assist, self.softphone)
        for backend in (*backends, self.supervisor_softphone):
            if backend is not None:
                await backend.aclose()
        self.outbox.close()


def assist_ledger_beside(outbox_path: Path) -> Path:
    """Where the assistant's tokens spent today are kept: beside the outbox, so a restarted desk is no new allowance."""
    return outbox_path.with_name("assist-tokens.json")


@dataclass(frozen=True)
class AssistPort:
    """The assistant as the agent's desk uses it: the model (or the stand-in), the day's token allowance, whether
    contact details are masked too, where the day's count is kept (None: in memory), and how often the running
    summary is remade (after so many new lines, once the conversation paused so long)."""

    model: AssistModel = field(default_factory=NoAssist)
    daily_token_limit: int = 200_000
    mask_contact_details: bool = False
    ledger_path: Path | None = None
    summary_every_lines: int = 3
    summary_pause_s: float = 3.0
    agent_language: str = "en"  # a customer writing in another is translated both ways

    @property
    def suggests_replies(self) -> bool:
        return self.model.capabilities.replies


@dataclass(frozen=True)
class AgentPorts:
    """The agent's optional features, resolved once from the contact center by the runtime (agent_desktop/app/
    runtime.py): the contact center itself where it serves a feature, else a stand-in that refuses in one sentence
    ("Flags are not on this contact center."). The desk never holds None for a feature and never asks a port's type:
    which keys are offered is read from the capabilities (agent_desk/commands.py)."""

    flags_backend: AgentFlags  # a flag raised to the supervisors, and its thread
    quality_backend: AgentQuality  # the agent's evaluations, acknowledged
    messaging: Messaging  # follow-ups to customers: its channels are the ones offered (none: the stand-in's)
    assist: AssistPort = field(default_factory=AssistPort)  # suggested replies (none: the stand-in model's)
    # where the contact center rings the desk's softphone, told at sign-in (none: the stand-in, which refuses)
    registrar: SoftphoneRegistrar = field(default_factory=lambda: softphone_registrar(None))
    # a conversation snoozed, a reply scheduled, held by the contact center (none: the stand-in, which refuses)
    waits: ConversationWaits = field(default_factory=lambda: conversation_waits(None))
    # pauses a call's recording at the contact center (none: the stand-in, which refuses)
    recorder: CallRecorder = field(default_factory=lambda: call_recorder(None))
    # places the agent's calls (none: the stand-in, which refuses)
    dialler: Dialler = field(default_factory=lambda: dialler(None))
    # calls a colleague of the directory (none: the stand-in, which refuses)
    colleagues: ColleagueDialler = field(default_factory=lambda: colleague_dialler(None))
    # serves the voicemail in hand's recording, to play (none: the stand-in, which refuses)
    voicemails: VoicemailAudio = field(default_factory=lambda: voicemail_audio(None))

    @classmethod
    def of(cls, contact_center: object, assist: AssistPort | None = None) -> AgentPorts:
        if assist is not None:
            assist = replace(assist, model=assist_model(assist.model))
        return cls(
            flags_backend=agent_flags(contact_center),
            quality_backend=agent_quality(contact_center),
            messaging=messaging_of(contact_center),
            assist=assist or AssistPort(),
            registrar=softphone_registrar(contact_center),
            waits=conversation_waits(contact_center),
            recorder=call_recorder(contact_center),
            dialler=dialler(contact_center),
            colleagues=colleague_dialler(contact_center),
            voicemails=voicemail_audio(contact_center),
        )
