"""What a backend can do, and the agent states it offers: read by the desk instead of assumed.

Real contact centers differ where the desk used to assume the mock's shape (with Twilio's
mapping beside it):

- Twilio TaskRouter: a Reservation is accepted or rejected (offer decision yes), Activities are the agent
  states (each says whether it is routable), no native "next state" (the desk keeps the request and sets
  the Activity itself when the last task completes), no REST typing indicator on Conversations.
- Amazon Connect: no accept/reject API (offers are auto-accepted or taken in the softphone), agent statuses
  are a per-instance catalog.
- Genesys Cloud: consult on voice only, presence definitions are the states, wrap-up codes per queue.
- Zendesk Support as the CRM: users and tickets, no orders or billing objects.

A backend declares its `capabilities` (an attribute, known before any request) and, for a contact center,
answers `state_catalog()`: the states an agent may choose. The command table, footer, palette and card read
both, so a key a backend cannot serve is never offered. Defaults are what the bundled mocks do (everything),
so a backend that declares nothing behaves as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TypeVar, cast

from agent_desktop.domain.models import AgentState, BreakLimit, Channel, TargetKind

ALL_TARGETS: frozenset[TargetKind] = frozenset(TargetKind)


@dataclass(frozen=True)
class ChannelCapabilities:
    """What the contact center can do with a contact of one channel."""

    hold: bool = True
    consult: bool = True
    transfer_to: frozenset[TargetKind] = ALL_TARGETS  # empty: no transfer at all
    typing: bool = True  # the agent's typing is shown to the customer (chat and SMS only in practice)
    read_marks: bool = True  # the agent's read mark reaches the contact center


@dataclass(frozen=True)
class ContactCenterCapabilities:
    """What a routing backend can do; read by the desk's command table (`agent_desktop/agent_desk/commands.py`)."""

    offer_decision: bool = True  # offers can be accepted and rejected through the API (Connect: no)
    native_next_state: bool = True  # the platform takes "next state" itself (Twilio: no, the desk does it)
    queue_priority: bool = True  # a supervisor may change a queue's routing priority
    monitor: bool = False  # a supervisor may monitor, whisper and barge
    # The queues carry a response-time policy per written channel (SLA clocks), and a wrap-up rule per
    # channel (mode, timeout, extension, default disposition) the desk follows; off, nothing of either is shown.
    sla_clocks: bool = True
    wrap_up_rules: bool = True
    my_day: bool = True  # the agent may read their own day (states, offers, contacts today): the "my day" panel
    owned_callbacks: bool = True  # the agent may schedule callbacks of their own, offered to them when due
    # Not-ready reasons carry a maximum length (and the channels they pause); off, a break has no limit.
    break_limits: bool = True
    # The queues say which channels' offers the desk accepts by itself after a countdown; off, none is.
    auto_accept: bool = True
    # An agent raises a flag on a contact, answered in a private thread by the supervisors of its queue;
    # a supervisor broadcasts a message with an expiry to a team's or a queue's agents. Off unless served.
    flags: bool = False
    broadcasts: bool = False
    # The contact center keeps schedules and a forecast (WFM): the agent reads their own shift today, a
    # supervisor a queue's coverage per half-hour; off, neither is offered.
    workforce: bool = True
    # Quality evaluations of finished contacts (forms, scoring, acknowledgement). Off unless served.
    quality: bool = False
    # The contact center rings the agent's own softphone at a SIP contact the desk registers (domain/
    # calls/softphone.py `SoftphoneRegistrar`): the mock's `PUT /v1/agents/{id}/softphone`. Off unless served.
    softphone_contact: bool = False
    # A conversation in hand can be snoozed until a time and a reply scheduled to send later, both held by the
    # contact center (domain/messages/conversation_waits.py `ConversationWaits`): the mock's. Off unless served.
    conversation_waits: bool = False
    # The contact center records calls and the agent may pause a call's recording (card data read out): the mock's
    # `POST /v1/contacts/{id}/recording/pause` (domain/calls/recording.py). Off unless served.
    recording_pause: bool = False
    # The agent places calls, each a contact in hand showing one of its queue's caller IDs: the mock's
    # `POST /v1/agents/{id}/calls` (domain/dialling_protocol.py). Off unless served.
    place_calls: bool = False
    # The agent calls a colleague of the presence directory at their softphone, a contact in hand: the mock's
    # `POST /v1/agents/{id}/calls/internal` (domain/dialling_protocol.py `ColleagueDialler`). Off unless served.
    internal_calls: bool = False
    # A voicemail's recording is served to the agent who has it, to play through the softphone: the mock's
    # `GET /v1/contacts/{id}/voicemail/audio` (domain/calls/recording.py). Off unless served.
    voicemail_audio: bool = False
    channels: Mapping[Channel, ChannelCapabilities] = field(
        default_factory=lambda: MappingProxyType({channel: ChannelCapabilities() for channel in Channel})
    )

    def channel(self, channel: Channel) -> ChannelCapabilities:
        """The channel's capabilities; a channel the backend does not carry can do nothing."""
        return self.channels.get(channel, NO_CHANNEL)


