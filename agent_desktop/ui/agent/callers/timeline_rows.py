"""The card's History tab as the customer's timeline: the consent the CRM keeps at the top, then one line
per thing that happened — when, the channel, what kind of thing, what it came to — newest first. A kind or a
channel this desk does not know is shown as the CRM wrote it; every text is literal (cells are never markup)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage, consent_of, from_record, merged
from agent_desktop.domain.formats.date_format import shown_when
from agent_desktop.domain.formats.opaque_ids import agent_called
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import CustomerRecord
from agent_desktop.ui.agent.callers.card_tab import Cell
from agent_desktop.ui.lines import Column
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS

# The card is narrow: what happened gets the width, the channel its symbol (a channel it has none for: its name).
COLUMNS = (Column("When", 16), Column("Via", 6), Column("What", 120))
KIND_LABELS = {
    "call": "call",
    "chat": "chat",
    "email": "email",
    "sms": "SMS",
    "callback": "callback",
    "follow_up": "follow-up",
    "case_opened": "case opened",
    "case_updated": "case updated",
    "case_closed": "case closed",
    "note": "note",
    "evaluation": "evaluation",
}
# Consent to be reached on a channel by the channel's symbol (the card is narrow), the others in words.
CONSENT_LABELS = {"calls": "☎", "sms": "✆", "email": "✉", "marketing": "marketing", "recording": "recording"}
_CONSENT_ORDER = list(CONSENT_LABELS)
OLDER = "Older: enter loads the next page"
_SYMBOLS = {channel.value: symbol for channel, symbol in CHANNEL_SYMBOLS.items()}


@dataclass(frozen=True)
class TimelineView:
    """What the History tab shows: its rows, and what each row stands for (the consent row, an item, "older")."""

    rows: list[tuple[Cell, ...]]
    items: list[TimelineItem | None]  # per row: the item, or None for the consent and "older" rows
    more: bool  # the last row asks for the next, older page


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def consent_line(consent: dict[str, bool | None]) -> str:
    ordered = sorted(
        consent.items(), key=lambda pair: _CONSENT_ORDER.index(pair[0]) if pair[0] in _CONSENT_ORDER else 99
    )
    return " · ".join(f"{CONSENT_LABELS.get(name, name)} {_yes_no(value)}" for name, value in ordered)


def _channel(item: TimelineItem) -> str:
    if item.channel is None:
        return ""
    arrow = {"inbound": "← ", "outbound": "→ "}.get(item.direction or "", "")
    kept = f" ☰{item.transcript_count}" if item.transcript_count else ""  # enter opens it
    return f"{arrow}{_SYMBOLS.get(item.channel, item.channel)}{kept}"


def _cell(text: str | None, style: str = "", limit: int = 60) -> Cell:
    return Cell(one_line(text, limit), style)


def timeline_view(
    record: CustomerRecord,
    page: TimelinePage | None,
    error: str | None = None,
    agent_names: Mapping[str, str] | None = None,
) -> TimelineView:
    """The record's own timeline (its interactions and cases) merged with the CRM's pages so far, which replace
    the record's lines one for one and add what the record does not hold (callbacks, follow-ups, evaluations).
    `agent_names`: who each agent id is (a vendor's Worker SID is never shown: agent_desktop/domain/formats/opaque_ids.py)."""
    items = merged(from_record(record), page.items) if page is not None else from_record(record)
    consent = page.consent if page is not None and page.consent else consent_of(record.customer)
    note = f"   (timeline: {error})" if error else ""
    rows: list[tuple[Cell, ...]] = [
        (_cell("consent now"), _cell(""), _cell(f"{consent_line(consent)}{note}", "bold", 300))
    ]
    shown: list[TimelineItem | None] = [None]
    for item in items:
        kind = KIND_LABELS.get(item.kind, item.kind)
        who = f" · {agent_called(item.agent_id, agent_names or {})}" if item.agent_id else ""
        what = f"{kind}{who}: {item.summary}" + (f" · consent: {item.consent}" if item.consent else "")
        style = "warning" if item.kind == "case_opened" else "dim" if item.kind == "note" else ""
        when = shown_when(item.at)
        rows.append((_cell(when), _cell(_channel(item), limit=30), _cell(what, style, 300)))
        shown.append(item)
    more = page is not None and page.next_before is not None
    if more:
        rows.append((_cell(""), _cell("…", "dim"), _cell(OLDER, "dim")))
        shown.append(None)
    return TimelineView(rows, shown, more)
