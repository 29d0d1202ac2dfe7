"""The engine's records in TaskRouter's JSON shapes (twilio_taskrouter_v1.yaml): Activity, Worker,
Reservation, Task, TaskQueue, Workflow.

Mapping: an agent is a Worker (their chosen state an Activity; `missed` is the workspace's timeout
Activity), an offer a Reservation, a contact a Task (queued → `pending`, offered → `reserved`, connected or
on hold → `assigned`, after-contact work → `wrapping`, completed → `completed`, abandoned → `canceled`), a
queue a TaskQueue. Task attributes carry what Flex puts there: `from`, `channelType`, `name`, the queue,
and what the desk wrote (`conversations.outcome`: the disposition, as Flex Insights reads it).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from agent_desktop_mocks.ccaas.conversations.schemas import DIGITAL
from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, Channel, Contact, ContactState, Offer, OfferState, Queue
from agent_desktop_mocks.twilio.state import Activity, TwilioState
from agent_desktop_mocks.twilio.task_segments import RESERVATION_OF_TASK
from agent_desktop_mocks.twilio.voice import ACCOUNT_NUMBER

TASK_STATUS = {
    ContactState.QUEUED: "pending",
    ContactState.OFFERED: "reserved",
    ContactState.CONNECTED: "assigned",
    ContactState.ON_HOLD: "assigned",
    ContactState.AFTER_CONTACT_WORK: "wrapping",
    ContactState.COMPLETED: "completed",
    ContactState.ABANDONED: "canceled",
}
CLOSED_RESERVATION = {OfferState.REJECTED: "rejected", OfferState.EXPIRED: "timeout", OfferState.CANCELLED: "canceled"}


def stamp(at: datetime | None) -> str | None:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None


class Render:
    """Builds resources with URLs under this server's address (`base`, no trailing slash)."""

    def __init__(self, twilio: TwilioState, base: str) -> None:
        self.t = twilio
        self.ws = twilio.settings.workspace_sid
        self.root = f"{base}/v1/Workspaces/{self.ws}"

    def _common(self, created: datetime | None, updated: datetime | None) -> dict[str, Any]:
        return {
            "account_sid": self.t.settings.account_sid,
            "workspace_sid": self.ws,
            "date_created": stamp(created),
            "date_updated": stamp(updated or created),
        }

    def activity(self, activity: Activity) -> dict[str, Any]:
        created = self.t.engine.read.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return {
            **self._common(created, created),
            "sid": activity.sid,
            "friendly_name": activity.name,
            "available": activity.available,
            "url": f"{self.root}/Activities/{activity.sid}",
            "links": {"workspace": self.root},
        }

    def worker(self, agent: Agent) -> dict[str, Any]:
        sid = self.t.sids.of("WK", agent.id)
        activity = self.t.activity_of(agent.id)
        # No `capacity` here: TaskRouter keeps it on the Worker's Channels (worker_channel below).
        attributes = self.t.worker_attributes.get(agent.id) or {
            "full_name": agent.name,
            "contact_uri": f"client:{agent.id}",
            "agent_id": agent.id,
            "routing": {"skills": agent.skills, "levels": agent.proficiency},
        }
        return {
            **self._common(agent.state_since, agent.state_since),
            "sid": sid,
            "friendly_name": agent.name,
            "activity_sid": activity.sid,
            "activity_name": activity.name,
            "available": activity.available,
            "attributes": json.dumps(attributes),
            "date_status_changed": stamp(agent.state_since),
            "url": f"{self.root}/Workers/{sid}",
            "links": {"reservations": f"{self.root}/Workers/{sid}/Reservations", "workspace": self.root},
        }

    def worker_channel(self, agent: Agent, channel: Channel) -> dict[str, Any]:
        """A Worker Channel (ListWorkerChannel): the agent's capacity on one TaskChannel, and how much is free."""
        worker = self.t.sids.of("WK", agent.id)
        sid = self.t.sids.of("WC", f"{agent.id}:{channel.value}")
        configured = agent.capacity.get(channel.value, 0)
        assigned = sum(1 for c in self.t.engine.read.contacts_in_hand(agent.id) if c.channel == channel)
        free = max(configured - assigned, 0) * 100 // configured if configured else 0
        return {
            **self._common(agent.state_since, agent.state_since),
            "sid": sid,
            "worker_sid": worker,
            "task_channel_sid": self.t.sids.of("TC", channel.value),
            "task_channel_unique_name": channel.value,
            "configured_capacity": configured,
            "assigned_tasks": assigned,
            "available": configured > 0,
            "available_capacity_percentage": free,
            "url": f"{self.root}/Workers/{worker}/Channels/{sid}",
        }

    def reservation_status(self, offer: Offer) -> str:
        if offer.state == OfferState.PENDING:
            return "pending"
        if offer.state in CLOSED_RESERVATION:
            return CLOSED_RESERVATION[offer.state]
        if (segment := self.t.tasks.offer_segment(offer.id, offer.contact.id)) is not None:
            return RESERVATION_OF_TASK[segment.status]  # its task was left behind by an Invite: as that task goes
        contact = self.t.engine.read.contact(offer.contact.id)
        if contact.agent_id != offer.agent_id:
            return "completed"  # transferred away
        if contact.state == ContactState.AFTER_CONTACT_WORK:
            return "wrapping"
        return "completed" if contact.state == ContactState.COMPLETED else "accepted"

    def reservation(self, offer: Offer) -> dict[str, Any]:
        sid, worker = self.t.sids.of("WR", offer.id), self.t.sids.of("WK", offer.agent_id)
        task_sid = self.t.tasks.offer_task_sid(offer.id, offer.contact.id)
        contact = self.t.engine.read.contact(offer.contact.id)
        updated = max(t for t in (offer.offered_at, contact.answered_at, contact.ended_at, contact.completed_at) if t)
        return {
            **self._common(offer.offered_at, updated),
            "sid": sid,
            "reservation_status": self.reservation_status(offer),
            "task_sid": task_sid,
            "worker_sid": worker,
            "worker_name": self.t.engine.read.agent(offer.agent_id).name,
            "url": f"{self.root}/Workers/{worker}/Reservations/{sid}",
            "links": {
                "task": f"{self.root}/Tasks/{task_sid}",
                "worker": f"{self.root}/Workers/{worker}",
                "workspace": self.root,
            },
        }

    def task_attributes(self, contact: Contact) -> dict[str, Any]:
        if (invite := self.t.tasks.invite_of(contact.id)) is not None:
            # A task an Invite made has what the Invite's routing sent and the keys Flex adds, nothing carried over
            # from the task before it (Park an Interaction: "these attributes are not carried over").
            return invite.attributes | self.t.attributes(contact.id)
        made: dict[str, Any] = {
            "from": contact.from_address,
            "channelType": contact.channel.value,
            "direction": contact.direction,
            "queue": contact.queue_id,
        }
        if contact.subject is not None:
            made["subject"] = contact.subject
        sids = self.t.sids
        if contact.channel in DIGITAL:
            # Where Flex names the contact's Interaction and channel (Invites transfer it: routers/interactions.py)
            # and its Conversation (routers/conversations.py). Flex Conversations (the Interactions API) serves the
            # digital channels only: a voice task has no interaction (a call is transferred by routers/calls.py).
            made["flexInteractionSid"] = sids.of("KD", contact.id)
            made["flexInteractionChannelSid"] = sids.of("UO", contact.id)
            made["conversationSid"] = sids.of("CH", contact.id)
            made["customerAddress"] = contact.from_address
        if contact.disposition is not None:
            made["conversations"] = {"outcome": contact.disposition}
        if contact.channel == Channel.VOICE:
            # <Enqueue workflowSid> names the caller's call in the task it makes (the conference instruction moves
            # that call into the conference). No `conference` here: only Flex's browser UI writes that (voice.py).
            made["call_sid"] = sids.of("CA", f"customer:{contact.id}")
            made["to"] = ACCOUNT_NUMBER  # the number the caller dialled
        return made | self.t.attributes(contact.id)

    def task(self, contact: Contact) -> dict[str, Any]:
        sid, queue = self.t.task_sid(contact.id), self.t.sids.of("WQ", contact.queue_id)
        now = self.t.engine.read.now()
        invite = self.t.tasks.invite_of(contact.id)  # made by an Invite: created then, on the channel it named
        created = invite.created_at if invite is not None else contact.entered_queue_at
        updated = max(
            t
            for t in (created, contact.offered_at, contact.answered_at, contact.ended_at, contact.completed_at)
            if t and t >= created
        )
        return {
            **self._common(created, updated),
            "sid": sid,
            "age": int(((contact.completed_at or now) - created).total_seconds()),
            "assignment_status": TASK_STATUS[contact.state],
            "attributes": json.dumps(self.task_attributes(contact)),
            "addons": "{}",
            "task_queue_entered_date": stamp(created),
            "priority": invite.priority if invite is not None else contact.priority,
            "reason": contact.disposition if contact.state == ContactState.COMPLETED else None,
            "task_queue_sid": queue,
            "task_queue_friendly_name": contact.queue_name,
            "task_channel_sid": self.t.sids.of("TC", contact.channel.value),
            "task_channel_unique_name": invite.task_channel if invite is not None else contact.channel.value,
            "timeout": 86400,
            "workflow_sid": self.t.settings.workflow_sid,
            "workflow_friendly_name": "Default",
            "url": f"{self.root}/Tasks/{sid}",
            "virtual_start_time": stamp(created),
            "ignore_capacity": False,
            "routing_target": None,
            "links": {
                "reservations": f"{self.root}/Tasks/{sid}/Reservations",
                "workspace": self.root,
                "workflow": f"{self.root}/Workflows/{self.t.settings.workflow_sid}",
            },
        }

    def task_queue(self, queue: Queue) -> dict[str, Any]:
        sid = self.t.sids.of("WQ", queue.id)
        skills = " AND ".join(f"routing.skills HAS '{skill}'" for skill in queue.skills) or "1==1"
        created = self.t.engine.read.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return {
            **self._common(created, created),
            "sid": sid,
            "friendly_name": queue.name,
            "target_workers": skills,
            "task_order": "FIFO",
            "max_reserved_workers": 1,
            "assignment_activity_sid": None,
            "assignment_activity_name": None,
            "reservation_activity_sid": None,
            "reservation_activity_name": None,
            "url": f"{self.root}/TaskQueues/{sid}",
            "links": {"workspace": self.root},
        }

    def workflow_configuration(self) -> dict[str, Any]:
        """The filters a voice transfer's new task is routed by (routers/calls.py), as Twilio's Flex project template
        writes them: a known worker by `transferTargetSid`, one filter per TaskQueue (a target's queue is a SID, not an
        expression); other tasks by their `queue` attribute (the engine's routing, shown as a default)."""
        queues = [self.t.sids.of("WQ", q.id) for q in self.t.engine.read.queues()]
        to_worker = {
            "filter_friendly_name": "Transfer to a worker",
            "expression": "transferTargetType == 'worker'",
            "targets": [{"queue": sid, "known_worker_sid": "task.transferTargetSid"} for sid in queues[:1]],
        }
        to_queues = [
            {
                "filter_friendly_name": f"Transfer to {sid}",
                "targets": [{"queue": sid}],
                "expression": f"transferTargetType == 'queue' AND transferTargetSid == '{sid}'",
            }
            for sid in queues
        ]
        return {"task_routing": {"filters": [to_worker, *to_queues], "default_filter": {"queue": "by attribute"}}}

    def workflow(self) -> dict[str, Any]:
        sid = self.t.settings.workflow_sid
        created = self.t.engine.read.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return {
            **self._common(created, created),
            "sid": sid,
            "friendly_name": "Default",
            "assignment_callback_url": None,
            "fallback_assignment_callback_url": None,
            "configuration": json.dumps(self.workflow_configuration()),
            "document_content_type": "application/json",
            "task_reservation_timeout": max(1, round(self.t.engine.offer_timeout_s)),
            "url": f"{self.root}/Workflows/{sid}",
            "links": {"workspace": self.root},
        }


def etag(task: dict[str, Any]) -> str:
    """A task's version: what a write changes (status, attributes, priority, queue)."""
    signature = "|".join(str(task[k]) for k in ("assignment_status", "attributes", "priority", "task_queue_sid"))
    return hashlib.sha256(signature.encode()).hexdigest()[:16]
