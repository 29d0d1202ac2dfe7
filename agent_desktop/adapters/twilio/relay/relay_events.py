"""The Twilio contact center's events: TaskRouter pushes only to a server (Event Callbacks) or to its JS SDK's
undocumented websocket, so the desk reads its worker's callbacks from the Twilio event relay (an SSE stream that
resumes with `Last-Event-ID`) and fetches the resources each names, yielded as the desk's events (with the lines of its
transcribed calls, each from its call's own stream: call_lines.py); every
(re)connection resyncs from the REST API, and a backlog is skipped for the present read once.

A part of `TwilioContactCenter` (contact_center.py), which builds it and which it sees only as `RelayHost`: the
tasks this desk answered, held and transferred, and how it reads a task, an offer and a conversation."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from httpx_sse import ServerSentEvent

from agent_desktop.adapters.twilio import history as twilio_history
from agent_desktop.adapters.twilio import records
from agent_desktop.adapters.twilio.calls.call_hold import CallHold
from agent_desktop.adapters.twilio.calls.call_transcription import CallTranscription, TranscriptLines
from agent_desktop.adapters.twilio.chat.conversation_events import WEBHOOKS as CONVERSATION_WEBHOOKS
from agent_desktop.adapters.twilio.chat.conversation_events import conversation_event
from agent_desktop.adapters.twilio.chat.conversations import TwilioConversations
from agent_desktop.adapters.twilio.config import TwilioConfig
from agent_desktop.adapters.twilio.relay.call_lines import CallLines, merged
from agent_desktop.adapters.twilio.relay.link import link_words, until_twilio_answers
from agent_desktop.adapters.twilio.relay.relay_backlog import Backlog, skipping_backlog
from agent_desktop.adapters.twilio.transfer.contact_transfer import ContactTransfer
from agent_desktop.adapters.wire.event_json import Unreadable
from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Agent,
    AgentStateEvent,
    Contact,
    ContactCenterEvent,
    ContactEvent,
    Offer,
    OfferClosedEvent,
    OfferEvent,
    OfferState,
)
from agent_desktop.domain.streams.link_status import LinkStatus

log = logging.getLogger(__name__)

SLOW_S = 1.0  # an event later or slower than this is logged (where an offer's time went)
# More relayed events than this waiting: the desk reads the present once instead (relay_backlog.py).
BACKLOG_EVENTS = 50
TRANSCRIPTION = "transcription"  # the relay's event type of a call's line (agent_desktop_relay/transcription.py)


class RelayHost(Protocol):
    """The contact center as its events see it (contact_center.py's TwilioContactCenter): its settings and worker,
    the protocol's reads for a resync, how it reads a task, a reservation and a conversation, what it remembers of
    answered, held and transferred tasks, and its calls' lines. The center builds its parts; they never import it."""

    @property
    def name(self) -> str: ...

    @property
    def config(self) -> TwilioConfig: ...

    @property
    def agent_id(self) -> str: ...

    @property
    def _agent_name(self) -> str: ...

    @property
    def _answered(self) -> dict[str, datetime]: ...

    @property
    def _call_hold(self) -> CallHold: ...

    @property
    def _transfer(self) -> ContactTransfer: ...

    @property
    def _transcription(self) -> CallTranscription | None: ...

    @property
    def _lines(self) -> TranscriptLines: ...

    @property
    def _conversations(self) -> TwilioConversations: ...

    async def get_agent(self) -> Agent: ...

    async def list_offers(self) -> list[Offer]: ...

    async def list_contacts(self) -> list[Contact]: ...

    async def _channel_capacity(self, fresh: bool = False) -> dict[str, int]: ...

    async def _worker_identity(self) -> str: ...

    async def _get(self, url: str, **params: Any) -> dict[str, Any]: ...

    async def _task(self, task_sid: str) -> tuple[dict[str, Any], str]: ...

    def _reservation_url(self, offer_id: str) -> str: ...

    def _contact(self, task: dict[str, Any]) -> Contact: ...

    async def _offer(self, reservation: dict[str, Any]) -> Offer: ...

    async def _offered_as(self, reservation: dict[str, Any], task: dict[str, Any]) -> Offer: ...


class RelayEvents:
    def __init__(
        self,
        center: RelayHost,
        *,
        heartbeat_timeout_s: float,
        relay_transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        self.center = center
        config = center.config
        self._heartbeat_timeout_s = heartbeat_timeout_s
        self._relay = httpx.AsyncClient(
            base_url=config.relay_url.rstrip("/"),
            headers={"Authorization": f"Bearer {config.relay_token}"},
            timeout=httpx.Timeout(config.timeout_s, connect=min(config.timeout_s, 3.0)),
            transport=relay_transport,
        )
        # Each transcribed call's lines, from the call's own stream (call_lines.py).
        self.calls = CallLines(self._relay, center.agent_id, center.name, heartbeat_timeout_s, _relayed)

    async def aclose(self) -> None:
        await self.calls.aclose()
        await self._relay.aclose()

    async def snapshot(self) -> list[ContactCenterEvent]:
        await self.center._channel_capacity(fresh=True)
        agent, offers, contacts = await asyncio.gather(
            self.center.get_agent(), self.center.list_offers(), self.center.list_contacts()
        )
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
            return await self.snapshot()
        except BackendError as error:
            if not error.retryable:
                raise
            words = link_words(error, self.center.config.timeout_s)
            raise BackendError(self.center.name, words, error.status, url=self.center.config.base_url) from error

    async def translate(self, relay_id: int, params: dict[str, str]) -> AsyncIterator[ContactCenterEvent]:
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
        self.center._answered.pop(task["sid"], None)
        self.center._call_hold.held_since.pop(task["sid"], None)
        return ContactEvent(contact=self.center._contact(task), event_id=relay_id * 8)

    async def _read(self, relay_id: int, params: dict[str, str]) -> AsyncIterator[ContactCenterEvent]:
        """One TaskRouter event as the desk's events, from the resources it names, read now; each is yielded as
        soon as it is read (an offer reaches the screen before the agent's derived state is fetched)."""
        kind = params.get("EventType", "")
        if params.get("WorkerSid") not in (None, self.center.agent_id):
            return
        if kind == TRANSCRIPTION:  # a line heard on a call, masked by the relay (calls/call_transcription.py)
            call_task, running = params.get("TaskSid", ""), self.center._transcription
            if params.get("Status") == "stopped" and (running is None or call_task not in running.running):
                return  # stopped by this desk (the call transferred away): nothing to tell the agent
            held = call_task in self.center._call_hold.held_since  # the caller hears hold music, not the agent
            line = self.center._lines.read(params, self.center._agent_name, relay_id * 8, held=held)
            if line is not None:
                yield line
            return
        index = 0
        if kind in CONVERSATION_WEBHOOKS:  # a Conversations webhook (twilio_conversation_events.py)
            message = await conversation_event(
                self.center._conversations, params, await self.center._worker_identity(), self.center.agent_id
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
                    self.center._get(self.center._reservation_url(sid)), self.center._task(task_sid)
                )
                offer = await self.center._offered_as(reservation, task)
            else:
                offer = await self.center._offer(await self.center._get(self.center._reservation_url(sid)))
            if offer.state == OfferState.PENDING:
                yield numbered(OfferEvent(offer=offer))
            else:
                yield numbered(OfferClosedEvent(offer=offer))
                if offer.state == OfferState.ACCEPTED:
                    self.center._answered.setdefault(offer.contact.id, datetime.now(UTC))
                    task, _ = await self.center._task(offer.contact.id)
                    yield numbered(ContactEvent(contact=self.center._contact(task)))
        elif kind.startswith(("task.", "reservation.")) and (params.get("TaskSid") or "") in (
            *self.center._transfer.transferred,
            *self.center._transfer.moving,
        ):
            # This desk's task a transfer completed (its participant closed): the contact goes on as the new task. Its
            # callback can come before the transfer's last answer (the new task's SID): wait for it (a moment).
            old = params.get("TaskSid") or ""
            if old in self.center._transfer.moving and kind in ("task.completed", "task.wrapup"):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.center._transfer.moving[old].wait(), self.center.config.timeout_s * 3)
            if old in self.center._transfer.transferred and kind in ("task.completed", "task.wrapup"):
                yield numbered(ContactEvent(contact=await self.center._transfer.moved_on(old)))
            return
        elif kind == "reservation.completed":
            task, _ = await self.center._task(params.get("TaskSid") or "")
            if task.get("assignment_status") in ("wrapping", "completed"):
                return  # wrapped up here: the task's own event says so
            yield numbered(
                ContactEvent(contact=records.contact(task, None))
            )  # transferred away: out of this desk's hands
        elif kind in ("task.wrapup", "task.completed", "task.canceled"):
            if kind != "task.wrapup":
                self.calls.unfollow(params.get("TaskSid") or "")  # its call's lines are no longer this desk's
            task, _ = await self.center._task(params.get("TaskSid") or params.get("ResourceSid") or "")
            yield numbered(ContactEvent(contact=self.center._contact(task)))
        elif kind != "worker.activity.update":
            return
        yield numbered(AgentStateEvent(agent=await self.center.get_agent()))

    async def events(self) -> AsyncIterator[ContactCenterEvent | LinkStatus]:
        stream = resilient_stream(
            self._relay,
            f"/v1/Workers/{self.center.agent_id}/Events",
            backend=self.center.name,
            parse=_relayed,
            resync=self._resync,
            heartbeat_timeout_s=self._heartbeat_timeout_s,
        )
        # The calls' lines join the worker's events as they come (they are no backlog: a desk shows its call live).
        backlogged = skipping_backlog(stream, lambda item: isinstance(item, _Relayed), BACKLOG_EVENTS)
        items = merged(backlogged, self.calls.lines)
        link = LinkStatus(self.center.name, True)  # the relay's, as the stream last said it
        try:
            async for item in items:
                if isinstance(item, Backlog):
                    log.warning(
                        "%s: %d relayed events behind: the present read instead", self.center.name, item.skipped
                    )
                    if link is not None and link.connected:
                        yield link  # as after a gap: the desk re-reads what it shows (transcripts, queues)
                    try:
                        for event in await self.snapshot():
                            yield event
                    except BackendError as error:
                        log.warning("%s: the present not read after a backlog: %s", self.center.name, error.message)
                    continue
                if not isinstance(item, _Relayed):
                    link = item if isinstance(item, LinkStatus) else link
                    yield item
                    continue
                kind = item.params.get("EventType", "?")
                # The relay says when it kept the event (its ids are a sequence, not a time): a late one is said.
                received_ms = item.params.pop("RelayReceivedMs", "")
                if received_ms.isdigit() and (late_s := time.time() - int(received_ms) / 1000) > SLOW_S:
                    log.warning(
                        "%s: %s reached the desk %.1f s after the relay kept it", self.center.name, kind, late_s
                    )
                started = time.monotonic()
                try:
                    async for event in self.translate(item.id, item.params):
                        yield event
                except BackendError as error:
                    log.warning("%s: %s not read: %s", self.center.name, kind, error.message)
                    if (
                        error.retryable
                    ):  # Twilio failing (429, slow, 5xx): what this event said is missed until a resync
                        async for status_or_event in until_twilio_answers(
                            error,
                            self.snapshot,
                            link,
                            url=self.center.config.base_url,
                            timeout_s=self.center.config.timeout_s,
                        ):
                            yield status_or_event
                if (took_s := time.monotonic() - started) > SLOW_S:
                    log.warning("%s: %s took %.1f s to read and show", self.center.name, kind, took_s)
        finally:
            await items.aclose()
            await backlogged.aclose()
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
