"""TaskRouter's JSON (twilio_taskrouter_v1.yaml) read into the desk's models: a Worker and its Reservations
are the agent, a Reservation the offer, a Task the contact, a TaskQueue the queue, an Activity a state.

What Twilio has no field for is derived: the agent's system states (offered, busy, after-contact work)
from their reservations; the state of a contact from the task's `assignment_status`; the offer's deadline
from the workflow's `task_reservation_timeout`; the disposition from the task's attributes
(`conversations.outcome`, where Flex Insights reads it)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.adapters.twilio.fields import parse_date
from agent_desktop.adapters.wire.answer_json import MAX_DEPTH, depth
from agent_desktop.adapters.wire.lone_surrogates import repaired
from agent_desktop.domain.capabilities import StateOption
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Channel,
    Colleague,
    Contact,
    ContactState,
    Handover,
    Offer,
    OfferState,
    Queue,
)

SID = {
    prefix: re.compile(rf"^{prefix}[0-9a-fA-F]{{32}}$")
    for prefix in ("AC", "SK", "WS", "WK", "WR", "WT", "WA", "WQ", "WW", "CF", "CA", "KD", "UO", "UT", "CH", "IM", "MB")
}

TASK_STATE = {
    "pending": ContactState.QUEUED,
    "reserved": ContactState.OFFERED,
    "assigned": ContactState.CONNECTED,
    "wrapping": ContactState.AFTER_CONTACT_WORK,
    "completed": ContactState.COMPLETED,
    "canceled": ContactState.ABANDONED,
}
OFFER_STATE = {
    "pending": OfferState.PENDING,
    "accepted": OfferState.ACCEPTED,
    "wrapping": OfferState.ACCEPTED,
    "completed": OfferState.ACCEPTED,
    "rejected": OfferState.REJECTED,
    "timeout": OfferState.EXPIRED,
    "canceled": OfferState.CANCELLED,
    "rescinded": OfferState.CANCELLED,
}


def is_sid(prefix: str, value: Any) -> bool:
    return isinstance(value, str) and bool(SID[prefix].fullmatch(value))


def when(text: Any) -> datetime | None:
    """A Twilio date, or None where there is none or it is not a date (a callback's field: the REST answers'
    were checked, twilio_fields.py)."""
    return parse_date(text) if isinstance(text, str) and text else None


def attributes(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource's `attributes` (a JSON string in Twilio's shape, written by whoever made the task: a customer's
    chat widget too); {} when absent, not a text, not JSON, nested too deep, or not an object."""
    text = resource.get("attributes")
    if not isinstance(text, str) or not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return repaired(value) if isinstance(value, dict) and depth(value) <= MAX_DEPTH else {}


def state_option(activity: dict[str, Any], offline: str) -> StateOption:
    name = activity.get("friendly_name") or activity["sid"]
    if activity.get("available"):
        return StateOption(activity["sid"], name, AgentState.AVAILABLE, routable=True)
    if name == offline:
        return StateOption(activity["sid"], name, AgentState.OFFLINE, routable=False)
    return StateOption(activity["sid"], name, AgentState.NOT_READY, routable=False, reason=name)


def chosen_state(worker: dict[str, Any], offline: str, missed: str) -> tuple[AgentState, str | None]:
    """The state the worker's Activity stands for (before what their reservations make of it)."""
    name = worker.get("activity_name")
    if worker.get("available"):
        return AgentState.AVAILABLE, None
    if name == offline:
        return AgentState.OFFLINE, None
    if name == missed:
        return AgentState.MISSED, None  # the state says it: no reason beside it ("Missed — Missed")
    return AgentState.NOT_READY, name


def capacity(channels: list[dict[str, Any]]) -> dict[str, int]:
    """A worker's capacity per TaskChannel from its Worker Channels: `configured_capacity`, 0 where the channel
    is turned off for them (`available` false)."""
    found: dict[str, int] = {}
    for channel in channels:
        name, configured = channel.get("task_channel_unique_name"), channel.get("configured_capacity")
        if isinstance(name, str) and name and isinstance(configured, int) and not isinstance(configured, bool):
            found[name] = max(configured, 0) if channel.get("available") is not False else 0
    return found


def agent(
    worker: dict[str, Any],
    reservations: list[dict[str, Any]],
    offline: str,
    missed: str,
    capacity: dict[str, int] | None = None,
) -> Agent:
    """`capacity`: from the Worker's Channels (`capacity()` above); TaskRouter keeps none in its attributes."""
    statuses = {r.get("reservation_status") for r in reservations}
    state, reason = chosen_state(worker, offline, missed)
    if "accepted" in statuses:
        state, reason = AgentState.BUSY, None
    elif "wrapping" in statuses:
        state, reason = AgentState.AFTER_CONTACT_WORK, None
    elif "pending" in statuses:
        state, reason = AgentState.OFFERED, None
    extra = attributes(worker)
    routing = mapping(extra.get("routing"))
    skills = [s for s in _list(routing.get("skills")) if isinstance(s, str)]
    levels = mapping(routing.get("levels"))
    levels = {k: v for k, v in levels.items() if isinstance(v, int) and not isinstance(v, bool)}
    since = when(worker.get("date_status_changed")) or when(worker.get("date_updated")) or datetime.now(UTC)
    return Agent(
        id=worker["sid"],
        name=worker.get("friendly_name") or worker["sid"],
        state=state,
        reason=reason,
        state_since=since,
        skills=skills,
        proficiency=levels,
        capacity=capacity or {},
    )


