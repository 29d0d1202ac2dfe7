"""Scheduling a follow-up after wrap-up: the consent of the customer's record decides; allowed, it goes
into the outbox (sent through the contact center's messaging, then kept in the CRM once: outbox/kinds/follow_up.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.follow_ups.follow_up import address, filled, refusal, template_named
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase
from agent_desktop.domain.messages.follow_up_consent import channel_name
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.local.disk_writes import LOCAL_WRITE_ERRORS, why_not_written
from agent_desktop.outbox.follow_ups import enqueue_follow_up
from agent_desktop.outbox.payloads import FollowUpWrite

if TYPE_CHECKING:
    from agent_desktop.agent_desk.follow_ups.follow_up import WrappedUp


class FollowUpDesk(DeskNotices, Protocol):
    """The desk as a follow-up reads it (desk/model.py's Desk): the contact last wrapped up."""

    @property
    def last_wrapped(self) -> WrappedUp | None: ...


class FollowUpUseCase(DeskUseCase[FollowUpDesk]):
    async def schedule(self, channel: Channel, template_id: str) -> str | None:
        """Queue the follow-up of the contact last wrapped up; None when queued, else why not (also a notice)."""
        wrapped = self.desk.last_wrapped
        if wrapped is None:
            return "No contact was wrapped up to follow up."
        why = refusal(wrapped.customer, channel)
        if why is not None:
            self.desk.notice(why, "Follow-up", "warning")
            return why
        follow_up = FollowUpWrite(
            customer_id=wrapped.customer.id,
            contact_id=wrapped.contact_id,
            queue_id=wrapped.queue_id,
            agent_id=self.contact_center.agent_id,
            channel=channel,
            to=address(wrapped.customer, channel) or "",
            body=filled(template_named(template_id), wrapped),  # masked by the outbox
            template=template_id,
        )
        try:
            await self.outbox.aio.run(enqueue_follow_up, self.outbox, follow_up)
        except LOCAL_WRITE_ERRORS as error:
            return f"Not queued: {why_not_written(error)}"
        self.desk.notice(f"{channel_name(channel)} follow-up to {follow_up.to} queued: o shows it", "Follow-up")
        return None
