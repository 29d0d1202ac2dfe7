"""A customer's timeline: their journey across channels as the CRM tells it — contacts, callbacks,
follow-ups, cases, notes, evaluations — newest first, with their consent; and the rules that keep pages of it in
one list (time-ordered, nothing lost, nothing twice where pages overlap) and that make the first lines of it from
a screen pop's record while the CRM's own timeline is on its way."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import Field

from agent_desktop.domain.models import Customer, CustomerRecord, CustomerText, Model

SUMMARY_CHARS = 200


class TimelineItem(Model):
    id: str  # stable across pages: what a later page repeats is the same item
    at: datetime
    kind: str  # "call", "chat", "callback", "follow_up", "case_opened", "evaluation"… any other is drawn as it is
    channel: str | None = None  # a Channel's value, or one this desk does not know yet (drawn as it is)
    direction: str | None = None
    summary: CustomerText = ""
    interaction_id: str | None = None  # an interaction to open (its transcript)
    transcript_count: int = 0  # messages kept of it (0: nothing to open but its notes)
    agent_id: str | None = None  # who handled the contact (or was evaluated)
    consent: CustomerText | None = None  # the consent the CRM recorded with this item, where it did


class TimelinePage(Model):
    consent: dict[str, bool | None] = Field(default_factory=dict)  # "sms": True, "marketing": None (never asked)…
    items: list[TimelineItem] = []
    next_before: str | None = None  # the cursor of the next, older page; None: this was the last


def order_key(item: TimelineItem) -> tuple[datetime, str]:
    """Newest first is this key, descending: by time, then by id (two items of one moment keep one order)."""
    at = item.at if item.at.tzinfo is not None else item.at.replace(tzinfo=UTC)
    return at, item.id


def merged(*pages: Iterable[TimelineItem]) -> list[TimelineItem]:
    """Items of several pages (or of a record and a page) as one list, newest first; an item on two pages is
    kept once, as the later page has it (a case's status may have changed between them)."""
    by_id: dict[str, TimelineItem] = {}
    for page in pages:
        for item in page:
            by_id[item.id] = item
    return sorted(by_id.values(), key=order_key, reverse=True)


def _line(*parts: str | None) -> str:
    text = " · ".join(" ".join(part.split()) for part in parts if part and part.strip())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


_CONTACT_KINDS = {"voice": "call"}
# Who ended the conversation, in the history's words (as the mock CRM's timeline says it).
ENDED_BY = {
    "agent": "ended by the agent",
    "customer": "ended by the customer",
    "system": "closed by the inactivity timeout",  # the contact center's only end of its own: a conversation idle
    "transfer": "ended by a transfer",
    "consult": "ended by a consult",
    "takeover": "taken over by a supervisor",
}


def from_record(record: CustomerRecord) -> list[TimelineItem]:
    """The timeline a screen pop's record already holds (its latest interactions and its cases), with the ids the
    CRM's timeline gives the same things, so that the CRM's page, when it comes, replaces them one for one."""
    items = []
    for interaction in record.interactions:
        channel = interaction.channel.value
        if interaction.direction == "outbound":
            kind = "callback" if channel == "voice" else "follow_up"
        else:
            kind = _CONTACT_KINDS.get(channel, channel)
        items.append(  # built unchecked: the record's texts are masked already (a pop makes these)
            TimelineItem.model_construct(
                id=interaction.id,
                at=interaction.ended_at or interaction.created_at,
                kind=kind,
                channel=channel,
                direction=interaction.direction,
                summary=_line(
                    interaction.disposition,
                    ENDED_BY.get(interaction.ended_by or ""),
                    interaction.notes or interaction.summary,
                ),
                interaction_id=interaction.id,
                transcript_count=interaction.transcript_count,
                agent_id=interaction.agent_id,
            )
        )
    for case in record.cases:
        summary = _line(case.id, case.subject, f"{case.status}, {case.priority}", case.owner)
        item = TimelineItem.model_construct(
            id=f"{case.id}:opened", at=case.opened_at, kind="case_opened", summary=summary
        )
        items.append(item)
    return merged(items)


def consent_of(customer: Customer) -> dict[str, bool | None]:
    """The customer's consent as a CRM's customer fields hold it (None: never asked)."""
    return {
        "sms": customer.consent_sms,
        "marketing": customer.consent_marketing,
        "recording": customer.consent_recording,
        "calls": not customer.do_not_call,
    }


def cursor_of(item: TimelineItem) -> str:
    at, item_id = order_key(item)
    return f"{at.isoformat()}|{item_id}"


def page_of(items: list[TimelineItem], consent: dict[str, bool | None], before: str | None, limit: int) -> TimelinePage:
    """A page of a whole timeline a backend built itself (Zendesk's, from tickets and comments), paged as the mock
    CRM's is: the items older than the cursor `before`, at most `limit`."""
    ordered = merged(items)
    if before is not None:
        at_text, _, item_id = before.partition("|")
        try:
            at = datetime.fromisoformat(at_text)
        except ValueError:
            at = datetime.max.replace(tzinfo=UTC)
        at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        ordered = [item for item in ordered if order_key(item) < (at, item_id)]
    shown = ordered[: max(1, limit)]
    more = len(ordered) > len(shown)
    return TimelinePage(consent=consent, items=shown, next_before=cursor_of(shown[-1]) if more else None)
