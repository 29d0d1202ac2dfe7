"""What the Twilio mock's routes share (`app.state.twilio`): the CCaaS engine, the SIDs, the workspace's
Activities, and what TaskRouter keeps that the engine does not (which reservation a task was accepted
through, attributes written to a task)."""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from fastapi import Depends, Request

from agent_desktop_mocks.ccaas.conversations.api import ConversationApi
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent, OfferMade
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.ccaas.voice.voice_leg import VoiceLeg
from agent_desktop_mocks.twilio.messaging.opt_outs import OptOuts
from agent_desktop_mocks.twilio.settings import TwilioMockSettings
from agent_desktop_mocks.twilio.sids import Sids
from agent_desktop_mocks.twilio.task_segments import TaskSegments
from agent_desktop_mocks.twilio.voice import VoiceCalls

AVAILABLE = "Available"
OFFLINE = "Offline"
RESERVATIONS_KEPT = 200


@dataclass(frozen=True)
class Activity:
    sid: str
    name: str
    available: bool
    state: AgentState
    reason: str | None = None


@dataclass
class TwilioState:
    engine: Engine
    settings: TwilioMockSettings
    sids: Sids
    activities: list[Activity] = field(default_factory=list)
    accepted_through: dict[str, str] = field(default_factory=dict)  # contact id → the offer accepted
    last_offer: dict[str, str] = field(default_factory=dict)  # contact id → the last offer made of it
    task_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # contact id → written attributes
    conversations: ConversationApi | None = (
        None  # the CCaaS's conversation service (chat, SMS): routers/conversations.py
    )
    message_attributes: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # item id → a message's Attributes as sent
    # contact id → the Attributes of a customer's message being written, claimed by its item as it is published
    customer_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    voice: VoiceCalls = field(default_factory=VoiceCalls)  # the calls' conferences (voice.py)
    # A worker's reservations, newest last (offers made since this mock started: it keeps no history of its own)
    offers_of: defaultdict[str, deque[str]] = field(
        default_factory=lambda: defaultdict(lambda: deque(maxlen=RESERVATIONS_KEPT))
    )
    tasks: TaskSegments = field(default_factory=TaskSegments)  # a contact's task now, and those Invites ended
    opt_outs: OptOuts = field(default_factory=OptOuts)  # who texted STOP to the SMS number (messaging/opt_outs.py)
    # agent id → the Worker's Attributes as UpdateWorker last wrote them (replacing the mock's own): `contact_uri`
    worker_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the CCaaS's real calls (a `sip:` contact_uri on loopback is rung by the conference instruction); None: none
    voice_leg: VoiceLeg | None = None

    @classmethod
    def over(
        cls, engine: Engine, settings: TwilioMockSettings, conversations: ConversationApi | None = None
    ) -> TwilioState:
        state = cls(engine, settings, Sids(settings.workspace_sid), conversations=conversations)
        reasons: list[str] = []
        for agent in engine.read.agents():
            reasons += [r for r in agent.not_ready_reasons if r not in reasons]
        wa = state.sids.of
        state.activities = [
            Activity(wa("WA", "available"), AVAILABLE, True, AgentState.AVAILABLE),
            Activity(wa("WA", "offline"), OFFLINE, False, AgentState.OFFLINE),
            *(Activity(wa("WA", f"not_ready:{r}"), r, False, AgentState.NOT_READY, r) for r in reasons),
            Activity(wa("WA", "missed"), settings.missed_activity, False, AgentState.MISSED),
        ]
        for agent in engine.read.agents():
            state.sids.of("WK", agent.id)
        for queue in engine.read.queues():
            state.sids.of("WQ", queue.id)
        engine.listen(state._remember)
        return state

    def _remember(self, events: list[DomainEvent]) -> None:
        for event in events:
            # The engine reports an accepted offer as its contact connected (no offer_closed): the offer
            # accepted is the last one made of the contact.
            if isinstance(event, OfferMade):
                self.offers_of[event.offer.agent_id].append(event.offer.id)
                self.tasks.offer_made(event.offer.id, event.offer.contact.id)
                self.last_offer[event.offer.contact.id] = event.offer.id
            elif (
                isinstance(event, ContactChanged) and event.kind == "connected" and event.contact.id in self.last_offer
            ):
                self.accepted_through[event.contact.id] = self.last_offer[event.contact.id]

    def activity_of(self, agent_id: str) -> Activity:
        chosen, reason = self.engine.read.chosen_state(agent_id)
        upcoming = self.engine.read.agent(agent_id).next_state
        if upcoming is not None:  # set through UpdateWorker with tasks in hand (routers/workers.py): the Activity now
            chosen, reason = upcoming.state, upcoming.reason
        for activity in self.activities:
            if activity.state == chosen and (chosen != AgentState.NOT_READY or activity.reason == reason):
                return activity
        return self.activities[1]

    def activity_by_sid(self, sid: str) -> Activity | None:
        return next((a for a in self.activities if a.sid == sid), None)

    def task_sid(self, contact_id: str) -> str:
        """The SID of the contact's task now (a new one after each Flex Interactions Invite: task_segments.py)."""
        return self.tasks.task_sid(contact_id)

    def attributes(self, contact_id: str) -> dict[str, Any]:
        return self.task_attributes.get(contact_id, {})

    def write_attributes(self, contact_id: str, text: str) -> dict[str, Any]:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("Attributes must be a JSON object")
        self.task_attributes[contact_id] = value
        return value


async def _twilio(request: Request) -> TwilioState:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(TwilioState, request.app.state.twilio)


Twilio = Annotated[TwilioState, Depends(_twilio)]
