"""What applying an event asks of the world (effects) and what it changed for the screen (changes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent_desktop.domain.changes import Notice
from agent_desktop.domain.vocabulary import AgentState


@dataclass(frozen=True)
class LookUpCaller:
    """Start the CRM lookup of a contact's caller, now (in the turn the event was parsed)."""

    contact_id: str
    address: str
    account: str | None = None  # verified by the IVR: looked up first, before the address


@dataclass(frozen=True)
class LoadQueues:
    """The contact-center link came (back) up: queues and dispositions may have changed."""


@dataclass(frozen=True)
class SearchExperts:
    """The presence link came (back) up, or the search changed: fetch the experts listed."""

    search: str
    skill: str | None


@dataclass(frozen=True)
class ForgetDraft:
    contact_id: str


@dataclass(frozen=True)
class CustomerWrote:
    """The customer wrote in a chat, SMS or email in hand (or one was accepted with their message last): the
    assistant's model suggests a reply where one is configured, else the knowledge base suggests articles."""

    contact_id: str


@dataclass(frozen=True)
class LoadConversation:
    """A chat, SMS or email came into hand, or the link came back: (re)read its conversation and newest page."""

    contact_id: str


@dataclass(frozen=True)
class LoadStateCatalog:
    """The contact-center link came (back) up: the states an agent may choose may have changed."""


@dataclass(frozen=True)
class TakeNextState:
    """The last contact in hand is done and the contact center keeps no next state: the desk sets it."""

    state: AgentState
    reason: str | None = None


@dataclass(frozen=True)
class SaveTimedOut:
    """A time-boxed wrap-up ran out: what was typed is saved with the chosen or the default code."""

    contact_id: str


@dataclass(frozen=True)
class SendHeld:
    """A conversation ended while a message of the agent waited to leave (held_sends.py): it is sent now, as a mail
    client sends it; refused, it goes back to the composer."""

    contact_id: str


@dataclass(frozen=True)
class OptedOut:
    """The customer texted an opt-out keyword (STOP) in an SMS conversation: their SMS consent is withdrawn in the
    CRM, once."""

    contact_id: str


@dataclass(frozen=True)
class GiveBack:
    """A reply the agent scheduled came back (the customer wrote first): its text goes back to the composer, before
    what was typed since, kept as a draft (nothing is lost)."""

    contact_id: str
    text: str


Effect = (
    LookUpCaller
    | LoadQueues
    | LoadStateCatalog
    | SearchExperts
    | ForgetDraft
    | LoadConversation
    | TakeNextState
    | SaveTimedOut
    | SendHeld
    | OptedOut
    | CustomerWrote
    | GiveBack
)


@dataclass
class DeskChanges:
    """What the screen must redraw since it last drew (it reads the desk for the new values): the agent desk's
    `Changes` (agent_desktop/domain/changes.py)."""

    agent: bool = False
    offer: bool = False
    contacts: set[str] = field(default_factory=set)  # contact ids whose row changed (added, updated or gone)
    selection: bool = False
    card: bool = False  # the caller's record on the card (the popped contact or its lookup)
    wrap_up: bool = False  # which contact the wrap-up form shows
    queues: bool = False
    links: bool = False
    ring: bool = False
    flags: bool = False  # a flag raised, answered or closed on a contact in hand
    broadcasts: bool = False  # a supervisor's broadcast came or expired
    conversations: set[str] = field(default_factory=set)  # contact ids whose conversation changed
    # contact ids whose suggested reply or suggested articles alone changed: the area above the composer, nothing else
    suggestions: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)  # contact ids whose call was heard say something (a line's version)
    levels: set[str] = field(default_factory=set)  # contact ids whose call's sound levels changed (its area's bars)
    notices: list[Notice] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.agent,
                self.offer,
                self.contacts,
                self.selection,
                self.card,
                self.wrap_up,
                self.queues,
                self.links,
                self.ring,
                self.flags,
                self.broadcasts,
                self.conversations,
                self.suggestions,
                self.calls,
                self.levels,
                self.notices,
            )
        )
