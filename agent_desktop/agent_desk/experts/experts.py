"""Choosing an expert to escalate to: who suits a contact, who to offer instead, what to tell them.

Pure functions over the domain models, so the rules are tested without a screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Contact, CustomerRecord, Expert, Queue
from agent_desktop.domain.vocabulary import Availability

# Free people first, then those likely back soon, then the rest (the panel's order too).
AVAILABILITY_ORDER = {
    availability: rank
    for rank, availability in enumerate(
        [
            Availability.AVAILABLE,
            Availability.AVAILABLE_IDLE,
            Availability.BE_RIGHT_BACK,
            Availability.AWAY,
            Availability.BUSY_IDLE,
            Availability.BUSY,
            Availability.DO_NOT_DISTURB,
            Availability.OFFLINE,
            Availability.UNKNOWN,
        ]
    )
}


def _skill_words(skill: str) -> list[str]:
    """How a skill may be written in a subject: 'payment_plans' -> ['payment plans', 'payment plan']."""
    words = skill.replace("_", " ").replace("-", " ").lower()
    return [words, words[:-1]] if words.endswith("s") and len(words) > 4 else [words]


def contact_skills(contact: Contact | None, queue: Queue | None, known_skills: Iterable[str] = ()) -> list[str]:
    """The skills a contact calls for: its queue's, then any known skill its subject (the intent) names."""
    if contact is None:
        return []
    skills = list(queue.skills) if queue else []
    subject = f" {' '.join(re.findall(r'[a-z0-9]+', (contact.subject or '').lower()))} "
    for skill in sorted(set(known_skills)):
        if skill not in skills and any(f" {words}" in subject for words in _skill_words(skill)):
            skills.append(skill)
    return skills


def matching_skills(expert: Expert, wanted: Iterable[str]) -> int:
    wanted_lower = {skill.lower() for skill in wanted}
    return sum(skill.lower() in wanted_lower for skill in expert.skills)


def panel_order(experts: Iterable[Expert], suggested: Iterable[str] = ()) -> list[Expert]:
    """Free first; within the same presence, those matching more of the contact's skills first; then by name."""
    wanted = list(suggested)
    return sorted(
        experts,
        key=lambda e: (AVAILABILITY_ORDER[e.presence.availability], -matching_skills(e, wanted), e.name.lower(), e.id),
    )


def next_best_available(chosen: Expert, experts: Iterable[Expert], suggested: Iterable[str] = ()) -> Expert | None:
    """Someone free with the chosen person's skills (the most of them), or None.

    Ties go to the one who also matches more of the contact's skills, then the same
    department, then the name. An expert with no skills in common is never offered.
    """
    needed = {s.lower() for s in chosen.skills} or {s.lower() for s in suggested}
    wanted = list(suggested)
    candidates = [
        e for e in experts if e.id != chosen.id and e.presence.availability.is_free and matching_skills(e, needed) > 0
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda e: (
            -matching_skills(e, needed),
            -matching_skills(e, wanted),
            e.department != chosen.department,
            e.name.lower(),
            e.id,
        ),
    )


def compose_escalation(
    *,
    agent_name: str | None,
    contact: Contact | None,
    record: CustomerRecord | None,
    summary: str = "",
) -> str:
    """The message an expert receives: who is asking, the customer, the case, the intent, a summary."""
    lines = [f"Escalation from {agent_name or 'an agent'}"]
    if record is not None:
        customer = record.customer
        facts = ", ".join(part for part in (customer.account_number, customer.tier) if part)
        lines.append(f"Customer: {one_line(customer.name, 80)}" + (f" ({facts})" if facts else ""))
        open_case = next((case for case in record.cases if case.status != "closed"), None)
        if open_case is not None:
            lines.append(f"Case: {open_case.id} {one_line(open_case.subject, 80)} ({open_case.status})")
    elif contact is not None:
        lines.append(f"Customer: {one_line(shown_phone(contact.from_address), 80)} (not in the CRM)")
    if contact is not None:
        intent = one_line(contact.subject, 100) or "not given"
        lines.append(f"Intent: {intent} ({contact.queue_name}, {contact.channel.value})")
    lines.append(f"Summary: {summary}")
    return "\n".join(lines)
