"""The rules read over each customer message and each final line a caller says on a call (and a call's silence, as
the call transcripts hear it), and the alerts they raise: one per contact and cause, kept in the CCaaS
database (so a restart raises none twice) and published once committed to the supervisor stream, which keeps each
to the supervisors of the contact's queue.

The mood is VADER's compound score (the `vaderSentiment` package, its lexicon shipped with it: the one the desk
scores with too), read only for a message that could raise an alert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

import sqlite_utils

from agent_desktop_mocks.ccaas.conversations.records import ConversationRecord
from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.wire.schemas import TALKING, Channel
from agent_desktop_mocks.ccaas.said_alerts.schemas import Cause, SaidAlert, SaidAlertEvent, SaidAlertRules
from agent_desktop_mocks.ccaas.said_alerts.urgent import URGENT_LINES, urgent_reason
from agent_desktop_mocks.ccaas.shell.engine import NotFound
from agent_desktop_mocks.ccaas.shell.publisher import SUPERVISOR_TOPIC
from agent_desktop_mocks.ccaas.tables.supervisor_access import supervisor_row
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal
from agent_desktop_pci import mask_pci

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

TEXT_LIMIT = 200
EARLIER = 3  # the customer's messages before this one that its mood is compared with
CALLS_KEPT = 1000  # the calls whose callers' earlier moods are kept (a call's lines are not stored as messages are)


@dataclass(frozen=True)
class Said:
    """Where something was said: the contact, its queue, channel and agent, and the message's or line's id."""

    contact_id: str
    queue_id: str
    channel: Channel
    agent_id: str | None
    agent_name: str | None
    item_id: str


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def mood(text: str) -> float:
    return float(_analyzer().polarity_scores(text)["compound"])


def words_said(rules: SaidAlertRules, text: str) -> list[str]:
    """The listed words in `text`, whole words in any case, in the rules' order."""
    folded = text.casefold()
    return [word for word in rules.words if re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded)]


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


