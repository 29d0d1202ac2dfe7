"""The briefs of urgent contacts, asked once per contact as its urgent alert arrives: the model's summary (off unless a
model is configured, which the brief then says; a model that fails said in the brief and once on the desk) and the
customer's last contacts from the CRM. Each answer is put on the desk's alert list, which announces it; the alert shows
its reason whatever either answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Literal, Protocol

from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.prompt import ANSWER_CHARACTERS, Masking
from agent_desktop.assist.whole_answer import whole_answer
from agent_desktop.domain.assist.protocol import AssistModel, NoAssist
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import LookupResult, SupervisionRecord
from agent_desktop.domain.supervisor.said_alerts import SaidAlert
from agent_desktop.staffing.floor import Floor
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContact, MonitoredContacts
from agent_desktop.supervisor_desk.refusals import refusal_words
from agent_desktop.supervisor_desk.urgent_assist.intervention_impact import (
    Said,
    impact_of,
    spoken_since_alert,
    written,
)
from agent_desktop.supervisor_desk.urgent_assist.urgent_brief import UrgentBrief, last_contacts, urgent_prompt

SUMMARY_TOKENS = 120
SUMMARY_WITHIN_S = 15.0


class UrgentAlerts(Protocol):
    """The desk's alerts from what was said, as the briefs read them: the urgent ones, and the briefs kept."""

    def urgent(self) -> list[SaidAlert]: ...

    def brief(self, contact_id: str) -> UrgentBrief | None: ...


class UrgentDesk(Protocol):
    """The desk as the briefs read it: its alerts from what was said (where briefs are kept) and its floor."""

    @property
    def said(self) -> UrgentAlerts: ...

    @property
    def floor(self) -> Floor: ...

    @property
    def monitored(self) -> MonitoredContacts: ...

    def put_brief(self, brief: UrgentBrief) -> None: ...


class UrgentHost(Protocol):
    def told(self, text: str, title: str) -> None: ...

    def spawn(self, work: Awaitable[object]) -> object: ...


class UrgentBriefs:
    def __init__(
        self,
        host: UrgentHost,
        desk: UrgentDesk,
        assist: AssistModel | None = None,
        lookup: Callable[[str], Awaitable[LookupResult]] | None = None,
        *,
        within_s: float = SUMMARY_WITHIN_S,
    ) -> None:
        self.host, self.desk = host, desk
        self.model = assist or NoAssist()
        self.lookup = lookup
        self.health = ModelHealth()
        self.within_s = within_s
        self._asked: set[str] = set()  # contacts whose brief was asked for
        # The first whisper or barge on each urgent contact (its kind, when), and the contacts whose impact was kept.
        self._interventions: dict[str, tuple[Literal["whisper", "barge"], datetime]] = {}
        self._kept: set[str] = set()
        desk.monitored.feed.subscribe(self.monitored_changed)

    def check(self) -> None:
        """Ask for the brief of each urgent alert not asked for yet (called after each item of the floor's stream)."""
        for alert in self.desk.said.urgent():
            if alert.contact_id not in self._asked:
                self._asked.add(alert.contact_id)
                self._put(UrgentBrief(alert.contact_id))
                self.host.spawn(self._summary(alert))
                self.host.spawn(self._last_contacts(alert))

    def monitored_changed(self) -> None:
        """A monitored contact changed (a mode, a line): on an urgent contact whispered or barged on (a chat, SMS or
        email by its messages, a call by its caller's final lines), the impact so far on its brief; once settled, kept
        with the contact in the CRM's supervision record, once."""
        monitored = self.desk.monitored
        for alert in self.desk.said.urgent():
            contact_id = alert.contact_id
            known = monitored.contacts.get(contact_id)
            if known is None:
                continue
            if contact_id not in self._interventions and known.mode in ("whisper", "barge"):
                self._interventions[contact_id] = (
                    "whisper" if known.mode == "whisper" else "barge",
                    known.session.mode_since,
                )
            if contact_id not in self._interventions:
                continue
            kind, since = self._interventions[contact_id]
            said, last_at = customer_said(known, alert)
            impact = impact_of(kind, said, since)
            brief = self._brief(contact_id)
            if brief.impact != (words := impact.words()):
                self._put(replace(brief, impact=words))
            if impact.settled and contact_id not in self._kept:
                self._kept.add(contact_id)
                session = known.session
                record = SupervisionRecord(
                    contact_id=contact_id,
                    supervisor_id=session.supervisor_id,
                    supervisor_name=session.supervisor_name,
                    event="impact",
                    mode=kind,
                    at=max(since, last_at or since),
                    agent_id=session.agent_id,
                    queue_id=session.queue_id,
                    channel=session.channel,
                    impact=words,
                )
                monitored.record([record])

    def _put(self, brief: UrgentBrief) -> None:
        self.desk.put_brief(brief)  # (the desk announces it)

    def _brief(self, contact_id: str) -> UrgentBrief:
        return self.desk.said.brief(contact_id) or UrgentBrief(contact_id)

    async def _summary(self, alert: SaidAlert) -> None:
        summary = await self.summary(alert)
        brief = self._brief(alert.contact_id)
        self._put(UrgentBrief(alert.contact_id, summary, brief.last_contacts))
        if (notice := self.health.take_notice()) is not None:
            self.host.told(notice, "Assistant")

    async def summary(self, alert: SaidAlert) -> str:
        """The model's summary of the customer's last lines, or why there is none, in words."""
        if not self.model.capabilities.replies:
            return "Summary: off (no assistant model is configured)."
        masking = Masking()
        prompt = urgent_prompt(alert.recent or [alert.text], masking)
        answered = await whole_answer(
            self.model,
            prompt.messages,
            max_tokens=SUMMARY_TOKENS,
            most=ANSWER_CHARACTERS,
            within_s=self.within_s,
            masking=masking,
            contact_id=alert.contact_id,
            health=self.health,
        )
        if answered.text is None or not answered.text.strip():
            return f"Summary: none: {answered.why or 'the model gave none.'}"
        return "Summary: " + " ".join(masking.answer(answered.text).split())

    async def _last_contacts(self, alert: SaidAlert) -> None:
        said = await self.last_contacts(alert)
        brief = self._brief(alert.contact_id)
        self._put(UrgentBrief(alert.contact_id, brief.summary, said))

    async def last_contacts(self, alert: SaidAlert) -> str:
        contact = self.desk.floor.contact_in_hand(alert.contact_id)
        if self.lookup is None:
            return "Last contacts: this desk has no CRM to ask."
        if contact is None or not contact.from_address:
            return "Last contacts: the customer's address is not known."
        try:
            found = await self.lookup(contact.from_address)
        except BackendError as error:
            return f"Last contacts: the CRM did not answer ({refusal_words(error)})."
        if len(found.customers) > 1 and found.record is None:
            return f"Last contacts: {len(found.customers)} customers match this address."
        return last_contacts(found.record, alert.contact_id)


def customer_said(known: MonitoredContact, alert: SaidAlert) -> tuple[list[Said], datetime | None]:
    """The customer's lines on a monitored urgent contact (its messages; a call's final lines, with its alert's lines
    when the card began after them), and when its transcript last changed (None: nothing in it yet)."""
    if known.conversation is not None:
        items = known.conversation.items
        return written(items), max((i.created_at for i in items), default=None)
    lines = known.call.lines if known.call is not None else []
    said = spoken_since_alert(lines, alert.recent or [alert.text], alert.at)
    return said, max((line.at for line in lines if line.final), default=None)
