"""The contact center on Twilio TaskRouter (twilio_taskrouter_v1.yaml), events through the Twilio event relay.

One worker's desk: its Worker's Activity is the agent's state (its Worker Channels the capacity), its
Reservations the offers (a call accepted by the conference instruction, a conversation by `ReservationStatus`),
its tasks the contacts (ended by `AssignmentStatus=wrapping`, a call hung up first, completed with the
disposition in the attributes, both guarded by `If-Match`). Voice hold is the customer's participant in the
call's conference (twilio_voice.py). A blind transfer to a TaskQueue or a Worker makes a new task (the contact goes
on under its SID): a chat's or SMS's is Flex Interactions' channel Invite, then the agent's own participant closed,
which completes the old task; a call's is the caller redirected into `<Enqueue>` (twilio_voice_transfer.py), then the
old task completed with the transfer as its reason; no consult. Chat and SMS are Twilio Conversations (twilio_conversations.py): messages, the read
horizon, no typing. No native next state (the desk sets the Activity itself when the last task completes).

Events: TaskRouter pushes only to a server (Event Callbacks) or to its JS SDK's undocumented websocket, so
the desk reads its worker's callbacks from the relay (`twilio_relay`, an SSE stream that resumes with
`Last-Event-ID`) and fetches the resources each event names; every (re)connection resyncs from the REST API.

Auth: an API key SID and secret (basic auth); 429 is retried with a growing wait, up to `rate_limit_wait_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
from httpx_sse import ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent_desktop.adapters.twilio import fields, records
from agent_desktop.adapters.twilio import history as twilio_history
from agent_desktop.adapters.twilio.conversation_events import WEBHOOKS as CONVERSATION_WEBHOOKS
from agent_desktop.adapters.twilio.conversation_events import conversation_event
from agent_desktop.adapters.twilio.conversations import CONVERSATIONS_BASE_URL, TwilioConversations
from agent_desktop.adapters.twilio.link import link_words, until_twilio_answers
from agent_desktop.adapters.twilio.messaging import TwilioMessaging
from agent_desktop.adapters.twilio.relay_backlog import Backlog, skipping_backlog
from agent_desktop.adapters.twilio.transfers import FLEX_BASE_URL, INVITE_TARGETS, TwilioTransfers
from agent_desktop.adapters.twilio.voice import PHONE, TwilioVoice
from agent_desktop.adapters.twilio.voice_transfer import TwilioVoiceTransfer
from agent_desktop.adapters.wire.answer_json import AnswerTooLarge, answer_json, send_bounded, too_large
from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.adapters.wire.http_errors import json_body, one_line, transport_error
from agent_desktop.adapters.wire.paging import Pages
from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.domain.agent_day import AgentDay
from agent_desktop.domain.capabilities import ChannelCapabilities, ContactCenterCapabilities, StateOption
from agent_desktop.domain.center_clock import CenterClock
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.link_status import LinkStatus
from agent_desktop.domain.models import (
    TALKING,
    Agent,
    AgentState,
    AgentStateEvent,
    Channel,
    Colleague,
    Contact,
    ContactCenterEvent,
    ContactEvent,
    ContactState,
    Conversation,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
    Queue,
    Target,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.scheduled_callback import ScheduledCallback
from agent_desktop.domain.workforce_models import AgentSchedule

log = logging.getLogger(__name__)

# Decided by the platform: accept/reject yes; voice hold through the call's Voice conference (the customer's
# participant), none for a conversation (Conversations has no hold); blind transfer to a TaskQueue or a Worker: a
# conversation by a Flex Interactions channel Invite (an address is not a Flex invite target), a call by `<Enqueue>`
# into a new task the account's workflow routes (an address would need a `<Dial>` leg outside TaskRouter: not
# offered); no consult (voice: Twilio's warm transfer holds the customer in the conference and adds the target's leg
# to it — a new task's `call` instruction dialling `<Conference>`, or the conference's Participants API to the
# target's contact_uri — and a cancel removes that leg and unholds the customer: not built yet, and the shaped mock
# models no third leg in a conference; chat and SMS: Flex's messaging transfers doc says warm transfer "isn't
# available yet", and a second Invite would put the consulted agent in the customer's conversation
# with no way to withdraw it: docs/backends.md); no email (Email in Flex is a Conversations channel the desk's
# Conversations client does not read: subject, threading, HTML); Conversations has no REST typing indicator, and
# keeps the agent's read horizon (`LastReadMessageIndex`).
TWILIO_CAPABILITIES = ContactCenterCapabilities(
    offer_decision=True,
    native_next_state=False,
    queue_priority=False,
    monitor=False,
    # No response-time policy in TaskRouter or Flex, and no wrap-up mode (a task waits in `wrapping` until completed;
    # the desk's own `acw_timeouts` stay as they were): docs/vendors/twilio-taskrouter.md.
    sla_clocks=False,
    wrap_up_rules=False,
    # The agent's own day would need Worker Statistics and the workspace's Events, which the shaped mock does not
    # serve (docs/vendors/twilio-taskrouter.md): off, so no key offers it.
    my_day=False,
    # A callback an agent owns needs a task held until a time and then reserved for one worker: TaskRouter has
    # neither a delayed task nor a deadline on a worker's preference (docs/vendors.md): off.
    owned_callbacks=False,
    # An Activity has no maximum length and pauses every channel (Workers' per-channel capacity is set apart from
    # it): docs/vendors/twilio-taskrouter.md.
    break_limits=False,
    # A Worker's Reservation waits for accept (or a Workflow's instruction); TaskRouter has no auto-accept of its
    # own per channel: docs/vendors.md.
    auto_accept=False,
    # TaskRouter and Flex have no flag an agent raises to a supervisor, nor a broadcast to agents (Flex's "raise
    # hand" is a Flex UI plug-in, not an API): docs/vendors.md. Explicit, though off is the default.
    flags=False,
    broadcasts=False,
    # TaskRouter routes; it keeps no forecast, schedule or shift (Twilio's WFM is Flex's partner add-on, outside the
    # API): docs/vendors/twilio-taskrouter.md. Off: no gap chart, no schedule in my day.
    workforce=False,
    channels={
        Channel.VOICE: ChannelCapabilities(
            hold=True, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=False
        ),
        Channel.CHAT: ChannelCapabilities(
            hold=False, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=True
        ),
        Channel.SMS: ChannelCapabilities(
            hold=False, consult=False, transfer_to=INVITE_TARGETS, typing=False, read_marks=True
        ),
    },
)
DEFAULT_DISPOSITIONS = ["Resolved", "Escalated", "Follow-up needed"]
TWILIO_BASE_URL = "https://taskrouter.twilio.com"
SLOW_S = 1.0  # an event later or slower than this is logged (where an offer's time went)
# The relay heartbeats every 4 s (agent_desktop_relay/settings.py): its link is counted lost after three missed, well
# before the shortest offer (20 s on the demo floor) could expire unseen behind a relay that stopped.
RELAY_HEARTBEAT_TIMEOUT_S = 12.0
# More relayed events than this waiting: the desk reads the present once instead (relay_backlog.py).
BACKLOG_EVENTS = 50
TWILIO_API_BASE_URL = "https://api.twilio.com"
TRANSFERS_KEPT = 200  # tasks this desk transferred, remembered so their completion reads as the contact moving on


class TwilioConfig(BaseModel):
    """`[ccaas] kind = "twilio"`: what to create in Twilio is in docs/backends.md."""

    model_config = ConfigDict(extra="forbid")

    account_sid: str = Field(pattern=r"^AC[0-9a-fA-F]{32}$")
    api_key_sid: str = Field(
        pattern=r"^SK[0-9a-fA-F]{32}$", description="an API key of the account (Console > API keys)"
    )
    api_key_secret: str = Field(min_length=1)
    workspace_sid: str = Field(pattern=r"^WS[0-9a-fA-F]{32}$")
    worker_sid: str = Field(pattern=r"^WK[0-9a-fA-F]{32}$", description="this agent's Worker")
    relay_url: str = Field(pattern=r"^https?://", description="the Twilio event relay the desk reads its events from")
    relay_token: str = Field(min_length=16, description="the relay's reader token")
    base_url: str = Field(TWILIO_BASE_URL, pattern=r"^https?://")
    api_base_url: str = Field(
        TWILIO_API_BASE_URL, pattern=r"^https?://", description="Twilio's REST API (Voice conferences: hold)"
    )
    flex_base_url: str = Field(FLEX_BASE_URL, pattern=r"^https?://", description="Flex's API (Interactions: transfers)")
    conversations_base_url: str = Field(
        CONVERSATIONS_BASE_URL, pattern=r"^https?://", description="Twilio Conversations (chat, SMS)"
    )
    voice_caller_id: str | None = Field(
        None,
        description="the caller ID TaskRouter dials the agent's leg of a call from (a Twilio number of the account, "
        "E.164); unset: the number the caller dialled (the task's `to`, as <Enqueue> writes it)",
    )
    conference_status_callback: str | None = Field(
        None,
        pattern=r"^https://",
        description="where Twilio posts the call conferences' events (start, end, join, leave, hold)",
    )
    messaging_from: str | None = Field(
        None,
        pattern=r"^\+[1-9][0-9]{6,14}$",
        description="the Twilio number follow-up SMS are sent from (E.164); unset: none",
    )
    messaging_status_callback: str | None = Field(
        None, pattern=r"^https://", description="where Twilio posts their status"
    )
    messaging_region: str = Field(
        "US",
        min_length=2,
        max_length=2,
        description="how a number without a country code is read before an SMS is sent to it (Twilio takes E.164 only)",
    )
    offline_activity: str = Field("Offline", description="the Activity that means offline")
    missed_activity: str = Field("Missed", description="the workflow's timeout Activity: shown as missed, not offered")
    dispositions: dict[str, list[str]] = Field(
        default_factory=dict, description="wrap-up codes by TaskQueue friendly name (TaskRouter keeps none)"
    )
    default_dispositions: list[str] = Field(default_factory=lambda: list(DEFAULT_DISPOSITIONS), min_length=1)
    acw_timeouts: dict[str, int] = Field(
        default_factory=dict,
        description="seconds of wrap-up before something of yours completes a wrapping task, by TaskQueue "
        "friendly name (TaskRouter keeps no wrap-up timer: without one the desk says 'no time limit')",
    )
    service_level_threshold_s: int = Field(
        20, ge=0, le=86_400, description="supervisor: answered within this is in service level"
    )
    service_level_target_pct: float = Field(80.0, gt=0, le=100, description="supervisor: the service level aimed at")
    supervisor_requests_per_minute: float = Field(
        120.0, ge=10, le=6000, description="supervisor: the poll's budget of requests to TaskRouter (docs/backends.md)"
    )
    timeout_s: float = Field(5.0, gt=0, le=120)
    rate_limit_wait_s: float = Field(4.0, ge=0, le=60, description="429s are retried with backoff up to this long")

    @field_validator("voice_caller_id")
    @classmethod
    def _e164(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.match(value):
            raise ValueError(
                f"{value!r} is not a phone number in E.164 form: a Twilio number of the account, e.g. +14155550100"
            )
        return value


class TwilioContactCenter:
    name = "contact center"

    def __init__(
        self,
        config: TwilioConfig,
        *,
        heartbeat_timeout_s: float = 35.0,
        transport: httpx.AsyncBaseTransport | None = None,
        relay_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self.agent_id = config.worker_sid
        self.capabilities = TWILIO_CAPABILITIES
        self._heartbeat_timeout_s = min(heartbeat_timeout_s, RELAY_HEARTBEAT_TIMEOUT_S)
        timeout = httpx.Timeout(config.timeout_s, connect=min(config.timeout_s, 3.0))
        self.center_clock = CenterClock()  # TaskRouter's clock, read from each answer's `Date`
        self._client = httpx.AsyncClient(
            base_url=config.base_url.rstrip("/"),
            auth=httpx.BasicAuth(config.api_key_sid, config.api_key_secret),
            headers={"User-Agent": "agent-desktop", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )
        self._relay = httpx.AsyncClient(
            base_url=config.relay_url.rstrip("/"),
            headers={"Authorization": f"Bearer {config.relay_token}"},
            timeout=timeout,
            transport=relay_transport,
        )
        self._ws = f"/v1/Workspaces/{config.workspace_sid}"
        self._worker = f"{self._ws}/Workers/{config.worker_sid}"
        self._activities: list[dict[str, Any]] | None = None
        self._timeouts: dict[str, int] = {}  # workflow SID → its reservation timeout
        self._queue_names: dict[str, str] = {}  # TaskQueue SID → friendly name (for its dispositions)
        self._answered: dict[str, datetime] = {}  # task SID → when this desk accepted it
        self._held_since: dict[str, datetime] = {}  # task SID → when this desk saw its customer put on hold
        self._transferred: dict[str, str] = {}  # task SID → the task its Flex Interactions Invite made (transfers)
        # Task SIDs being transferred now (the new task not known yet), each set once it is known or the transfer failed.
        self._moving: dict[str, asyncio.Event] = {}
        self._identity: str | None = None  # the worker's identity in Conversations (its contact_uri's)
        self._conversations = TwilioConversations(config.conversations_base_url, self._get, self._post, self.name)
        self._transfers = TwilioTransfers(
            config.flex_base_url, config.workspace_sid, config.worker_sid, self._post, self._list, self.name
        )
        self._voice = TwilioVoice(
            config.api_base_url,
            config.account_sid,
            config.voice_caller_id,
            config.conference_status_callback,
            self._get,
            self._post,
            self.name,
        )
        self.messaging = TwilioMessaging(
            config.api_base_url,
            config.account_sid,
            config.messaging_from,
            config.messaging_status_callback,
            self._get,
            self._post,
            self.name,
            region=config.messaging_region.upper(),
        )
        self._voice_transfer = TwilioVoiceTransfer(
            self._voice.root, f"{self._ws}/Tasks", self._post, self._list, self.name
        )
        self._offered: dict[
            str, dict[str, Any]
        ] = {}  # reservation SID → its task as offered (its channel: how to accept)
        self._capacity: dict[str, int] | None = None  # the Worker Channels' capacity, read at each (re)connection

    # --- HTTP -----------------------------------------------------------------------------------------

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        waited, delay = 0.0, 0.25
        while True:
            try:
                response = await send_bounded(self._client, method, url, **kwargs)
                self.center_clock.heard_header(response.headers.get("date"), self.center_clock.monotonic())
            except httpx.HTTPError as error:
                raise transport_error(self.name, error) from error
            except AnswerTooLarge:
                raise too_large(self.name, fields.VENDOR) from None
            except httpx.InvalidURL as error:  # an id read from an answer that no URL can hold
                raise BackendError(self.name, f"cannot ask for that id: {error}"[:200], status=400) from error
            if response.status_code != 429 or waited >= self.config.rate_limit_wait_s:
                break
            pause = min(delay * (1 + random.random()), self.config.rate_limit_wait_s - waited)
            await asyncio.sleep(pause)  # Twilio gives no Retry-After: back off and try again
            waited, delay = waited + pause, delay * 2
        if not response.is_success:
            raise _error(self.name, response)
        return response

    def _json(self, url: str, response: httpx.Response) -> dict[str, Any]:
        """The answer's JSON, read within bounds and checked as the resource `url` names (twilio_fields.py)."""
        return fields.resource(self.name, url, answer_json(self.name, response, fields.VENDOR))

    async def _get(self, url: str, **params: Any) -> dict[str, Any]:
        return self._json(url, await self._request("GET", url, params=params or None))

    async def _post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        return self._json(url, await self._request("POST", url, **kwargs))

    async def _list(
        self, url: str, key: str, most: int = 1000, page_size: int = 1000, **params: Any
    ) -> list[dict[str, Any]]:
        """Items across pages (`meta.next_page_url`, followed only on the host `url` is on: paging.py), at most `most`."""
        items: list[dict[str, Any]] = []
        pages = Pages(self.name, fields.VENDOR, self._origin(url))
        page = await self._page(url, key, PageSize=min(most, page_size), **params)
        while True:
            items += page.get(key) or []
            following = pages.next((page.get("meta") or {}).get("next_page_url"))
            if following is None or len(items) >= most:
                return items[:most]
            page = await self._page(following, key)

    async def _page(self, url: str, key: str, **params: Any) -> dict[str, Any]:
        response = await self._request("GET", url, params=params or None)
        return fields.page(self.name, key, answer_json(self.name, response, fields.VENDOR))

    def _origin(self, url: str) -> str:
        """The configured base URL a request for `url` goes to: its own, or TaskRouter's for a path."""
        return url if "://" in url else self.config.base_url

    async def check_access(self) -> None:
        await self._get(self._worker)  # 401 key refused, 404 no such worker or workspace

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._relay.aclose()

    # --- reading ----------------------------------------------------------------------------------------

    async def _activity_list(self, fresh: bool = False) -> list[dict[str, Any]]:
        if self._activities is None or fresh:
            self._activities = await self._list(f"{self._ws}/Activities", "activities")
        return self._activities

    async def _reservations(self, *statuses: str) -> list[dict[str, Any]]:
        pages = await asyncio.gather(
            *(self._list(f"{self._worker}/Reservations", "reservations", 100, ReservationStatus=s) for s in statuses)
        )
        return [r for page in pages for r in page]

    async def _timeout(self, workflow_sid: str | None) -> int:
        if not workflow_sid or not records.is_sid("WW", workflow_sid):
            return 120  # TaskRouter's default reservation timeout
        if workflow_sid not in self._timeouts:
            workflow = await self._get(f"{self._ws}/Workflows/{workflow_sid}")
            self._timeouts[workflow_sid] = int(workflow.get("task_reservation_timeout") or 120)
        return self._timeouts[workflow_sid]

    async def _task(self, task_sid: str) -> tuple[dict[str, Any], str]:
        url = f"{self._ws}/Tasks/{task_sid}"
        response = await self._request("GET", url)
        task = self._json(url, response)
        self._conversations.learn(task)
        return task, response.headers.get("ETag", "")

    def _contact(self, task: dict[str, Any]) -> Contact:
        if task.get("task_queue_sid") and task.get("task_queue_friendly_name"):
            self._queue_names[task["task_queue_sid"]] = task["task_queue_friendly_name"]
        answered = self._answered.get(task["sid"]) or records.when(task.get("date_updated"))
        acw = self.config.acw_timeouts.get(task.get("task_queue_friendly_name") or "")
        return records.contact(task, self.agent_id, answered_at=answered, acw_timeout_s=acw)

    async def _offer(self, reservation: dict[str, Any]) -> Offer:
        task, _ = await self._task(reservation["task_sid"])
        return await self._offered_as(reservation, task)

    async def _offered_as(self, reservation: dict[str, Any], task: dict[str, Any]) -> Offer:
        offer = records.offer(reservation, task, await self._timeout(task.get("workflow_sid")))
        if offer.state == OfferState.PENDING:
            self._offered[offer.id] = task  # accepting it depends on its channel (a call is bridged)
        else:
            self._offered.pop(offer.id, None)
        return offer

    async def _channel_capacity(self, fresh: bool = False) -> dict[str, int]:
        """The worker's capacity per TaskChannel, from its Worker Channels (`configured_capacity`; 0 for a channel
        turned off): read once a (re)connection, as an admin changes it seldom."""
        if self._capacity is None or fresh:
            channels = await self._list(f"{self._worker}/Channels", "channels", 50)
            self._capacity = records.capacity(channels)
        return self._capacity

    async def get_agent(self) -> Agent:
        worker, reservations, capacity = await asyncio.gather(
            self._get(self._worker), self._reservations("pending", "accepted", "wrapping"), self._channel_capacity()
        )
        return records.agent(worker, reservations, self.config.offline_activity, self.config.missed_activity, capacity)

    async def state_catalog(self) -> list[StateOption]:
        """The workspace's Activities (read afresh each time the link comes up), but the missed one: TaskRouter
        puts a worker there, nobody chooses it."""
        activities = await self._activity_list(fresh=True)
        return [
            records.state_option(a, self.config.offline_activity)
            for a in activities
            if a.get("friendly_name") != self.config.missed_activity
        ]

    async def set_state(self, state: AgentState, reason: str | None = None) -> Agent:
        options = await self.state_catalog()
        if state == AgentState.NOT_READY:
            chosen = next((o for o in options if o.kind == state and o.reason == reason), None)
        else:
            chosen = next((o for o in options if o.kind == state), None)
        if chosen is None:
            names = one_line(", ".join(o.label[:40] for o in options[:12]))  # the workspace's names: whatever they are
            raise BackendError(
                self.name, f"422 no Activity for {state.value} {reason or ''}".rstrip() + f" (Activities: {names})", 422
            )
        await self._request("POST", self._worker, data={"ActivitySid": chosen.id})
        return await self.get_agent()

    async def _task_kept(self, task_sid: str) -> tuple[dict[str, Any], str] | None:
        """The task, or None when TaskRouter deleted it (five minutes after it finished): a reservation listed
        a moment before may name a task gone since, which is no reason to fail the whole list."""
        try:
            return await self._task(task_sid)
        except BackendError as error:
            if error.status != 404:
                raise
            return None

    async def list_offers(self) -> list[Offer]:
        reservations = await self._reservations("pending")
        tasks = await asyncio.gather(*(self._task_kept(r["task_sid"]) for r in reservations))
        return [
            records.offer(r, kept[0], await self._timeout(kept[0].get("workflow_sid")))
            for r, kept in zip(reservations, tasks, strict=True)
            if kept is not None
        ]

    async def list_contacts(self) -> list[Contact]:
        reservations = await self._reservations("accepted", "wrapping")
        tasks = await asyncio.gather(*(self._task_kept(r["task_sid"]) for r in reservations))
        return list(await asyncio.gather(*(self._with_hold(kept[0]) for kept in tasks if kept is not None)))

    def _dispositions(self, queue_name: str | None) -> list[str]:
        return self.config.dispositions.get(queue_name or "", self.config.default_dispositions)

    async def list_queues(self) -> list[Queue]:
        queues = await self._list(f"{self._ws}/TaskQueues", "task_queues")
        for queue in queues:
            self._queue_names[queue["sid"]] = queue.get("friendly_name") or ""
        return [
            records.queue(
                q,
                self._dispositions(q.get("friendly_name")),
                self.config.acw_timeouts.get(q.get("friendly_name") or ""),
            )
            for q in queues
        ]

    async def list_colleagues(self) -> list[Colleague]:
        workers = await self._list(f"{self._ws}/Workers", "workers")
        return [records.colleague(w, self.config.offline_activity, self.config.missed_activity) for w in workers]

    # --- offers and contacts --------------------------------------------------------------------------

    def _reservation_url(self, offer_id: str) -> str:
        if not records.is_sid("WR", offer_id):
            raise BackendError(self.name, f"404 offer {offer_id} not found", 404)
        return f"{self._worker}/Reservations/{offer_id}"

    async def _refused_offer(self, offer_id: str, error: BackendError) -> BackendError:
        """A reservation update refused: say why in the desk's words, reading the reservation's status now."""
        if error.status not in (400, 409):
            return error
        try:
            reservation = await self._get(self._reservation_url(offer_id))
        except BackendError:
            return error
        state = records.OFFER_STATE.get(reservation.get("reservation_status") or "", OfferState.CANCELLED)
        if state == OfferState.PENDING:
            return error
        return BackendError(self.name, f"409 offer is {state.value}", 409, state.value)

    async def _decide(self, offer_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._request("POST", self._reservation_url(offer_id), data=fields)
        except BackendError as error:
            raise await self._refused_offer(offer_id, error) from None
        self._offered.pop(offer_id, None)
        return self._json(self._reservation_url(offer_id), response)

    async def _accepting(self, offer_id: str) -> dict[str, Any]:
        """How to accept: a call with the conference instruction (twilio_voice.py: a bare accept would bridge
        nothing), a conversation with `ReservationStatus=accepted` (Flex Interactions joins the agent to it)."""
        task = self._offered.get(offer_id)
        if task is None:
            reservation = await self._get(self._reservation_url(offer_id))
            task, _ = await self._task(reservation["task_sid"])
        if records.channel(task) == Channel.VOICE.value:
            return self._voice.accept_fields(task)
        return {"ReservationStatus": "accepted"}

    async def accept_offer(self, offer_id: str) -> Contact:
        reservation = await self._decide(offer_id, await self._accepting(offer_id))
        self._answered[reservation["task_sid"]] = datetime.now(UTC)
        task, _ = await self._task(reservation["task_sid"])
        return self._contact(task)

    async def reject_offer(self, offer_id: str) -> None:
        await self._decide(offer_id, {"ReservationStatus": "rejected"})

    def _task_url(self, contact_id: str) -> str:
        if not records.is_sid("WT", contact_id):
            raise BackendError(self.name, f"404 contact {contact_id} not found", 404)
        return f"{self._ws}/Tasks/{contact_id}"

    async def _update_task(self, contact_id: str, allowed: tuple[str, ...], fields: dict[str, str]) -> Contact:
        """POST the task with `If-Match` (the ETag just read); a task changed in between is read again once."""
        url = self._task_url(contact_id)
        for attempt in range(2):
            task, etag = await self._task(contact_id)
            status = task.get("assignment_status")
            if status not in allowed:
                state = records.TASK_STATE.get(status or "", ContactState.QUEUED).value
                raise BackendError(self.name, f"409 contact is {state}", 409, state)
            body = fields(task) if callable(fields) else fields
            try:
                response = await self._request("POST", url, data=body, headers={"If-Match": etag} if etag else {})
            except BackendError as error:
                if error.status == 412 and attempt == 0:
                    continue  # changed since it was read (an ACW timeout, another desk): read it again
                raise
            return self._contact(self._json(url, response))
        raise AssertionError("unreachable")

    async def end_contact(self, contact_id: str) -> Contact:
        """A call is hung up first (its conference ended: TaskRouter would leave the caller in it), then the task
        moves to wrapping."""
        task, _ = await self._task(self._task_url(contact_id).rsplit("/", 1)[-1])
        if task.get("assignment_status") == "assigned" and records.channel(task) == Channel.VOICE.value:
            await self._voice.hang_up(task)
        self._held_since.pop(contact_id, None)
        self._conversations.ended_here.add(contact_id)  # its conversation's close, when it comes, is the agent's
        try:
            return await self._update_task(contact_id, ("assigned",), {"AssignmentStatus": "wrapping"})
        except BackendError:
            self._conversations.ended_here.discard(contact_id)
            raise

    async def complete_contact(self, contact_id: str, disposition: str) -> Contact:
        def body(task: dict[str, Any]) -> dict[str, str]:
            allowed = self._dispositions(task.get("task_queue_friendly_name"))
            if disposition not in allowed:
                raise BackendError(self.name, f"422 disposition must be one of {allowed}", 422)
            extra = records.attributes(task)
            conversations = records.mapping(extra.get("conversations"))
            extra["conversations"] = {**conversations, "outcome": disposition}  # where Flex Insights reads it
            return {"AssignmentStatus": "completed", "Reason": disposition, "Attributes": json.dumps(extra)}

        done = await self._update_task(contact_id, ("assigned", "wrapping"), body)  # type: ignore[arg-type]
        self._answered.pop(contact_id, None)
        return done

    # --- hold: the customer's leg of the call's Voice conference (twilio_voice.py) --------------------------

    def _held(self, contact: Contact, hold: bool) -> Contact:
        if contact.state != ContactState.CONNECTED:
            return contact
        if not hold:
            self._held_since.pop(contact.id, None)
            return contact
        since = self._held_since.setdefault(contact.id, datetime.now(UTC))
        return contact.model_copy(update={"state": ContactState.ON_HOLD, "held_at": since})

    async def _with_hold(self, task: dict[str, Any]) -> Contact:
        """The task as a contact, on hold if its customer's leg is (read from the conference: TaskRouter does
        not know)."""
        contact = self._contact(task)
        if contact.state != ContactState.CONNECTED or contact.channel != Channel.VOICE:
            return contact
        return self._held(contact, bool(await self._voice.held(task)))

    async def _hold(self, contact_id: str, hold: bool) -> Contact:
        if not records.is_sid("WT", contact_id):
            raise BackendError(self.name, f"404 contact {contact_id} not found", 404)
        task, _ = await self._task(contact_id)
        contact = await self._with_hold(task)
        wanted = ContactState.CONNECTED if hold else ContactState.ON_HOLD
        if contact.state != wanted:
            raise BackendError(self.name, f"409 contact is {contact.state.value}", 409, state=contact.state.value)
        return self._held(self._contact(task), await self._voice.hold(task, hold))

    async def hold_contact(self, contact_id: str) -> Contact:
        return await self._hold(contact_id, True)

    async def resume_contact(self, contact_id: str) -> Contact:
        return await self._hold(contact_id, False)

    # --- what TaskRouter does not do here (the capabilities keep the desk from asking) -----------------

    def _unsupported(self, what: str) -> BackendError:
        return BackendError(self.name, f"501 {what} is not supported on Twilio by this desk", 501)

    async def set_next_state(self, state: AgentState | None, reason: str | None = None) -> Agent:
        raise self._unsupported("a native next state")

    async def extend_wrap_up(self, contact_id: str) -> Contact:
        raise self._unsupported("a wrap-up extension")

    async def my_day(self) -> AgentDay:
        raise self._unsupported("the agent's own day")

    async def my_schedule(self) -> AgentSchedule:
        raise self._unsupported("the agent's schedule (TaskRouter keeps no WFM)")

    async def schedule_callback(
        self,
        contact_id: str,
        due_at: datetime,
        time_zone: str,
        note: str = "",
        number: str | None = None,
        idempotency_key: str | None = None,
    ) -> ScheduledCallback:
        raise self._unsupported("a scheduled callback")

    async def my_callbacks(self) -> list[ScheduledCallback]:
        raise self._unsupported("scheduled callbacks")

    async def transfer_contact(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """Blind, to a TaskQueue or a Worker; only a task in this worker's hands. A conversation: Flex Interactions'
        channel Invite, then this worker's participant closed (twilio_transfers.py); a call: the caller redirected
        into `<Enqueue>`, then this task completed (`_transfer_call`). Either makes a new task: the answer is the
        contact as the new task, `transferred_from` this one."""
        task, _ = await self._task(self._task_url(contact_id).rsplit("/", 1)[-1])
        if self._contact(task).state not in TALKING or contact_id not in {c.id for c in await self.list_contacts()}:
            state = records.TASK_STATE.get(task.get("assignment_status") or "", ContactState.QUEUED).value
            raise BackendError(self.name, f"409 contact is {state}", 409, state)
        self._moving[contact_id] = asyncio.Event()  # its task completes as part of the transfer: not completed here
        try:
            if records.channel(task) == Channel.VOICE.value:
                found, completed = await self._transfer_call(task, target, note)
                if (
                    found is None
                ):  # the call moved, but its new task did not show up: this one is completed all the same
                    return self._contact(completed)
                new_sid = found
            else:
                new_sid = await self._transfers.transfer(task, target, note)
        finally:
            self._moving.pop(contact_id).set()
        self._transferred[contact_id] = new_sid
        while len(self._transferred) > TRANSFERS_KEPT:
            self._transferred.pop(next(iter(self._transferred)))
        self._answered.pop(contact_id, None)
        self._held_since.pop(contact_id, None)
        return await self._moved_on(contact_id)

    async def _transfer_call(
        self, task: dict[str, Any], target: Target, note: str | None
    ) -> tuple[str | None, dict[str, Any]]:
        """The caller redirected into `<Enqueue>` (a new task for the call), then this task completed with the
        transfer as its reason (the sequence diagram: "complete original task (or move to wrap)": completed, as the
        agent is free at once, as on every backend; the Reason is the record); the new task's SID (None: not found
        after the redirect, the call moved all the same) and this task completed."""
        call = self._voice.call_sid(task)
        if call is None or await self._voice.conference(task) is None:
            raise BackendError(
                self.name, "409 the call is in no conference (not bridged, or ended): nothing to transfer", 409
            )
        await self._voice_transfer.redirect(task, call, target, note)
        self._voice.forget(task["sid"])  # the caller left: the conference has ended
        new_sid = await self._voice_transfer.new_task(task["sid"])
        completed = await self._post(
            f"{self._ws}/Tasks/{task['sid']}",
            data={"AssignmentStatus": "completed", "Reason": self._voice_transfer.reason(target)},
        )
        return new_sid, completed

    async def _moved_on(self, contact_id: str) -> Contact:
        """The contact as the task a transfer of `contact_id` made (out of this desk's hands unless offered here)."""
        new, _ = await self._task(self._transferred[contact_id])
        return records.contact(new, None).model_copy(update={"transferred_from": contact_id})

    async def start_consult(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        raise self._unsupported("consult")

    async def complete_consult(self, contact_id: str) -> Contact:
        raise self._unsupported("consult")

    async def cancel_consult(self, contact_id: str) -> Contact:
        raise self._unsupported("consult")

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        raise self._unsupported("typing")  # Conversations has no REST typing indicator

    # --- chat and SMS: Twilio Conversations (twilio_conversations.py) ----------------------------------

    async def _worker_identity(self) -> str:
        """The worker's identity in Conversations: its `contact_uri` without `client:` (as Flex names agents)."""
        if self._identity is None:
            extra = records.attributes(await self._get(self._worker))
            uri = extra.get("contact_uri")
            self._identity = uri.removeprefix("client:") if isinstance(uri, str) and uri else self.agent_id
        return self._identity

    async def _conversation_task(self, contact_id: str) -> dict[str, Any]:
        task, _ = await self._task(self._task_url(contact_id).rsplit("/", 1)[-1])
        return task

    async def get_conversation(self, contact_id: str) -> Conversation:
        task, identity = await asyncio.gather(self._conversation_task(contact_id), self._worker_identity())
        return await self._conversations.conversation(task, identity, self.agent_id)

    async def list_messages(self, contact_id: str, before: str | None = None, limit: int = 50) -> TranscriptPage:
        task, identity = await asyncio.gather(self._conversation_task(contact_id), self._worker_identity())
        return await self._conversations.page(task, identity, self.agent_id, before, limit)

    async def send_message(
        self, contact_id: str, text: str, *, subject: str | None = None, idempotency_key: str | None = None
    ) -> TranscriptItem:
        task, identity = await asyncio.gather(self._conversation_task(contact_id), self._worker_identity())
        return await self._conversations.send(task, identity, self.agent_id, text, idempotency_key)

    async def mark_read(self, contact_id: str, up_to_item_id: str) -> Conversation:
        task, identity = await asyncio.gather(self._conversation_task(contact_id), self._worker_identity())
        await self._conversations.mark_read(task, identity, up_to_item_id)
        return await self._conversations.conversation(task, identity, self.agent_id)

    # --- events -----------------------------------------------------------------------------------------

    async def _snapshot(self) -> list[ContactCenterEvent]:
        await self._channel_capacity(fresh=True)
        agent, offers, contacts = await asyncio.gather(self.get_agent(), self.list_offers(), self.list_contacts())
        return [
            AgentStateEvent(agent=agent),
            *(OfferEvent(offer=o) for o in offers),
            *(ContactEvent(contact=c) for c in contacts),
        ]

    async def _resync(self) -> list[ContactCenterEvent]:
        """The snapshot read as the relay's stream (re)connects. Twilio failing it is said as Twilio failing, at
        Twilio's address: the relay answered, so "cannot reach contact center" at the relay's would point the
        agent (and whoever they call) at the wrong server."""
        try:
            return await self._snapshot()
        except BackendError as error:
            if not error.retryable:
                raise
            words = link_words(error, self.config.timeout_s)
            raise BackendError(self.name, words, error.status, url=self.config.base_url) from error

    async def _translate(self, relay_id: int, params: dict[str, str]) -> AsyncIterator[ContactCenterEvent]:
        """One TaskRouter event as the desk's events (`_read`); a callback whose task TaskRouter deleted
        meanwhile (five minutes after it finished: a late or replayed callback) is read from its own fields."""
        try:
            async for event in self._read(relay_id, params):
                yield event
        except BackendError as error:
            if error.status != 404 or not records.is_sid("WT", params.get("TaskSid") or ""):
                raise
            gone = self._gone(relay_id, params)
            if gone is not None:
                yield gone

    def _gone(self, relay_id: int, params: dict[str, str]) -> ContactCenterEvent | None:
        """A task.completed or task.canceled callback about a deleted task: the contact as the callback says it
        ended, out of this desk's hands. Nothing for a reservation's or a wrap-up's (a deleted task has since
        been completed: its own callback says so, with the disposition)."""
        kind = params.get("EventType", "")
        if kind not in ("task.completed", "task.canceled"):
            return None
        task = twilio_history.task_of_callback(params, datetime.now(UTC))
        task["assignment_status"] = kind.removeprefix("task.")
        self._answered.pop(task["sid"], None)
        self._held_since.pop(task["sid"], None)
        return ContactEvent(contact=self._contact(task), event_id=relay_id * 8)

    async def _read(self, relay_id: int, params: dict[str, str]) -> AsyncIterator[ContactCenterEvent]:
        """One TaskRouter event as the desk's events, from the resources it names, read now; each is yielded as
        soon as it is read (an offer reaches the screen before the agent's derived state is fetched)."""
        kind = params.get("EventType", "")
        if params.get("WorkerSid") not in (None, self.agent_id):
            return
        index = 0
        if kind in CONVERSATION_WEBHOOKS:  # a Conversations webhook (twilio_conversation_events.py)
            message = await conversation_event(
                self._conversations, params, await self._worker_identity(), self.agent_id
            )
            if message is not None:
                yield message
            return

        def numbered(event: ContactCenterEvent) -> ContactCenterEvent:
            # Ids only grow, several to one relay event (the desk drops an id it has seen: a replay).
            nonlocal index
            index += 1
            return event.model_copy(update={"event_id": relay_id * 8 + index - 1})

        if kind.startswith("reservation.") and kind not in ("reservation.wrapup", "reservation.completed"):
            sid = params.get("ReservationSid") or params.get("ResourceSid") or ""
            task_sid = params.get("TaskSid") or ""
            if records.is_sid("WT", task_sid):  # the callback names the task: read both at once
                reservation, (task, _) = await asyncio.gather(
                    self._get(self._reservation_url(sid)), self._task(task_sid)
                )
                offer = await self._offered_as(reservation, task)
            else:
                offer = await self._offer(await self._get(self._reservation_url(sid)))
            if offer.state == OfferState.PENDING:
                yield numbered(OfferEvent(offer=offer))
            else:
                yield numbered(OfferClosedEvent(offer=offer))
                if offer.state == OfferState.ACCEPTED:
                    self._answered.setdefault(offer.contact.id, datetime.now(UTC))
                    task, _ = await self._task(offer.contact.id)
                    yield numbered(ContactEvent(contact=self._contact(task)))
        elif kind.startswith(("task.", "reservation.")) and (params.get("TaskSid") or "") in (
            *self._transferred,
            *self._moving,
        ):
            # This desk's task a transfer completed (its participant closed): the contact goes on as the new task. Its
            # callback can come before the transfer's last answer (the new task's SID): wait for it (a moment).
            old = params.get("TaskSid") or ""
            if old in self._moving and kind in ("task.completed", "task.wrapup"):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._moving[old].wait(), self.config.timeout_s * 3)
            if old in self._transferred and kind in ("task.completed", "task.wrapup"):
                yield numbered(ContactEvent(contact=await self._moved_on(old)))
            return
        elif kind == "reservation.completed":
            task, _ = await self._task(params.get("TaskSid") or "")
            if task.get("assignment_status") in ("wrapping", "completed"):
                return  # wrapped up here: the task's own event says so
            yield numbered(
                ContactEvent(contact=records.contact(task, None))
            )  # transferred away: out of this desk's hands
        elif kind in ("task.wrapup", "task.completed", "task.canceled"):
            task, _ = await self._task(params.get("TaskSid") or params.get("ResourceSid") or "")
            yield numbered(ContactEvent(contact=self._contact(task)))
        elif kind != "worker.activity.update":
            return
        yield numbered(AgentStateEvent(agent=await self.get_agent()))

    async def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        stream = resilient_stream(
            self._relay,
            f"/v1/Workers/{self.agent_id}/Events",
            backend=self.name,
            parse=_relayed,
            resync=self._resync,
            heartbeat_timeout_s=self._heartbeat_timeout_s,
        )
        items = skipping_backlog(stream, lambda item: isinstance(item, _Relayed), BACKLOG_EVENTS)
        link = LinkStatus(self.name, True)  # the relay's, as the stream last said it
        try:
            async for item in items:
                if isinstance(item, Backlog):
                    log.warning("%s: %d relayed events behind: the present read instead", self.name, item.skipped)
                    if link is not None and link.connected:
                        yield link  # as after a gap: the desk re-reads what it shows (transcripts, queues)
                    try:
                        for event in await self._snapshot():
                            yield event
                    except BackendError as error:
                        log.warning("%s: the present not read after a backlog: %s", self.name, error.message)
                    continue
                if not isinstance(item, _Relayed):
                    link = item if isinstance(item, LinkStatus) else link
                    yield item
                    continue
                kind = item.params.get("EventType", "?")
                # The relay says when it kept the event (its ids are a sequence, not a time): a late one is said.
                received_ms = item.params.pop("RelayReceivedMs", "")
                if received_ms.isdigit() and (late_s := time.time() - int(received_ms) / 1000) > SLOW_S:
                    log.warning("%s: %s reached the desk %.1f s after the relay kept it", self.name, kind, late_s)
                started = time.monotonic()
                try:
                    async for event in self._translate(item.id, item.params):
                        yield event
                except BackendError as error:
                    log.warning("%s: %s not read: %s", self.name, kind, error.message)
                    if (
                        error.retryable
                    ):  # Twilio failing (429, slow, 5xx): what this event said is missed until a resync
                        async for status_or_event in until_twilio_answers(
                            error, self._snapshot, link, url=self.config.base_url, timeout_s=self.config.timeout_s
                        ):
                            yield status_or_event
                if (took_s := time.monotonic() - started) > SLOW_S:
                    log.warning("%s: %s took %.1f s to read and show", self.name, kind, took_s)
        finally:
            await items.aclose()
            await stream.aclose()


class _Relayed:
    """A TaskRouter event as the relay passes it on: its id and the callback's parameters."""

    __slots__ = ("id", "params")

    def __init__(self, id_: int, params: dict[str, str]) -> None:
        self.id, self.params = id_, params


def _relayed(event: ServerSentEvent) -> _Relayed | Unreadable | None:
    try:
        params = json.loads(event.data)
    except (ValueError, RecursionError):  # nested a thousand deep is a RecursionError
        return Unreadable(event.event if event.event.isidentifier() else "?", "not JSON")
    if not isinstance(params, dict) or not (event.id.isascii() and event.id.isdigit() and len(event.id) <= 20):
        return Unreadable("?", "not a relayed event")
    return _Relayed(int(event.id), {str(k): str(v) for k, v in params.items()})


def _error(backend: str, response: httpx.Response) -> BackendError:
    """Twilio's `{"code", "message", "more_info", "status"}` in a line an agent can read."""
    text = response.reason_phrase
    body = json_body(response)
    if isinstance(body, dict) and body.get("message"):
        text = f"{body['message']} (Twilio error {body.get('code')})"
    if response.status_code == 429:
        text = "rate limited (Twilio error 20429)"
    return BackendError(backend, f"{response.status_code} {one_line(text)}", response.status_code)