NO_CHANNEL = ChannelCapabilities(hold=False, consult=False, transfer_to=frozenset(), typing=False, read_marks=False)


@dataclass(frozen=True)
class CrmCapabilities:
    """What a CRM holds; the card shows only the tabs it can fill."""

    orders: bool = True
    billing: bool = True  # the account's balance and billing history
    cases: bool = True
    history_transcripts: bool = True  # a past interaction's transcript can be opened
    create_customer: bool = True
    search_customers: bool = True  # by name or account number, for a withheld caller
    supervision: bool = True  # keeps who monitored, whispered or barged on a contact
    timeline: bool = True  # serves the customer's journey, paged (protocols.CustomerTimelines; else the record's)
    # A case link made during a contact travels with its wrap-up (`InteractionCreate.case_id`), one write: a CRM
    # that budgets its updates (Zendesk's Update Ticket: the tag and the comment in one PUT). Else sent at once.
    link_with_wrap_up: bool = False
    # A knowledge base of articles, searched with ranking (domain/knowledge/protocol.py): the mock CRM's, Zendesk's
    # Help Center. The CRM serves it where it also has the protocol's methods.
    knowledge: bool = True


@dataclass(frozen=True)
class StateOption:
    """One state an agent may choose, as the backend defines it (a Twilio Activity, a Genesys presence).

    `kind` is the desk's own category, which is what its rules reason about: AVAILABLE, NOT_READY or
    OFFLINE. `reason` is what a not-ready state is called ("Lunch"), sent back with `set_state`; `id` is the
    backend's own identifier (an Activity SID), for the backend alone.
    """

    id: str
    label: str
    kind: AgentState
    routable: bool
    reason: str | None = None
    limit: BreakLimit | None = None  # a not-ready reason's maximum length, where the backend sets one

    def __post_init__(self) -> None:
        if self.kind not in CHOOSABLE:
            raise ValueError(f"state option {self.id!r}: kind must be one of {sorted(CHOOSABLE)}, not {self.kind}")
        if self.routable != (self.kind == AgentState.AVAILABLE):
            raise ValueError(f"state option {self.id!r}: only an available state is routable")


CHOOSABLE = frozenset({AgentState.AVAILABLE, AgentState.NOT_READY, AgentState.OFFLINE})


def catalog_from_reasons(
    not_ready_reasons: list[str], limits: Mapping[str, BreakLimit] | None = None
) -> tuple[StateOption, ...]:
    """The catalog of a backend with the three fixed states and a list of not-ready reasons (the mocks), each with
    its limit where `limits` names one."""
    limits = limits or {}
    return (
        StateOption("available", AgentState.AVAILABLE.label, AgentState.AVAILABLE, routable=True),
        *(
            StateOption(
                f"not_ready:{reason}",
                reason,
                AgentState.NOT_READY,
                routable=False,
                reason=reason,
                limit=limits.get(reason),
            )
            for reason in not_ready_reasons
        ),
        StateOption("offline", AgentState.OFFLINE.label, AgentState.OFFLINE, routable=False),
    )


def contact_center_capabilities(backend: object) -> ContactCenterCapabilities:
    """What a contact center says it can do; one written before capabilities existed declares nothing and
    is taken to do everything (as it did)."""
    declared = getattr(backend, "capabilities", None)
    return declared if isinstance(declared, ContactCenterCapabilities) else ContactCenterCapabilities()


def crm_capabilities(backend: object) -> CrmCapabilities:
    """What a CRM says it holds (everything, for one that declares nothing)."""
    declared = getattr(backend, "capabilities", None)
    return declared if isinstance(declared, CrmCapabilities) else CrmCapabilities()


# --- a feature a backend may not serve ------------------------------------------------------------
# A feature a backend may not serve (flags, evaluations, monitoring): the backend where it says it serves the
# feature (a capability) and answers it (the protocol's methods), else a stand-in whose every call refuses in one
# sentence (`NotServed`). The desk asks `serves` to decide which keys to offer and takes `resolve`'s port to call.

P = TypeVar("P")


def serves(backend: object, protocol: type, *capabilities: str) -> bool:
    """Whether `backend` says one of `capabilities` (its `capabilities` flags) and answers `protocol` (a
    runtime-checkable Protocol)."""
    said = getattr(backend, "capabilities", None)
    return any(getattr(said, name, False) for name in capabilities) and isinstance(backend, protocol)


def resolve(backend: object, protocol: type, stand_in: Callable[[], P], *capabilities: str) -> P:
    """`backend` as `protocol` where it `serves` it, else `stand_in()`."""
    return cast(P, backend) if serves(backend, protocol, *capabilities) else stand_in()
