"""The running summary of each contact in hand, where a model is configured: after every few lines of the customer's
and the agent's, once the conversation pauses, the assistant summarises the contact so far (the request a transfer's
handover note makes: `ReplySuggestions.summary_so_far`), at most one request in flight per contact. It shows under the
card; a transfer's note starts from it while it covers every line said, and the wrap-up's notes start from it.

The controller tells it, at the end of each turn the desk changed, how many lines each contact in hand has
(`heard_all`): counted from where it last counted, so a long chat costs a turn only its new lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.suggestions.reply_suggestions import ReplySuggestions
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.assist.running_summary import DEBOUNCE_S, EVERY_LINES, Later, RunningSummary, SummaryRefresher
from agent_desktop.domain.vocabulary import ParticipantRole

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.assist.running_summary import RunningSummary
    from agent_desktop.transcripts.call_transcript import CallTranscripts

SAID_BY = (ParticipantRole.CUSTOMER, ParticipantRole.AGENT)


class SummaryDesk(DeskNotices, Protocol):
    """The desk as the running summaries read it (desk/model.py's Desk): the contacts in hand, their conversations
    and calls, and the summaries it shows under the card."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def calls(self) -> CallTranscripts: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def summaries(self) -> dict[str, RunningSummary]: ...

    def show_summary(self, summary: RunningSummary) -> None: ...

    def drop_summary(self, contact_id: str) -> None: ...


class RunningSummaries(DeskUseCase[SummaryDesk]):
    def __init__(
        self,
        controller: UseCaseHost[SummaryDesk],
        suggestions: ReplySuggestions,
        *,
        every: int = EVERY_LINES,
        debounce_s: float = DEBOUNCE_S,
        later: Later | None = None,
    ) -> None:
        super().__init__(controller)
        self.suggestions = suggestions
        self.refresher = SummaryRefresher(
            suggestions.summary_so_far, self.desk.show_summary, every=every, debounce_s=debounce_s, later=later
        )
        self._counted: dict[str, tuple[int, int]] = {}  # contact → (items or lines read, said lines among them)

    def heard_all(self) -> None:
        """Each contact in hand's lines counted, and its summary asked for where enough were said."""
        for contact_id in self.desk.held:
            lines = self._lines(contact_id)
            if lines != self.refresher.lines_heard(contact_id):
                self.refresher.heard(contact_id, lines)

    def _lines(self, contact_id: str) -> int:
        conversation = self.desk.conversations.get(contact_id)
        if conversation is not None:
            items = conversation.items
            read, said = self._counted.get(contact_id, (0, 0))
            if read > len(items):  # (fewer than read: a reloaded page) counted again
                read, said = 0, 0
            said += sum(1 for item in items[read:] if item.role in SAID_BY and not item.is_system and item.text.strip())
            self._counted[contact_id] = (len(items), said)
            return said
        call = self.desk.calls.get(contact_id)
        return sum(1 for line in call.lines if line.final) if call is not None else 0

    def current(self, contact_id: str) -> RunningSummary | None:
        """The contact's summary where it covers every line said so far (a transfer's note is then it)."""
        summary = self.desk.summaries.get(contact_id)
        return summary if summary is not None and summary.current(self._lines(contact_id)) else None

    def forget(self, contact_id: str) -> None:
        self.refresher.forget(contact_id)
        self._counted.pop(contact_id, None)
        self.desk.drop_summary(contact_id)

    async def aclose(self) -> None:
        await self.refresher.aclose()
