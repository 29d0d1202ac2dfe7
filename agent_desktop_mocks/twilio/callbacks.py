"""TaskRouter's Event Callbacks: each change in the engine, as Twilio would report it, POSTed (form-encoded,
signed with `X-Twilio-Signature`) to the workspace's EventCallbackUrl.

Made from the engine's domain events as they are committed (`Engine.listen`), sent in order by one
background task; a connection that fails is tried once more on a new one, then the callback is logged and
dropped, as Twilio drops one that does not answer 2xx in time (the relay's readers resync on reconnect; while
connected, a dropped callback is missed until the next one about the same resource or the next reconnect).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from typing import Any

import httpx

from agent_desktop_mocks.ccaas.core.domain_events import (
    AgentStateChanged,
    ContactChanged,
    DomainEvent,
    OfferClosed,
    OfferMade,
)
from agent_desktop_mocks.ccaas.core.wire.schemas import Contact
from agent_desktop_mocks.common.event_log import EventLog
from agent_desktop_mocks.twilio.conversation_webhooks import webhooks
from agent_desktop_mocks.twilio.event_history import EventHistory
from agent_desktop_mocks.twilio.http.signing import signature
from agent_desktop_mocks.twilio.resources import CLOSED_RESERVATION, TASK_STATUS, Render
from agent_desktop_mocks.twilio.state import TwilioState
from agent_desktop_mocks.twilio.task_segments import Segment

log = logging.getLogger(__name__)

CLOSED_EVENT = {state: f"reservation.{status}" for state, status in CLOSED_RESERVATION.items()}
CONTACT_EVENTS = {
    "ended": ("task.wrapup", "reservation.wrapup"),
    "completed": ("task.completed", "reservation.completed"),
    "abandoned": ("task.canceled",),
}


class EventCallbacks:
    def __init__(self, twilio: TwilioState, event_log: EventLog | None = None) -> None:
        self.twilio = twilio
        self.queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self._numbers = itertools.count(1)
        self._activity: dict[str, str] = {a.id: twilio.activity_of(a.id).sid for a in twilio.engine.read.agents()}
        self.sent = 0
        self.history = (
            EventHistory()
        )  # TaskRouter's Events resource (routers/events.py): logged with or without a callback URL
        twilio.engine.listen(self._on_events)
        twilio.tasks.listen(self._on_segment)
        if event_log is not None and twilio.conversations is not None:
            event_log.add_listener(self._on_published)

    # --- what happened, in Twilio's words ---------------------------------------------------------

    def _base(self, event_type: str, resource_type: str, resource_sid: str, description: str) -> dict[str, str]:
        s = self.twilio.settings
        now = time.time()
        return {
            "AccountSid": s.account_sid,
            "WorkspaceSid": s.workspace_sid,
            "WorkspaceName": "Agent desktop demo",
            "EventType": event_type,
            "ResourceType": resource_type,
            "ResourceSid": resource_sid,
            "EventDescription": description,
            "Sid": f"EV{next(self._numbers):032x}",
            "Timestamp": str(int(now)),
            "TimestampMs": str(int(now * 1000)),
        }

    def _task(self, contact: Contact) -> dict[str, str]:
        view, sids = Render(self.twilio, ""), self.twilio.sids
        return {
            "TaskSid": self.twilio.task_sid(contact.id),
            "TaskAttributes": json.dumps(view.task_attributes(contact)),
            "TaskAssignmentStatus": TASK_STATUS[contact.state],
            "TaskQueueSid": sids.of("WQ", contact.queue_id),
            "TaskQueueName": contact.queue_name,
            "TaskChannelUniqueName": contact.channel.value,
            "TaskPriority": str(contact.priority),
            "TaskAge": str(int((self.twilio.engine.read.now() - contact.entered_queue_at).total_seconds())),
        }

    def _worker(self, agent_id: str) -> dict[str, str]:
        activity = self.twilio.activity_of(agent_id)
        return {
            "WorkerSid": self.twilio.sids.of("WK", agent_id),
            "WorkerName": self.twilio.engine.read.agent(agent_id).name,
            "WorkerActivitySid": activity.sid,
            "WorkerActivityName": activity.name,
        }

    def _on_events(self, events: list[DomainEvent]) -> None:
        sids = self.twilio.sids
        for event in events:
            if isinstance(event, OfferMade | OfferClosed):
                offer = event.offer
                if isinstance(event, OfferClosed) and offer.state not in CLOSED_EVENT:
                    continue
                kind = "reservation.created" if isinstance(event, OfferMade) else CLOSED_EVENT[offer.state]
                sid = sids.of("WR", offer.id)
                params = self._base(kind, "reservation", sid, f"Reservation {sid} {kind.split('.')[1]}")
                self._put(params | self._task(offer.contact) | self._worker(offer.agent_id) | {"ReservationSid": sid})
            elif isinstance(event, ContactChanged) and event.kind == "connected" and event.contact.agent_id:
                offer_id = self.twilio.accepted_through.get(event.contact.id)
                if offer_id is not None:  # an offer accepted (the engine says so with the contact connected)
                    sid = sids.of("WR", offer_id)
                    params = self._base("reservation.accepted", "reservation", sid, f"Reservation {sid} accepted")
                    self._put(
                        params
                        | self._task(event.contact)
                        | self._worker(event.contact.agent_id)
                        | {"ReservationSid": sid}
                    )
            elif isinstance(event, ContactChanged) and event.kind == "transferred" and event.from_agent:
                # Invited elsewhere (routers/interactions.py): a new task; the inviting agent's own task and
                # reservation go on until their participant is updated (_on_segment).
                if self.twilio.tasks.invite_of(event.contact.id) is not None:
                    sid = self.twilio.task_sid(event.contact.id)
                    self._put(
                        self._base("task.created", "task", sid, f"Task {sid} created") | self._task(event.contact)
                    )
            elif isinstance(event, ContactChanged) and event.kind in CONTACT_EVENTS:
                contact = event.contact
                for kind in CONTACT_EVENTS[event.kind]:
                    resource = kind.split(".")[0]
                    offer_id = self.twilio.accepted_through.get(contact.id)
                    if resource == "reservation" and (offer_id is None or contact.agent_id is None):
                        continue
                    sid = sids.of("WR", offer_id) if resource == "reservation" else self.twilio.task_sid(contact.id)  # type: ignore[arg-type]
                    params = self._base(kind, resource, sid, f"{resource.capitalize()} {sid} {kind.split('.')[1]}")
                    params |= self._task(contact)
                    if contact.agent_id is not None:
                        params |= self._worker(contact.agent_id)
                    if resource == "reservation":
                        params["ReservationSid"] = sid
                    self._put(params)
            elif isinstance(event, AgentStateChanged):
                agent = event.agent
                activity = self.twilio.activity_of(agent.id)
                if self._activity.get(agent.id) != activity.sid:
                    previous = self._activity.get(agent.id)
                    self._activity[agent.id] = activity.sid
                    sid = sids.of("WK", agent.id)
                    params = self._base(
                        "worker.activity.update", "worker", sid, f"Worker {agent.name} updated to {activity.name}"
                    )
                    params |= self._worker(agent.id)
                    if previous is not None:
                        params["WorkerPreviousActivitySid"] = previous
                    self._put(params)

    def _on_segment(self, kind: str, segment: Segment) -> None:
        """A task an Invite left behind wraps up or completes (its participant updated: task_segments.py): its task's
        and its reservation's events, from the task as TaskRouter shows it."""
        if self.twilio.settings.event_callback_url is None:
            return
        task = self.twilio.tasks.render(segment, self.twilio.engine.read.now())
        about = {
            "TaskSid": task["sid"],
            "TaskAttributes": task["attributes"],
            "TaskAssignmentStatus": task["assignment_status"],
            "TaskQueueSid": task["task_queue_sid"],
            "TaskQueueName": task["task_queue_friendly_name"] or "",
            "TaskChannelUniqueName": task["task_channel_unique_name"],
            "TaskPriority": str(task["priority"]),
            "TaskAge": str(task["age"]),
        }
        self._put(self._base(f"task.{kind}", "task", task["sid"], f"Task {task['sid']} {kind}") | about)
        if segment.offer_id is not None and segment.agent_id is not None:
            sid = self.twilio.sids.of("WR", segment.offer_id)
            params = self._base(f"reservation.{kind}", "reservation", sid, f"Reservation {sid} {kind}")
            self._put(params | about | self._worker(segment.agent_id) | {"ReservationSid": sid})

    def _on_published(self, topics: list[str], type_: str, data: dict[str, Any]) -> None:
        """A conversation's change as Conversations' webhooks (conversation_webhooks.py), form-encoded and signed
        like TaskRouter's callbacks and sent to the same URL."""
        if self.twilio.settings.event_callback_url is None:
            return
        for params in webhooks(self.twilio, type_, data):
            self._put(params)

    def _put(self, params: dict[str, str]) -> None:
        self.history.record(self.twilio.engine.read.now(), params)
        if self.twilio.settings.event_callback_url is not None:
            self.queue.put_nowait(params)

    # --- sending ----------------------------------------------------------------------------------

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=3.0)) as client:
            while True:
                params = await self.queue.get()
                url = self.twilio.settings.event_callback_url
                if url is None:
                    continue
                headers = {
                    "X-Twilio-Signature": signature(self.twilio.settings.auth_token, url, params),
                    "User-Agent": "TwilioProxy/1.1",
                }
                for attempt in (1, 2):
                    started = time.monotonic()
                    try:
                        answer = await client.post(url, data=params, headers=headers)
                    except httpx.TransportError as error:
                        log.warning(
                            "event callback %s attempt %d failed after %.1f s: %r",
                            params["EventType"],
                            attempt,
                            time.monotonic() - started,
                            error,
                        )
                        # A kept-alive connection the receiver closed as this one was sent (a server's idle
                        # timeout races the pool): once more on a new connection, as Twilio's webhooks retry
                        # a connection that failed. A second failure drops the callback.
                        if attempt == 1:
                            continue
                        log.warning("event callback %s not delivered: %r", params["EventType"], error)
                    except httpx.HTTPError as error:
                        log.warning("event callback %s not delivered: %r", params["EventType"], error)
                    else:
                        if (took := time.monotonic() - started) > 1.0:
                            log.warning("event callback %s took %.1f s", params["EventType"], took)
                        if answer.is_success:
                            self.sent += 1
                        else:
                            log.warning("event callback %s answered %s", params["EventType"], answer.status_code)
                    break
