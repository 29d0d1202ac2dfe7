"""`ContactCenter` over the mock CCaaS's own engine and conversation service, in-process.

Every call is the mock's route function itself (agent_desktop_mocks/ccaas/api/routers/), handed what FastAPI
would have resolved: the engine, the conversation API and the caller's `Principal`. So the agent acts
on its own agent, offers and contacts only, by the API's own checks (`agent_or_supervisor`,
`require_owner`, `handled_contact`, the conversation API's `_readable`/`_writable`), and is refused
in the same words. Events come from the agent's topic of the same `EventLog` the SSE route streams.
Time is the mocks' `ManualClock` (stepped_time.py): nothing here sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from fastapi import FastAPI, Response
from pydantic import TypeAdapter, ValidationError

from agent_desktop.adapters.wire.answer_event_ids import EVENT_IDS_HEADER, read_event_ids
from agent_desktop.domain.calls.scheduled_callback import ScheduledCallback
from agent_desktop.domain.capabilities import (
    ChannelCapabilities,
    ContactCenterCapabilities,
    StateOption,
    catalog_from_reasons,
)
from agent_desktop.domain.dialling_protocol import PlacedCall
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.flags.protocol import flag_snapshot
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    AgentStateEvent,
    Channel,
    Colleague,
    Contact,
    ContactCenterEvent,
    ContactEvent,
    Conversation,
    Evaluation,
    Flag,
    Offer,
    OfferEvent,
    Queue,
    StreamEvent,
    Target,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop.domain.workforce.agent_day import AgentDay
from agent_desktop.domain.workforce.models import AgentSchedule
from agent_desktop_mocks.ccaas.api.dependencies import agent_or_supervisor, agents_own_view, handled_contact
from agent_desktop_mocks.ccaas.api.routers import agents, callbacks, contacts, offers, queues, workforce
from agent_desktop_mocks.ccaas.api.routers import conversations as conversation_routes
from agent_desktop_mocks.ccaas.api.routers import flags as flag_routes
from agent_desktop_mocks.ccaas.api.routers import quality as quality_routes
from agent_desktop_mocks.ccaas.api.routers.voice import placed_calls, recordings, voicemails
from agent_desktop_mocks.ccaas.conversations import schemas as conversation_schemas
from agent_desktop_mocks.ccaas.core.wire.requests import (
    Completion,
    InternalCallRequest,
    NextStateChange,
    PlaceCallRequest,
    StateChange,
    TransferRequest,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact as MockContact
from agent_desktop_mocks.ccaas.flags.schemas import FlagCreate, FlagLineCreate
from agent_desktop_mocks.ccaas.quality.schemas import DisputeCreate
from agent_desktop_mocks.ccaas.scheduled.schemas import CallbackSchedule
from agent_desktop_mocks.ccaas.shell.publisher import agent_topic
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.event_subscription import LoggedEvent, Subscription
from tests.support.in_process.messaging import InProcessMessaging
from tests.support.in_process.refusals import guard_body, refusals_as_backend_errors
from tests.support.in_process.wire import adapter, as_json, to_desktop, to_mock

IN_PROCESS_URL = "in-process:"  # where LinkStatus says the link goes (there is no URL)

_event = TypeAdapter(ContactCenterEvent)


class InProcessContactCenter:
    name = "contact center"

    def __init__(self, app: FastAPI, agent_id: str, capabilities: ContactCenterCapabilities | None = None) -> None:
        """`app`: a mock CCaaS from `create_app` (never served); this backend speaks as agent `agent_id`.
        `capabilities`: everything the mock does, or less (a platform without accept/reject, typing...): a
        call the narrower set leaves out is refused, as that platform's API has no such call."""
        self.agent_id = agent_id
        self.capabilities = capabilities or ContactCenterCapabilities(
            flags=True,
            broadcasts=True,
            quality=True,
            conversation_waits=True,
            recording_pause=True,
            place_calls=True,
            internal_calls=True,
            voicemail_audio=True,
        )
        self.refused_calls: list[str] = []
        self._state = app.state
        self._engine = app.state.engine
        self._conversations = app.state.conversations
        self._who = Principal(f"{agent_id}-token", "agent", agent_id)
        self._request: Any = SimpleNamespace(app=app)  # all a route reads of its request: the app's state
        self.messaging = InProcessMessaging(app, agent_id)  # follow-ups

    async def _own_agent(self) -> str:
        """The path's agent id, past the same check the API's `AgentIdDep` makes."""
        return await agent_or_supervisor(self.agent_id, self._who)

    async def _handled(self, contact_id: str) -> MockContact:
        """The path's contact, past the same check the API's `HandledContactDep` makes."""
        return await handled_contact(contact_id, self._who, self._engine, self._state.scope)

    def _refusals(self) -> Any:
        return refusals_as_backend_errors(self.name)

    def _answered(self) -> dict[str, Any]:
        """What FastAPI hands an action's route beside its arguments: the event log, and the response whose
        headers the route sets (`X-Event-Ids`)."""
        return {"events": self._state.event_log, "response": Response()}

    def _body(self, mock_type: type, document: dict[str, Any]) -> Any:
        guard_body(self.name, document)
        return to_mock(mock_type, document)

    # --- the agent ---------------------------------------------------------------------

    async def check_access(self) -> Agent:
        return await self.get_agent()  # as the HTTP client's: the agent, for the desk's first frame

    async def get_agent(self) -> Agent:
        with self._refusals():
            return to_desktop(Agent, await agents.get_agent(await self._own_agent(), self._engine))

    async def state_catalog(self) -> list[StateOption]:
        agent = await self.get_agent()
        return list(catalog_from_reasons(agent.not_ready_reasons, agent.break_limits))

    def _channel(self, contact_id: str) -> ChannelCapabilities:
        """What this contact center can do on the contact's channel (the mock's own answer stands, refusals
        included, where every channel can do everything)."""
        if all(c == ChannelCapabilities() for c in self.capabilities.channels.values()):
            return ChannelCapabilities()
        with self._refusals():
            return self.capabilities.channel(Channel(self._engine.read.contact(contact_id).channel))

    def _served(self, served: bool, call: str) -> None:
        if not served:
            self.refused_calls.append(call)  # the desk should never have asked: a test reads this
            raise BackendError(self.name, f"501 {call} is not a call of this contact center", 501)

    async def set_state(self, state: AgentState, reason: str | None = None) -> Agent:
        with self._refusals():
            change = self._body(StateChange, {"state": state, "reason": reason})
            answer = await agents.set_state(
                await self._own_agent(), change, self._who, self._engine, **self._answered()
            )
            return to_desktop(Agent, answer)

    async def set_next_state(self, state: AgentState | None, reason: str | None = None) -> Agent:
        self._served(self.capabilities.native_next_state, "next state")
        with self._refusals():
            body = {"state": state, "reason": reason} if state is not None else {"state": None}
            change = self._body(NextStateChange, body)
            answer = await agents.set_next_state(
                await self._own_agent(), change, self._who, self._engine, **self._answered()
            )
            return to_desktop(Agent, answer)

    async def list_contacts(self) -> list[Contact]:
        with self._refusals():
            return to_desktop(list[Contact], await agents.contacts(await self._own_agent(), self._engine))

    async def list_offers(self) -> list[Offer]:
        with self._refusals():
            return to_desktop(list[Offer], await agents.offers(await self._own_agent(), self._engine))

    async def my_day(self) -> AgentDay:
        self._served(self.capabilities.my_day, "my day")
        with self._refusals():
            agent_id = await agents_own_view(await self._own_agent(), self._who, self._state.scope)
            return to_desktop(AgentDay, await agents.day(agent_id, self._engine, self._request))

    async def my_schedule(self) -> AgentSchedule:
        self._served(self.capabilities.workforce, "the agent's schedule")
        with self._refusals():
            answer = await workforce.schedule_of(
                await self._own_agent(), self._who, self._state.scope, self._request, None
            )
            return to_desktop(AgentSchedule, answer)

    async def schedule_callback(
        self,
        contact_id: str,
        due_at: datetime,
        time_zone: str,
        note: str = "",
        number: str | None = None,
        idempotency_key: str | None = None,
    ) -> ScheduledCallback:
        self._served(self.capabilities.owned_callbacks, "a scheduled callback")
        with self._refusals():
            body = {"contact_id": contact_id, "due_at": due_at.isoformat(), "time_zone": time_zone, "note": note}
            request = self._body(CallbackSchedule, {**body, "number": number})
            answer = await callbacks.schedule(
                await self._own_agent(), request, self._who, self._request, idempotency_key
            )
            return to_desktop(ScheduledCallback, answer)

    async def my_callbacks(self) -> list[ScheduledCallback]:
        self._served(self.capabilities.owned_callbacks, "scheduled callbacks")
        with self._refusals():
            answer = await callbacks.listed(await self._own_agent(), self._who, self._state.scope, self._request)
            return to_desktop(list[ScheduledCallback], answer)

    async def list_queues(self) -> list[Queue]:
        with self._refusals():
            return to_desktop(list[Queue], await queues.queues(self._who, self._engine, self._state.scope))

    async def list_colleagues(self) -> list[Colleague]:
        with self._refusals():
            return to_desktop(list[Colleague], await agents.directory(self._who, self._engine))

    # --- offers and contacts -------------------------------------------------------------

    async def accept_offer(self, offer_id: str) -> Contact:
        self._served(self.capabilities.offer_decision, "accept")
        with self._refusals():
            extra = self._answered()
            return _answer(Contact, await offers.accept(offer_id, self._who, self._engine, **extra), extra["response"])

    async def reject_offer(self, offer_id: str) -> None:
        self._served(self.capabilities.offer_decision, "reject")
        with self._refusals():
            await offers.reject(offer_id, self._who, self._engine, **self._answered())

    async def end_contact(self, contact_id: str) -> Contact:
        with self._refusals():
            return await self._step(contacts.end, contact_id)

    async def complete_contact(self, contact_id: str, disposition: str) -> Contact:
        with self._refusals():
            body = self._body(Completion, {"disposition": disposition})
            extra = self._answered()
            answer = await contacts.complete(await self._handled(contact_id), body, self._engine, self._who, **extra)
            return _answer(Contact, answer, extra["response"])

    async def extend_wrap_up(self, contact_id: str) -> Contact:
        self._served(self.capabilities.wrap_up_rules, "extend_wrap_up")
        with self._refusals():
            return await self._step(contacts.extend_wrap_up, contact_id)

    async def hold_contact(self, contact_id: str) -> Contact:
        self._served(self._channel(contact_id).hold, "hold")
        with self._refusals():
            return await self._step(contacts.hold, contact_id)

    async def pause_recording(self, contact_id: str, paused: bool) -> None:
        self._served(self.capabilities.recording_pause, "pause a recording")
        with self._refusals():
            route = recordings.pause if paused else recordings.resume
            await route(await self._handled(contact_id), self._who, self._request)

    async def caller_ids(self, queue_id: str) -> list[str]:
        self._served(self.capabilities.place_calls, "caller IDs")
        with self._refusals():
            return list((await placed_calls.caller_ids(queue_id, self._who, self._engine)).caller_ids)

    async def place_call(self, number: str, queue_id: str, caller_id: str | None) -> PlacedCall:
        self._served(self.capabilities.place_calls, "place a call")
        with self._refusals():
            body = self._body(PlaceCallRequest, {"number": number, "queue_id": queue_id, "caller_id": caller_id})
            answer = await placed_calls.place(await self._own_agent(), body, self._who, self._engine, self._request)
            dial_uri = answer.dial_uri if isinstance(answer, placed_calls.PlacedCall) else None
            return PlacedCall(to_desktop(Contact, answer), dial_uri)

    async def place_internal_call(self, address: str, name: str, queue_id: str) -> PlacedCall:
        self._served(self.capabilities.internal_calls, "call a colleague")
        with self._refusals():
            body = self._body(InternalCallRequest, {"address": address, "name": name, "queue_id": queue_id})
            own = await self._own_agent()
            answer = await placed_calls.place_internal(own, body, self._who, self._engine, self._request)
            dial_uri = answer.dial_uri if isinstance(answer, placed_calls.PlacedCall) else None
            return PlacedCall(to_desktop(Contact, answer), dial_uri)

    async def voicemail_audio(self, contact_id: str) -> bytes:
        self._served(self.capabilities.voicemail_audio, "a voicemail's recording")
        with self._refusals():
            answer = await voicemails.audio(contact_id, self._who, self._engine, self._state.scope, self._request)
            return Path(answer.path).read_bytes()

    async def resume_contact(self, contact_id: str) -> Contact:
        self._served(self._channel(contact_id).hold, "resume")
        with self._refusals():
            return await self._step(contacts.resume, contact_id)

    async def transfer_contact(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        self._served(target.kind in self._channel(contact_id).transfer_to, f"transfer to {target.kind.value}")
        with self._refusals():
            body = self._body(TransferRequest, {"target": {"kind": target.kind.value, "id": target.id}, **_note(note)})
            handled = await self._handled(contact_id)
            extra = self._answered()
            answer = await contacts.transfer(handled, body, self._who, self._engine, self._request, **extra)
            return _answer(Contact, answer, extra["response"])

    async def start_consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        self._served(self._channel(contact_id).consult, "consult")
        with self._refusals():
            body = self._body(TransferRequest, {"target": target.model_dump(mode="json"), **_note(note)})
            handled = await self._handled(contact_id)
            extra = self._answered()
            answer = await contacts.consult(handled, body, self._who, self._engine, self._request, **extra)
            return _answer(Contact, answer, extra["response"])

    async def complete_consult(self, contact_id: str) -> Contact:
        with self._refusals():
            return await self._step(contacts.complete_consult, contact_id)

    async def cancel_consult(self, contact_id: str) -> Contact:
        with self._refusals():
            return await self._step(contacts.cancel_consult, contact_id)

    async def _step(self, route: Any, contact_id: str) -> Contact:
        """One of the contact's steps (end, hold, resume, a consult's two ends), as its route answers it."""
        extra = self._answered()
        answer = await route(await self._handled(contact_id), self._engine, self._who, **extra)
        return _answer(Contact, answer, extra["response"])

    # --- conversations -------------------------------------------------------------------

    async def get_conversation(self, contact_id: str) -> Conversation:
        with self._refusals():
            answer = await conversation_routes.get_conversation(contact_id, self._who, self._conversations)
            return to_desktop(Conversation, answer)

    async def list_messages(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        with self._refusals():
            answer = await conversation_routes.list_messages(contact_id, self._who, self._conversations, before, limit)
            return to_desktop(TranscriptPage, answer)

    async def send_message(
        self, contact_id: str, text: str, *, subject: str | None = None, idempotency_key: str | None = None
    ) -> TranscriptItem:
        with self._refusals():
            body = self._body(
                conversation_schemas.MessageCreate,
                {"text": text, **({"subject": subject} if subject is not None else {})},
            )
            answer = await conversation_routes.send_message(
                contact_id, body, self._who, self._conversations, idempotency_key, events=self._state.event_log
            )
            return _answer(TranscriptItem, answer, answer)

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        self._served(self._channel(contact_id).typing, "typing")
        with self._refusals():
            body = self._body(conversation_schemas.TypingUpdate, {"typing": typing})
            await conversation_routes.typing(contact_id, body, self._who, self._conversations)

    async def mark_read(self, contact_id: str, up_to_item_id: str) -> Conversation:
        self._served(self._channel(contact_id).read_marks, "read marks")
        with self._refusals():
            body = self._body(conversation_schemas.ReadMarker, {"up_to_item_id": up_to_item_id})
            answer = await conversation_routes.mark_read(contact_id, body, self._who, self._conversations)
            return to_desktop(Conversation, answer)

    # --- snooze and send later (agent_desktop/domain/messages/conversation_waits.py) -------------------------------

    async def snooze(self, contact_id: str, until: datetime) -> Conversation:
        self._served(self.capabilities.conversation_waits, "snooze")
        with self._refusals():
            body = self._body(conversation_schemas.SnoozeRequest, {"until": until.isoformat()})
            answer = await conversation_routes.snooze(contact_id, body, self._who, self._conversations)
            return to_desktop(Conversation, answer)

    async def wake(self, contact_id: str) -> Conversation:
        self._served(self.capabilities.conversation_waits, "snooze")
        with self._refusals():
            return to_desktop(Conversation, await conversation_routes.wake(contact_id, self._who, self._conversations))

    async def schedule_reply(self, contact_id: str, text: str, send_at: datetime) -> Conversation:
        self._served(self.capabilities.conversation_waits, "send later")
        with self._refusals():
            body = self._body(conversation_schemas.ScheduledReplyCreate, {"text": text, "send_at": send_at.isoformat()})
            answer = await conversation_routes.schedule_reply(contact_id, body, self._who, self._conversations)
            return to_desktop(Conversation, answer)

    async def cancel_scheduled_reply(self, contact_id: str) -> Conversation:
        self._served(self.capabilities.conversation_waits, "send later")
        with self._refusals():
            answer = await conversation_routes.cancel_scheduled_reply(contact_id, self._who, self._conversations)
            return to_desktop(Conversation, answer)

    # --- events --------------------------------------------------------------------------

    async def _snapshot(self) -> list[ContactCenterEvent]:
        """The current state as events, as the HTTP client's resync builds it on every connection."""
        agent, offers_now, contacts_now = await self.get_agent(), await self.list_offers(), await self.list_contacts()
        in_hand = {contact.id for contact in contacts_now}
        flags = await flag_routes.list_flags(self._who, self._state.flags) if self.capabilities.flags else []
        return [
            AgentStateEvent(agent=agent),
            *(OfferEvent(offer=offer) for offer in offers_now),
            *(ContactEvent(contact=contact) for contact in contacts_now),
            *(flag_snapshot(to_desktop(Flag, flag)) for flag in flags if flag.contact_id in in_hand),
        ]

    async def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        """The agent's stream: up, the snapshot, then every event as committed. In-process the link never
        drops; a refusal (another agent's stream) is reported as the HTTP client reports it, and stays."""
        subscription = Subscription(self._state.event_log, agent_topic(self.agent_id))
        try:
            try:
                with self._refusals():
                    self._engine.read.agent(await self._own_agent())  # the SSE route's checks: 403, then 404
                await subscription.open()
                snapshot = await self._snapshot()
            except BackendError as error:
                yield LinkStatus(self.name, False, error.message, url=IN_PROCESS_URL, refused=True)
                await asyncio.Event().wait()  # nothing here will change its mind
                return
            yield LinkStatus(self.name, True, url=IN_PROCESS_URL)
            for event in snapshot:
                yield event
            async for logged in subscription:
                parsed = _parse(logged)
                if parsed is not None:
                    yield parsed
        finally:
            await subscription.aclose()

    # --- help from the supervisor (agent_desktop/domain/flags/protocol.py) --------------------------------

    async def raise_flag(self, contact_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        body = self._body(FlagCreate, {"text": text})
        with self._refusals():
            answer = await flag_routes.raise_flag(
                contact_id, body, self._who, self._state.flags, self._request, idempotency_key
            )
            return to_desktop(Flag, answer)

    async def add_flag_line(self, flag_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        body = self._body(FlagLineCreate, {"text": text})
        with self._refusals():
            answer = await flag_routes.add_line(
                flag_id, body, self._who, self._state.flags, self._request, idempotency_key
            )
            return to_desktop(Flag, answer)

    async def close_flag(self, flag_id: str) -> Flag:
        with self._refusals():
            return to_desktop(Flag, await flag_routes.close_flag(flag_id, self._who, self._state.flags))

    # --- quality management (agent_desktop/domain/quality/protocol.py) ----------------------------------

    async def my_evaluations(self) -> list[Evaluation]:
        with self._refusals():
            answer = await quality_routes.list_evaluations(self._who, self._state.quality)
            return to_desktop(list[Evaluation], answer)

    async def acknowledge_evaluation(self, evaluation_id: str) -> Evaluation:
        with self._refusals():
            answer = await quality_routes.acknowledge(evaluation_id, self._who, self._state.quality)
            return to_desktop(Evaluation, answer)

    async def dispute_evaluation(self, evaluation_id: str, reason: str) -> Evaluation:
        with self._refusals():
            body = self._body(DisputeCreate, {"reason": reason})
            answer = await quality_routes.dispute(evaluation_id, body, self._who, self._state.quality)
            return to_desktop(Evaluation, answer)

    async def aclose(self) -> None:
        """Nothing to close: the mocks' state belongs to whoever built it (InProcessMocks)."""


def _note(note: str | None) -> dict[str, str]:
    return {"note": note} if note else {}


T = TypeVar("T")


def _answer(desktop_type: type[T], answer: Any, response: Response) -> T:
    """A route's answer as the HTTP client reads it: the body, and the ids its `X-Event-Ids` names."""
    ids = read_event_ids(response.headers.get(EVENT_IDS_HEADER))
    return adapter(desktop_type).validate_python({**as_json(answer), "event_ids": ids})


def _parse(logged: LoggedEvent) -> ContactCenterEvent | None:
    """As the HTTP client parses an SSE event: unknown types skipped, the stream's id kept."""
    try:
        parsed = _event.validate_json(logged.data)
    except ValidationError:
        return None
    if isinstance(parsed, StreamEvent):
        return parsed.model_copy(update={"event_id": logged.id})
    return parsed
