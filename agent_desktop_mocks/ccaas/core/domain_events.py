"""What happened in the contact center, as the core reports it: one event per change, in order.

The core returns these rather than publishing them; the shell (engine.py) publishes them once the
change is committed: as Server-Sent Events (publisher.py), to the statistics projection and to
in-process listeners (the simulator; a conversation service can listen the same way with
`Engine.listen`). Each event carries a snapshot of the record as it was right after the change.

A contact's `kind` says what happened to it:
- `queued` (it entered a queue, new or transferred there, or went back after a rejected, expired or
  cancelled offer), `moved` (a supervisor put it in another queue), `offered` (to `agent_id`);
- `connected` (an agent accepted it, or a consult handed it to the consulted agent),
  `held`, `resumed`, `consult` (a consult leg started, was answered, failed or was cancelled);
- `transferred` (blind or after a consult; `from_agent` is the agent who let it go; the contact is
  then queued, offered or gone to an address, as its state says), `ended` (the conversation ended:
  after-contact work begins), `completed` (wrapped up), `abandoned` (the caller gave up);
- `voicemail`: a queued caller left a message (`contact.voicemail`), keeping their place;
- `callback`: the caller asked to be called back (keeping their place), or a dial was not answered
  (a retry is scheduled, or after the last try the contact is completed); `contact.callback` says
  which. An agent accepting a callback is `connected` with `callback.state` = dialling; the customer
  answering is `connected` again with `answered`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Contact, Offer

ContactKind = Literal[
    "queued",
    "moved",
    "offered",
    "connected",
    "held",
    "resumed",
    "consult",
    "transferred",
    "ended",
    "completed",
    "abandoned",
    "callback",
    "voicemail",
    "wrap_up_extended",
]


@dataclass(frozen=True)
class ContactChanged:
    kind: ContactKind
    contact: Contact
    from_agent: str | None = None  # an agent the change concerns besides the contact's own (told too)


@dataclass(frozen=True)
class AgentStateChanged:
    agent: Agent


@dataclass(frozen=True)
class OfferMade:
    offer: Offer


@dataclass(frozen=True)
class OfferClosed:
    """Accepted, rejected, expired or cancelled (its `state` says which)."""

    offer: Offer


@dataclass(frozen=True)
class QueueChanged:
    queue_id: str


@dataclass(frozen=True)
class CallerSelfServed:
    """The IVR's self-service served a caller who chose this queue's option: no contact was queued."""

    queue_id: str
    at: datetime
    intent: str | None
    menu_path: tuple[str, ...]


DomainEvent = ContactChanged | AgentStateChanged | OfferMade | OfferClosed | QueueChanged | CallerSelfServed
