"""More wrap-up time an agent was granted, told to the supervisor: the contact's `acw_extensions` went up on the
floor's stream (the contact center granted it within its queue's rule), said once per extension with its new end and,
once the queue's rule allows no more, that it was the last."""

from __future__ import annotations

from agent_desktop.domain.models import Contact, Queue
from agent_desktop.domain.vocabulary import ContactState


def extended(before: Contact | None, now: Contact) -> bool:
    """The contact's wrap-up was extended by this change (a contact first seen is not: its count is history)."""
    return (
        before is not None
        and now.state is ContactState.AFTER_CONTACT_WORK
        and now.acw_extensions > before.acw_extensions
    )


def extension_text(contact: Contact, agent_name: str, queue: Queue | None) -> str:
    """`Alex Morgan: +0:30 wrap-up on c-000042 (Billing), now until 14:31:05; the last the queue allows`."""
    rule = queue.wrap_up.get(contact.channel) if queue is not None else None
    more = f"+{rule.extension_s // 60}:{rule.extension_s % 60:02d} " if rule is not None and rule.extension_s else ""
    until = f", now until {contact.acw_deadline:%H:%M:%S}" if contact.acw_deadline is not None else ""
    count = f" ({contact.acw_extensions} of {rule.max_extensions})" if rule is not None and rule.max_extensions else ""
    last = "; the last the queue allows" if rule is not None and contact.acw_extensions >= rule.max_extensions else ""
    return f"{agent_name}: {more}wrap-up on {contact.id} ({contact.queue_name}){count}{until}{last}"
