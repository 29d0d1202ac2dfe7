"""The desktop's vocabulary: the channels, the states of agents, contacts, offers and consults, who speaks in a
conversation, a supervisor's modes, a colleague's presence, and the predicates over them ("talking", "in hand").

One place that the desk (agent_desktop/agent_desk), the supervisor's floor (agent_desktop/staffing) and the screens (agent_desktop/ui) read;
the wire models (agent_desktop/domain/models/) are built on it and re-export it for the backends. It imports nothing
of the desktop's, nor pydantic nor Textual (an import-linter contract says so). The mock servers keep their own
enums; tests/contract/backends/test_wire_form_contract.py proves the two agree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING


class _Worded(StrEnum):
    """A value whose members are written with the words a person reads for them (`label`), beside the value:
    `NOT_READY = "not_ready", "Not ready"`; its value is the value alone."""

    _value_: str
    label: str

    if TYPE_CHECKING:  # mypy takes `__new__` for the signature of a look-up, `AgentState("busy")`: that one

        def __new__(cls, value: str) -> _Worded: ...

    else:

        def __new__(cls, value: str, label: str) -> _Worded:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"


class AgentState(_Worded):
    OFFLINE = "offline", "Offline"
    AVAILABLE = "available", "Available"
    NOT_READY = "not_ready", "Not ready"
    # System states: set by the contact center, never requested by the agent.
    OFFERED = "offered", "Offered"
    BUSY = "busy", "Busy"
    AFTER_CONTACT_WORK = "after_contact_work", "After contact work"
    MISSED = "missed", "Missed"


class ContactState(StrEnum):
    QUEUED = "queued"
    OFFERED = "offered"
    CONNECTED = "connected"
    ON_HOLD = "on_hold"
    AFTER_CONTACT_WORK = "after_contact_work"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


# The one spelling of these two sets on the desktop (the desk, the supervisor's floor and the screens read
# them; the mock keeps its own, and tests/contract/backends/test_wire_form_contract.py proves the two agree):
# a contact the agent is talking to (connected, or holding), and one in their hands (talking, or in
# after-contact work).
TALKING = frozenset({ContactState.CONNECTED, ContactState.ON_HOLD})


IN_HAND = TALKING | {ContactState.AFTER_CONTACT_WORK}

# An agent on the floor who takes no contact: not ready, or missed an offer (the supervisor's not-ready
# column, the work log's spells away, a cause of a low service level). Spelt here only.
AWAY = frozenset({AgentState.NOT_READY, AgentState.MISSED})


class TargetKind(_Worded):
    QUEUE = "queue", "Queue"
    AGENT = "agent", "Agent"
    ADDRESS = "address", "Expert"  # a sip: or tel: address from the presence directory


class ConsultState(StrEnum):
    RINGING = "ringing"
    CONNECTED = "connected"
    FAILED = "failed"


class OfferState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ParticipantRole(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    SYSTEM = "system"
    SUPERVISOR = "supervisor"


class MonitorMode(_Worded):
    """Twilio's `supervise` modes: silent, a line to the agent only, or writing to the customer."""

    MONITOR = "monitor", "Monitoring"
    WHISPER = "whisper", "Whispering"
    BARGE = "barge", "Barged in"


class Availability(StrEnum):
    """Microsoft Graph presence availability values."""

    AVAILABLE = "Available"
    AVAILABLE_IDLE = "AvailableIdle"
    AWAY = "Away"
    BE_RIGHT_BACK = "BeRightBack"
    BUSY = "Busy"
    BUSY_IDLE = "BusyIdle"
    DO_NOT_DISTURB = "DoNotDisturb"
    OFFLINE = "Offline"
    UNKNOWN = "PresenceUnknown"

    @property
    def is_free(self) -> bool:
        return self in (Availability.AVAILABLE, Availability.AVAILABLE_IDLE)
