"""The contact center over HTTP + Server-Sent Events (the mock CCaaS's API, docs/mock-apis.md)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import httpx
from httpx_sse import ServerSentEvent
from pydantic import TypeAdapter

from agent_desktop import domain
from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.adapters.http.messaging import HttpMessaging
from agent_desktop.adapters.wire.answer_event_ids import EVENT_IDS_HEADER, read_event_ids
from agent_desktop.adapters.wire.answer_json import json_object
from agent_desktop.adapters.wire.event_json import Unreadable, read_event
from agent_desktop.adapters.wire.header_values import header_value
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.calls.scheduled_callback import ScheduledCallback
from agent_desktop.domain.capabilities import ContactCenterCapabilities, StateOption, catalog_from_reasons
from agent_desktop.domain.dialling_protocol import PlacedCall, dial_uri_ok
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.flags.protocol import flag_snapshot
from agent_desktop.domain.models import (
    ActionAnswer,
    Agent,
    AgentState,
    AgentStateEvent,
    Colleague,
    Contact,
    ContactCenterEvent,
    ContactEvent,
    Conversation,
    Evaluation,
    Flag,
    MonitorEvent,
    Offer,
    OfferEvent,
    Queue,
    Target,
    TranscriptItem,
    TranscriptPage,
    deferred_adapter,
)
from agent_desktop.domain.streams.link_status import LinkStatus

if TYPE_CHECKING:  # My day's models: read through `domain`, which loads them on demand
    from agent_desktop.domain.workforce.agent_day import AgentDay
    from agent_desktop.domain.workforce.models import AgentSchedule

_event: TypeAdapter[ContactCenterEvent] = deferred_adapter(ContactCenterEvent)
_contacts = deferred_adapter(list[Contact])
_offers = deferred_adapter(list[Offer])
_queues = deferred_adapter(list[Queue])
_callbacks = deferred_adapter(list[ScheduledCallback])
_colleagues = deferred_adapter(list[Colleague])
log = logging.getLogger(__name__)
_flags = deferred_adapter(list[Flag])
_evaluations = deferred_adapter(list[Evaluation])
A = TypeVar("A", bound=ActionAnswer)


def _keyed(idempotency_key: str | None) -> dict[str, str] | None:
    """The headers of a write sent under an idempotency key (the mock stores it once per key)."""
    return {"Idempotency-Key": idempotency_key} if idempotency_key else None


class HttpContactCenter(HttpBackend):
    name = "contact center"

    def __init__(
        self,
        base_url: str,
        token: str,
        agent_id: str,
        *,
        timeout_s: float = 5.0,
        heartbeat_timeout_s: float = 35.0,
        capabilities: ContactCenterCapabilities | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`capabilities`: the mock serves everything; a narrower set (configuration) shows the desk as it is
        on a platform without some of it (no accept/reject, no typing...)."""
        super().__init__(
            base_url, token, timeout_s=timeout_s, heartbeat_timeout_s=heartbeat_timeout_s, transport=transport
        )
        self.agent_id = agent_id
        self.capabilities = capabilities or ContactCenterCapabilities(
            flags=True,
            broadcasts=True,
            quality=True,
            softphone_contact=True,
            conversation_waits=True,
            recording_pause=True,
            place_calls=True,
            internal_calls=True,
            voicemail_audio=True,
        )
        self.messaging = HttpMessaging(self)  # follow-ups to customers, on this connection

    @property
    def _agent_path(self) -> str:
        return api_path("/v1/agents/{}", self.agent_id)

    async def check_access(self) -> Agent:
        """The agent as the contact center has them (start-up draws its first frame with it): 401 token refused,
        403 another agent's token, 404 no such agent."""
        return await self.get_agent()

    async def get_agent(self) -> Agent:
        return self._as(Agent, await self._get_json(self._agent_path))

    async def state_catalog(self) -> list[StateOption]:
        """The mock's states are fixed; its not-ready reasons are the agent's own (seeded with the data)."""
        agent = await self.get_agent()
        return list(catalog_from_reasons(agent.not_ready_reasons, agent.break_limits))

    async def set_state(self, state: AgentState, reason: str | None = None) -> Agent:
        response = await self._request("PUT", f"{self._agent_path}/state", json={"state": state, "reason": reason})
        return self._model(Agent, response)

    async def list_contacts(self) -> list[Contact]:
        return self._as(_contacts, await self._get_json(f"{self._agent_path}/contacts"))

    async def list_offers(self) -> list[Offer]:
        return self._as(_offers, await self._get_json(f"{self._agent_path}/offers"))

    async def my_day(self) -> AgentDay:
        return self._as(domain.AgentDay, await self._get_json(f"{self._agent_path}/day"))

    async def my_schedule(self) -> AgentSchedule:
        return self._as(domain.AgentSchedule, await self._get_json(f"{self._agent_path}/schedule"))

    async def schedule_callback(
        self,
        contact_id: str,
        due_at: datetime,
        time_zone: str,
        note: str = "",
        number: str | None = None,
        idempotency_key: str | None = None,
    ) -> ScheduledCallback:
        body = {"contact_id": contact_id, "due_at": due_at.isoformat(), "time_zone": time_zone, "note": note}
        response = await self._request(
            "POST", f"{self._agent_path}/callbacks", json={**body, "number": number}, headers=_keyed(idempotency_key)
        )
        return self._model(ScheduledCallback, response)

    async def my_callbacks(self) -> list[ScheduledCallback]:
        return self._as(_callbacks, await self._get_json(f"{self._agent_path}/callbacks"))

    async def list_queues(self) -> list[Queue]:
        return self._as(_queues, await self._get_json("/v1/queues"))

    async def list_colleagues(self) -> list[Colleague]:
        return self._as(_colleagues, await self._get_json("/v1/agents"))

    async def accept_offer(self, offer_id: str) -> Contact:
        return self._answer(Contact, await self._request("POST", api_path("/v1/offers/{}/accept", offer_id)))

    async def reject_offer(self, offer_id: str) -> None:
        await self._request("POST", api_path("/v1/offers/{}/reject", offer_id))

    async def end_contact(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "end")

    async def complete_contact(self, contact_id: str, disposition: str) -> Contact:
        return await self._contact_action(contact_id, "complete", {"disposition": disposition})

    async def extend_wrap_up(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "wrap-up/extend")

    async def set_next_state(self, state: AgentState | None, reason: str | None = None) -> Agent:
        body = {"state": state, "reason": reason} if state is not None else {"state": None}
        response = await self._request("PUT", f"{self._agent_path}/next-state", json=body)
        return self._model(Agent, response)

    async def _contact_action(self, contact_id: str, action: str, body: object = None) -> Contact:
        return self._answer(
            Contact, await self._request("POST", api_path("/v1/contacts/{}/" + action, contact_id), json=body)
        )

    async def hold_contact(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "hold")

    async def resume_contact(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "resume")

    async def transfer_contact(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        body = {"target": _target_body(target), **({"note": note} if note else {})}
        return await self._contact_action(contact_id, "transfer", body)

    async def start_consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        body = {"target": target.model_dump(mode="json"), **({"note": note} if note else {})}
        return await self._contact_action(contact_id, "consult", body)

    async def complete_consult(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "consult/complete")

    async def cancel_consult(self, contact_id: str) -> Contact:
        return await self._contact_action(contact_id, "consult/cancel")

    async def get_conversation(self, contact_id: str) -> Conversation:
        return self._as(Conversation, await self._get_json(api_path("/v1/contacts/{}/conversation", contact_id)))

    async def list_messages(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        params: dict[str, str | int] = {"limit": limit, **({"before": before} if before else {})}
        return self._as(
            TranscriptPage, await self._get_json(api_path("/v1/contacts/{}/messages", contact_id), params=params)
        )

    async def send_message(
        self, contact_id: str, text: str, *, subject: str | None = None, idempotency_key: str | None = None
    ) -> TranscriptItem:
        body = {"text": text, **({"subject": subject} if subject is not None else {})}
        headers = {"Idempotency-Key": header_value(idempotency_key)} if idempotency_key else {}
        response = await self._request(
            "POST", api_path("/v1/contacts/{}/messages", contact_id), json=body, headers=headers
        )
        return self._answer(TranscriptItem, response)

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        await self._request("POST", api_path("/v1/contacts/{}/typing", contact_id), json={"typing": typing})

    async def mark_read(self, contact_id: str, up_to_item_id: str) -> Conversation:
        response = await self._request(
            "POST", api_path("/v1/contacts/{}/read", contact_id), json={"up_to_item_id": up_to_item_id}
        )
        return self._model(Conversation, response)

    # --- snooze and send later (agent_desktop/domain/messages/conversation_waits.py) ---------------------------------

    async def snooze(self, contact_id: str, until: datetime) -> Conversation:
        path = api_path("/v1/contacts/{}/snooze", contact_id)
        return self._model(Conversation, await self._request("PUT", path, json={"until": until.isoformat()}))

    async def wake(self, contact_id: str) -> Conversation:
        return self._model(Conversation, await self._request("DELETE", api_path("/v1/contacts/{}/snooze", contact_id)))

    async def schedule_reply(self, contact_id: str, text: str, send_at: datetime) -> Conversation:
        path, body = (
            api_path("/v1/contacts/{}/scheduled-reply", contact_id),
            {"text": text, "send_at": send_at.isoformat()},
        )
        return self._model(Conversation, await self._request("PUT", path, json=body))

    async def cancel_scheduled_reply(self, contact_id: str) -> Conversation:
        path = api_path("/v1/contacts/{}/scheduled-reply", contact_id)
        return self._model(Conversation, await self._request("DELETE", path))

    # --- help from the supervisor (agent_desktop/domain/flags/protocol.py) --------------------------------

    async def raise_flag(self, contact_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        path, headers = api_path("/v1/contacts/{}/flags", contact_id), _keyed(idempotency_key)
        return self._model(Flag, await self._request("POST", path, json={"text": text}, headers=headers))

    async def add_flag_line(self, flag_id: str, text: str, idempotency_key: str | None = None) -> Flag:
        path, headers = api_path("/v1/flags/{}/lines", flag_id), _keyed(idempotency_key)
        return self._model(Flag, await self._request("POST", path, json={"text": text}, headers=headers))

    async def close_flag(self, flag_id: str) -> Flag:
        return self._model(Flag, await self._request("POST", api_path("/v1/flags/{}/close", flag_id)))

    # --- quality management (agent_desktop/domain/quality/protocol.py) ----------------------------------

    async def my_evaluations(self) -> list[Evaluation]:
        return self._as(_evaluations, await self._get_json("/v1/quality/evaluations"))

    async def acknowledge_evaluation(self, evaluation_id: str) -> Evaluation:
        path = api_path("/v1/quality/evaluations/{}/acknowledge", evaluation_id)
        return self._model(Evaluation, await self._request("POST", path))

    async def dispute_evaluation(self, evaluation_id: str, reason: str) -> Evaluation:
        path = api_path("/v1/quality/evaluations/{}/dispute", evaluation_id)
        return self._model(Evaluation, await self._request("POST", path, json={"reason": reason}))

    # --- a call's recording (agent_desktop/domain/calls/recording.py `CallRecorder`) -------------------------------

    async def pause_recording(self, contact_id: str, paused: bool) -> None:
        """The call's recording paused (silence recorded from now) or resumed; a refusal says why (422: not a call,
        409: not in hand)."""
        action = "pause" if paused else "resume"
        await self._request("POST", api_path("/v1/contacts/{}/recording/" + action, contact_id))

    # --- calls the agent places (agent_desktop/domain/dialling_protocol.py `Dialler`) ---------------------------------

    async def caller_ids(self, queue_id: str) -> list[str]:
        answer = await self._get_json(api_path("/v1/queues/{}/caller-ids", queue_id))
        listed = answer.get("caller_ids") if isinstance(answer, dict) else None
        return [str(number) for number in listed] if isinstance(listed, list) else []

    async def place_call(self, number: str, queue_id: str, caller_id: str | None) -> PlacedCall:
        """The call placed, under a key of its own: a retry after a lost answer places it once. Its `dial_uri` is
        taken only as a loopback-free-of-tricks SIP URI (printable, no spaces, bounded): the softphone dials it."""
        body = {"number": number, "queue_id": queue_id, "caller_id": caller_id}
        response = await self._request("POST", f"{self._agent_path}/calls", json=body, headers=_keyed(uuid.uuid4().hex))
        uri = json_object(self.name, response).get("dial_uri")
        return PlacedCall(self._model(Contact, response), uri if isinstance(uri, str) and dial_uri_ok(uri) else None)

    async def place_internal_call(self, address: str, name: str, queue_id: str) -> PlacedCall:
        """A colleague called at their softphone, under a key of its own as `place_call`; its `dial_uri` taken as
        `place_call` takes it."""
        body = {"address": address, "name": name, "queue_id": queue_id}
        response = await self._request(
            "POST", f"{self._agent_path}/calls/internal", json=body, headers=_keyed(uuid.uuid4().hex)
        )
        uri = json_object(self.name, response).get("dial_uri")
        return PlacedCall(self._model(Contact, response), uri if isinstance(uri, str) and dial_uri_ok(uri) else None)

    # --- a voicemail's recording (agent_desktop/domain/calls/recording.py `VoicemailAudio`) ----------------

    async def voicemail_audio(self, contact_id: str) -> bytes:
        """The message's WAV, read whole within the client's bounds (too long: a BackendError that says so); an
        answer that is no WAV is refused here, not handed to the softphone."""
        response = await self._request("GET", api_path("/v1/contacts/{}/voicemail/audio", contact_id))
        if not response.content.startswith(b"RIFF"):
            raise BackendError(self.name, "the voicemail's recording is not a WAV", status=502)
        return response.content

    # --- the agent's softphone (agent_desktop/domain/calls/softphone.py `SoftphoneRegistrar`) -------------------

    async def register_softphone(self, contact_uri: str) -> None:
        """The mock rings `contact_uri` with this agent's calls (a 422 names the part of the URI it refuses)."""
        await self._request("PUT", f"{self._agent_path}/softphone", json={"contact_uri": contact_uri})

    async def forget_softphone(self) -> None:
        try:
            await self._request("DELETE", f"{self._agent_path}/softphone")
        except BackendError as error:
            if error.status != 404:  # none registered (the mock restarted, or another desk took it back): done
                raise

    def _answer(self, model: type[A], response: httpx.Response) -> A:
        """An action's answer, with the ids of the stream's events that carry the same."""
        value = json_object(self.name, response)
        return self._as(model, {**value, "event_ids": read_event_ids(response.headers.get(EVENT_IDS_HEADER))})

    async def _snapshot(self) -> list[ContactCenterEvent]:
        """The current state as events, so a (re)connected desktop starts from the truth."""
        agent, offers, contacts, flags = await asyncio.gather(
            self.get_agent(), self.list_offers(), self.list_contacts(), self._my_flags()
        )
        in_hand = {contact.id for contact in contacts}
        return [
            AgentStateEvent(agent=agent),
            *(OfferEvent(offer=offer) for offer in offers),
            *(ContactEvent(contact=contact) for contact in contacts),
            *(flag_snapshot(flag) for flag in flags if flag.contact_id in in_hand),  # their threads, for the CRM
        ]

    async def _my_flags(self) -> list[Flag]:
        """The agent's open flags, for the snapshot. An extra: a contact center that cannot say (no flags endpoint,
        an error) leaves them out rather than failing the snapshot and the stream with it (the offers matter more)."""
        if not self.capabilities.flags:
            return []
        try:
            return self._as(_flags, await self._get_json("/v1/flags"))
        except BackendError as error:
            log.warning("contact center: the open flags were not read (%s); the next snapshot tries again", error)
            return []

    def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        return self._stream(f"{self._agent_path}/events", _parse_event, self._snapshot)


def _target_body(target: Target) -> dict[str, str]:
    """A transfer names its target by kind and id (the name is the contact center's to know)."""
    return {"kind": target.kind.value, "id": target.id}


def _parse_event(event: ServerSentEvent) -> ContactCenterEvent | Unreadable:
    parsed = read_event(_event, event.data, event.event)
    if isinstance(parsed, Unreadable | MonitorEvent):
        return parsed  # Unreadable: logged and counted by the stream; a MonitorEvent carries no event id
    # The id lets the desk drop a replayed event (after a reconnect) by rule.
    if event.id.isascii() and event.id.isdigit() and len(event.id) < 19:
        return parsed.model_copy(update={"event_id": int(event.id)})
    return parsed