def colleague(worker: dict[str, Any], offline: str, missed: str) -> Colleague:
    state, reason = chosen_state(worker, offline, missed)
    since = when(worker.get("date_status_changed")) or datetime.now(UTC)
    return Colleague(
        id=worker["sid"],
        name=worker.get("friendly_name") or worker["sid"],
        state=state,
        reason=reason,
        state_since=since,
    )


def channel(task: dict[str, Any]) -> str:
    """The task's channel: its TaskChannel's unique name (what a task made by `<Enqueue>` carries: voice)."""
    value = task.get("task_channel_unique_name") or attributes(task).get("channelType") or "voice"
    return value if isinstance(value, str) else "voice"


def contact(
    task: dict[str, Any],
    worker_sid: str | None,
    *,
    answered_at: datetime | None = None,
    acw_timeout_s: int | None = None,
) -> Contact:
    """The task as a contact of `worker_sid` (None: of nobody this desk knows, e.g. transferred away);
    `acw_timeout_s`: the wrap-up time configured for its queue (TaskRouter keeps none), for the deadline."""
    extra = attributes(task)
    kind = channel(task)
    state = TASK_STATE.get(task.get("assignment_status") or "", ContactState.QUEUED)
    updated = when(task.get("date_updated"))
    outcome = extra.get("conversations", {}).get("outcome") if isinstance(extra.get("conversations"), dict) else None
    subject = extra.get("subject")
    return Contact(
        id=task["sid"],
        channel=Channel(kind) if kind in Channel._value2member_map_ else Channel.VOICE,
        queue_id=task.get("task_queue_sid") or "",
        queue_name=task.get("task_queue_friendly_name") or "",
        from_address=str(extra.get("from") or extra.get("caller") or extra.get("name") or "unknown"),
        subject=subject if isinstance(subject, str) else None,
        state=state,
        agent_id=worker_sid
        if state
        in (ContactState.CONNECTED, ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED, ContactState.OFFERED)
        else None,
        entered_queue_at=when(task.get("task_queue_entered_date"))
        or when(task.get("date_created"))
        or datetime.now(UTC),
        answered_at=answered_at if state != ContactState.OFFERED else None,
        ended_at=updated if state in (ContactState.AFTER_CONTACT_WORK, ContactState.COMPLETED) else None,
        completed_at=updated if state == ContactState.COMPLETED else None,
        acw_deadline=updated + timedelta(seconds=acw_timeout_s)
        if state == ContactState.AFTER_CONTACT_WORK and updated is not None and acw_timeout_s is not None
        else None,
        disposition=outcome
        if isinstance(outcome, str)
        else (task.get("reason") if state == ContactState.COMPLETED else None),
        priority=task.get("priority") or 0,
        handover=_handover(extra),
    )


def _handover(extra: dict[str, Any]) -> Handover | None:
    """The note a transferring desk left in the new task's attributes (`transferNote`, transfer/voice_transfer.py and
    transfers.py write it), for the agent it is offered to, with the name it wrote beside it (`transferredBy`: the
    worker's friendly name; Twilio itself keeps no author of an attribute)."""
    note, by = extra.get("transferNote"), extra.get("transferredBy")
    if not (isinstance(note, str) and note.strip()):
        return None
    return Handover(note=note, by=by[:80] if isinstance(by, str) else "")


def handover_attributes(note: str, by: str) -> dict[str, str]:
    """A transfer's note as the new task's attributes carry it (`_handover` reads it back)."""
    return {"transferNote": note, **({"transferredBy": by} if by else {})}


def offer(reservation: dict[str, Any], task: dict[str, Any], timeout_s: int) -> Offer:
    offered = when(reservation.get("date_created")) or datetime.now(UTC)
    state = OFFER_STATE.get(reservation.get("reservation_status") or "", OfferState.CANCELLED)
    return Offer(
        id=reservation["sid"],
        agent_id=reservation.get("worker_sid") or "",
        contact=contact(task, reservation.get("worker_sid") or ""),
        state=state,
        offered_at=offered,
        expires_at=offered + timedelta(seconds=timeout_s),
    )


def queue(task_queue: dict[str, Any], dispositions: list[str], acw_timeout_s: int | None = None) -> Queue:
    return Queue(
        id=task_queue["sid"],
        name=task_queue.get("friendly_name") or task_queue["sid"],
        dispositions=dispositions,
        acw_timeout_s=acw_timeout_s,
    )


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object the resource may carry, or an empty one when it is absent or not an object."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
