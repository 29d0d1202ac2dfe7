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

This class reads the worker, its reservations and its tasks, and answers the protocol with them. Its parts, each a
file beside it: the settings (config.py), what it serves (capabilities.py), the REST plumbing (rest.py: basic auth
with an API key, 429 retried with a growing wait up to `rate_limit_wait_s`), the events read from the Twilio event
relay (relay/relay_events.py), hold (calls/call_hold.py), a transfer and the tasks it made
(transfer/contact_transfer.py); the parts are collaborators it builds and holds, each seeing it only as a protocol of
what that part reads (`HoldHost`, `TransferHost`, `RelayHost`), but for what it refuses (refusals.py, a mixin: the
reason is there).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx

from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.calls.call_hold import CallHold
from agent_desktop.adapters.twilio.calls.call_transcription import CallTranscription, TranscriptLines
from agent_desktop.adapters.twilio.calls.voice import TwilioVoice
from agent_desktop.adapters.twilio.capabilities import TWILIO_CAPABILITIES as TWILIO_CAPABILITIES
from agent_desktop.adapters.twilio.chat.conversations import TwilioConversations
from agent_desktop.adapters.twilio.config import TwilioConfig as TwilioConfig
from agent_desktop.adapters.twilio.messaging import TwilioMessaging
from agent_desktop.adapters.twilio.refusals import TaskRouterRefusals
from agent_desktop.adapters.twilio.relay.relay_events import RelayEvents
from agent_desktop.adapters.twilio.relay.relay_events import _relayed as _relayed  # read by its test where it was
from agent_desktop.adapters.twilio.rest import TwilioRest
from agent_desktop.adapters.twilio.transfer.contact_transfer import ContactTransfer
from agent_desktop.adapters.twilio.transfer.flex_transfer import TwilioTransfers
from agent_desktop.adapters.twilio.transfer.voice_transfer import TwilioVoiceTransfer
from agent_desktop.adapters.wire.http_errors import one_line
from agent_desktop.domain.capabilities import StateOption
from agent_desktop.domain.center_clock import CenterClock
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Channel,
    Colleague,
    Contact,
    ContactCenterEvent,
    ContactState,
    Conversation,
    Offer,
    OfferState,
    Queue,
    Target,
    TranscriptItem,
    TranscriptPage,
)
from agent_desktop.domain.streams.link_status import LinkStatus

# The relay heartbeats every 4 s (agent_desktop_relay/settings.py): its link is counted lost after three missed, well
# before the shortest offer (20 s on the demo floor) could expire unseen behind a relay that stopped.
RELAY_HEARTBEAT_TIMEOUT_S = 12.0