class SaidAlerts:
    def __init__(
        self, db: sqlite_utils.Database, conversations: ConversationService, supervisors: Iterable[SupervisorRow]
    ) -> None:
        self.conn = db.conn
        self.conversations = conversations
        self.supervisors = {row.id: row for row in supervisors}
        self.conn.execute(
            "create table if not exists said_alert_rules (id integer primary key check (id = 1), data text)"
        )
        self.conn.execute(
            "create table if not exists said_alerts"
            " (contact_id text, cause text, data text, primary key (contact_id, cause))"
        )
        self.conn.commit()
        row = self.conn.execute("select data from said_alert_rules").fetchone()
        self.rules = SaidAlertRules.model_validate_json(row[0]) if row else SaidAlertRules()
        # A call's caller's last final lines, masked, with their moods, by contact.
        self._caller_moods: dict[str, list[tuple[float, str]]] = {}
        conversations.on_customer_said = self.customer_said

    # --- requests ----------------------------------------------------------------------

    def rules_for(self, who: Principal) -> SaidAlertRules:
        supervisor_row(self.supervisors, who)
        return self.rules

    def set_rules(self, who: Principal, rules: SaidAlertRules) -> SaidAlertRules:
        supervisor_row(self.supervisors, who)
        with self.conversations.transaction():
            self.conn.execute("insert or replace into said_alert_rules values (1, ?)", [rules.model_dump_json()])
        self.rules = rules
        return rules

    def alerts_of(self, who: Principal) -> list[SaidAlert]:
        """The alerts of the supervisor's queues on contacts still going on, oldest first."""
        row = supervisor_row(self.supervisors, who)
        found = [SaidAlert.model_validate_json(data) for (data,) in self.conn.execute("select data from said_alerts")]
        going_on = [a for a in found if row.may_monitor(a.queue_id) and self._going_on(a.contact_id)]
        return sorted(going_on, key=lambda a: (a.at, a.id))

    def _going_on(self, contact_id: str) -> bool:
        """The customer is still there: their agent is talking to them or holding them, whatever the channel (read
        from the contact, not its conversation record: a call has none), as the supervisor's desk keeps the alerts
        the stream pushed (supervisor_desk/desk.py, `_going_on`)."""
        try:
            return self.conversations.engine.read.contact(contact_id).state in TALKING
        except NotFound:
            return False

    # --- what a customer said (in the transaction that stores it) ----------------------

    def customer_said(self, record: ConversationRecord, item: TranscriptItem) -> None:
        """A customer's message in a chat, SMS or email (the conversation service's hook)."""
        before = [
            mask_pci(before.text)
            for _, before in self.conversations.store.messages(record.contact_id, "customer", newest=URGENT_LINES)
            if before.id != item.id
        ][-(URGENT_LINES - 1) :]
        said = Said(record.contact_id, record.queue_id, record.channel, record.agent_id, record.agent_name, item.id)
        self._read(said, mask_pci(item.text), item.created_at, [(mood(text), text) for text in before])

    def caller_said(self, contact_id: str, line_id: str, text: str, at: datetime) -> None:
        """A caller's final line on a call (the call transcripts' hook): read as a message is."""
        said = self._on_call(contact_id, line_id)
        if said is None:
            return
        earlier = self._caller_moods.pop(contact_id, [])[-(URGENT_LINES - 1) :]
        masked = mask_pci(text)
        score = self._read(said, masked, at, earlier)
        self._caller_moods[contact_id] = [*earlier, (score, masked)]  # (the most recent calls kept: LRU)
        while len(self._caller_moods) > CALLS_KEPT:
            self._caller_moods.pop(next(iter(self._caller_moods)))

    def call_silent(self, contact_id: str, seconds: float, said_before: str, at: datetime) -> None:
        """Nothing said on a call for `seconds`, the caller not on hold (the call transcripts' hook)."""
        said = self._on_call(contact_id, contact_id)
        if said is not None:
            self._raise(said, "silence", said_before, at, silent_s=round(seconds))

    def _on_call(self, contact_id: str, item_id: str) -> Said | None:
        """Where something was said on a call, as the engine has the call now (None: it is gone)."""
        try:
            contact = self.conversations.engine.read.contact(contact_id)
        except NotFound:
            return None
        agent_name = self.conversations.agent_name(contact.agent_id) if contact.agent_id else None
        return Said(contact_id, contact.queue_id, contact.channel, contact.agent_id, agent_name, item_id)

    def _read(self, said: Said, text: str, at: datetime, before: list[tuple[float, str]]) -> float:
        """Raise what `text` raises under the rules (`before`: the customer's lines before it, oldest first, masked,
        with their moods); its mood score."""
        words = words_said(self.rules, text)
        if words:
            self._raise(said, "words", text, at, words=words)
        score = mood(text)
        earlier = [line_mood for line_mood, _ in before][-EARLIER:]
        if score <= self.rules.negative_at and (
            not earlier or sum(earlier) / len(earlier) - score >= self.rules.falling_by
        ):
            self._raise(said, "mood", text, at, score=round(score, 2))
        if (reason := urgent_reason(text, [*earlier, score])) is not None:
            recent = [_cut(line) for _, line in before] + [_cut(text)]
            self._raise(said, "urgent", text, at, score=round(score, 2), reason=reason, recent=recent)
        return score

    def _raise(
        self,
        said: Said,
        cause: Cause,
        text: str,
        at: datetime,
        *,
        words: list[str] | None = None,
        score: float | None = None,
        silent_s: int | None = None,
        reason: str | None = None,
        recent: list[str] | None = None,
    ) -> None:
        alert = SaidAlert(
            id=f"said-{said.item_id}-{cause}",
            contact_id=said.contact_id,
            queue_id=said.queue_id,
            channel=said.channel,
            agent_id=said.agent_id,
            agent_name=said.agent_name,
            cause=cause,
            words=words or [],
            score=score,
            silent_s=silent_s,
            text=_cut(text),
            at=at,
            reason=reason,
            recent=recent or [],
        )
        stored = self.conn.execute(
            "insert or ignore into said_alerts values (?, ?, ?)", [said.contact_id, cause, alert.model_dump_json()]
        )
        if stored.rowcount:  # one per contact and cause
            event = SaidAlertEvent(contact_id=said.contact_id, alert=alert, at=at)
            self.conversations.events.publish([SUPERVISOR_TOPIC], event.type, event.model_dump(mode="json"))