class TwilioContactCenter(TaskRouterRefusals):
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
        self.center_clock = CenterClock()  # TaskRouter's clock, read from each answer's `Date`
        self._rest = TwilioRest(config, self.name, self.center_clock, transport)
        # The REST plumbing (rest.py) under the names the parts below and the supervisor's console (supervisor.py) use.
        self._client = self._rest.client
        self._request, self._json = self._rest.request, self._rest.json
        self._get, self._post, self._list = self._rest.get, self._rest.post, self._rest.list
        self._events = RelayEvents(
            self,
            heartbeat_timeout_s=min(heartbeat_timeout_s, RELAY_HEARTBEAT_TIMEOUT_S),
            relay_transport=relay_transport,
        )
        self._ws = f"/v1/Workspaces/{config.workspace_sid}"
        self._worker = f"{self._ws}/Workers/{config.worker_sid}"
        self._activities: list[dict[str, Any]] | None = None
        self._timeouts: dict[str, int] = {}  # workflow SID → its reservation timeout
        self._queue_names: dict[str, str] = {}  # TaskQueue SID → friendly name (for its dispositions)
        self._answered: dict[str, datetime] = {}  # task SID → when this desk accepted it
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
        self._transcription = (
            CallTranscription(
                self._voice.root,
                config.transcription_callback_url or f"{config.relay_url.rstrip('/')}/twilio/events",
                config.transcription_language,
                self._post,
                self.name,
            )
            if config.live_transcription
            else None
        )
        self._lines = TranscriptLines()  # the relay's transcription events of this desk's calls, as lines
        self._agent_name = ""  # the worker's name, read at each (re)connection: the agent's lines are said under it
        self._voice_transfer = TwilioVoiceTransfer(
            self._voice.root, f"{self._ws}/Tasks", self._post, self._list, self.name
        )
        self._offered: dict[str, dict[str, Any]] = {}  # reservation SID → its task as offered (how to accept it)
        # Its parts that keep what they know (relay/relay_events.py holds the relay's client).
        self._call_hold = CallHold(self)
        self._transfer = ContactTransfer(self)
        self._capacity: dict[str, int] | None = None  # the Worker Channels' capacity, read at each (re)connection

    async def check_access(self) -> None:
        await self._get(self._worker)  # 401 key refused, 404 no such worker or workspace

    async def aclose(self) -> None:
        await self._client.aclose()
        await self._events.aclose()

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
        agent = records.agent(worker, reservations, self.config.offline_activity, self.config.missed_activity, capacity)
        self._agent_name = agent.name  # (the agent's lines on calls, and a transfer's note, are said under it)
        return agent

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
        for kept in tasks:  # a call in hand when the desk (re)starts: its lines from the call's stream, as at accept
            call = self._voice.call_sid(kept[0]) if kept is not None else None
            if kept is not None and call is not None and self._transcription is not None:
                self._events.calls.follow(kept[0]["sid"], call)
        return list(await asyncio.gather(*(self._call_hold.with_hold(kept[0]) for kept in tasks if kept is not None)))

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

    async def _accepting(self, offer_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The offer's task and how to accept it: a call with the conference instruction (twilio_voice.py: a bare
        accept would bridge nothing), a conversation with `ReservationStatus=accepted` (Flex Interactions joins the
        agent to it)."""
        task = self._offered.get(offer_id)
        if task is None:
            reservation = await self._get(self._reservation_url(offer_id))
            task, _ = await self._task(reservation["task_sid"])
        if records.channel(task) == Channel.VOICE.value:
            return task, self._voice.accept_fields(task)
        return task, {"ReservationStatus": "accepted"}

    async def accept_offer(self, offer_id: str) -> Contact:
        """With live transcription, a call's transcription is started on the caller's call (in progress since it was
        queued) before the accept bridges it, so the first words said are heard: started after, it missed the
        greeting whenever the caller was bridged faster than the start's request was answered. A refused accept
        stops it again."""
        task, fields = await self._accepting(offer_id)
        call = self._voice.call_sid(task) if records.channel(task) == Channel.VOICE.value else None
        if self._transcription is not None and call is not None:
            await self._transcription.start(task["sid"], call)
            self._events.calls.follow(task["sid"], call)  # its lines, from the call's stream on the relay
        try:
            reservation = await self._decide(offer_id, fields)
        except BackendError:
            if self._transcription is not None:
                await self._transcription.stop(task["sid"])  # nothing where none was started
                self._events.calls.unfollow(task["sid"])
            raise
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
        self._call_hold.held_since.pop(contact_id, None)
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

    # --- hold: the customer's leg of the call's Voice conference (calls/call_hold.py, voice.py) ---------------------

    async def hold_contact(self, contact_id: str) -> Contact:
        return await self._call_hold.hold(contact_id, True)

    async def resume_contact(self, contact_id: str) -> Contact:
        return await self._call_hold.hold(contact_id, False)

    async def transfer_contact(self, contact_id: str, target: Target, note: str | None = None) -> Contact:
        """Blind, to a TaskQueue or a Worker: a new task, the answer the contact as it (transfer/contact_transfer.py)."""
        return await self._transfer.transfer(contact_id, target, note)

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

    # --- events: read from the relay (relay/relay_events.py) ----------------------------------------------------

    def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        return self._events.events()

    async def _snapshot(self) -> list[ContactCenterEvent]:
        return await self._events.snapshot()

    def _translate(self, relay_id: int, params: dict[str, str]) -> AsyncIterator[ContactCenterEvent]:
        return self._events.translate(relay_id, params)
