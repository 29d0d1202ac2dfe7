"""Suggested replies on written contacts, and the AI wrap-up.

After each customer message in a chat, SMS or email in hand (and on the first read of one whose customer wrote last),
the assistant's model drafts a reply from the recent transcript and the knowledge base's best passages for that
message; it streams into the conversation's suggestion area, named by its sources. The agent puts it in the composer
to edit (ctrl+n), asks again (f9) or discards it (f8): nothing is ever sent by itself, and it never takes the keyboard.
A new customer message replaces it; the contact leaving the agent's hands, or its conversation ending, cancels it. A
written contact entering wrap-up with no notes typed gets the model's summary and one of the queue's dispositions in
place of the rules' draft, unless the agent began writing first.

Built on the first suggestion asked for (the controller's `suggestions`), and only where a model is configured
(`AssistPort.suggests_replies`): nothing of the assistant is imported at the desk's start."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.drafts.drafts import Draft
from agent_desktop.agent_desk.suggestions.knowledge_lookup import KnowledgeLookup
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.assist.prompt import PASSAGES_SENT, Masking, Said, SourcePassage, said_in
from agent_desktop.assist.suggestion import Assistant, Suggestion
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.wrap_up_draft import DraftedWrapUp, ai_or_rules
from agent_desktop.domain.assist.protocol import AssistantFigures
from agent_desktop.domain.errors import BackendError
from agent_desktop.local.paths import LocalPathError
from agent_desktop.writing_aids.summary import call_items

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.agent_desk.wrap_up.wrap_ups import WrapUps
    from agent_desktop.assist.running_summary import RunningSummary
    from agent_desktop.domain.assist.protocol import AssistantFigures
    from agent_desktop.domain.models import Queue
    from agent_desktop.transcripts.call_transcript import CallTranscripts

log = logging.getLogger(__name__)

PASSAGES_SEARCHED = 8  # the best articles looked at for the passages sent, those written for customers first


class SuggestionDesk(DeskNotices, Protocol):
    """The desk as the reply suggestions read it (desk/model.py's Desk): the contacts in hand, what is kept of each
    (conversation, call, wrap-up, running summary), the queues, and where the assistant's figures go."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def queues(self) -> dict[str, Queue]: ...

    @property
    def calls(self) -> CallTranscripts: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def wrap_ups(self) -> WrapUps: ...

    @property
    def summaries(self) -> dict[str, RunningSummary]: ...

    def set_assistant(self, figures: AssistantFigures) -> None: ...


class ReplySuggestions(DeskUseCase[SuggestionDesk]):
    def __init__(self, controller: UseCaseHost[SuggestionDesk], knowledge: KnowledgeLookup) -> None:
        super().__init__(controller)
        port = self.ports.assist
        self.knowledge = knowledge
        self.ledger = _ledger(port.daily_token_limit, port.ledger_path)
        self.assistant = Assistant(port.model, self.ledger, Masking(port.mask_contact_details), changed=self._changed)
        self._asked: dict[str, int] = {}  # per contact, how many suggestions were asked for: the last one wins

    def after_customer_message(self, contact_id: str) -> None:
        """The customer wrote (or a chat was accepted with their message last): a reply to it is suggested."""
        self._spawn(self.suggest(contact_id))

    async def suggest(self, contact_id: str) -> None:
        """A suggestion for the conversation as it is now, replacing the contact's last. The passages are found
        first (a knowledge base that refuses leaves none: the model then says it has nothing to ground a reply on)."""
        conversation = self.desk.conversations.get(contact_id)
        contact = self.desk.held.get(contact_id)
        if conversation is None or contact is None or conversation.ended:
            return
        asked = self._asked[contact_id] = self._asked.get(contact_id, 0) + 1
        self.assistant.cancel(contact_id)
        passages = await self._passages(self.knowledge.suggested_query(contact_id))  # as ctrl+l would search
        if self._asked.get(contact_id) != asked:
            return  # asked again meanwhile (a newer message, f9): a slower search for an older one never overtakes it
        if self.desk.conversations.get(contact_id) is not conversation or conversation.ended:
            return  # the contact left while the passages were found
        said = said_in(conversation.items)  # the conversation as it is now, what came during the search too
        if said:
            self.assistant.suggest(contact_id, said, passages, contact.contact.queue_name or contact.contact.queue_id)

    async def _passages(self, words: str) -> list[SourcePassage]:
        if not words:
            return []
        try:
            hits = await self.knowledge.base.search_articles(words, limit=PASSAGES_SEARCHED)
        except BackendError as error:
            log.info("no knowledge passages for a suggestion: %s", error.message)
            return []
        # A reply is grounded in what the customers may read first (a Help Center page), an agents' procedure after
        # (its steps are not words for a customer): each kept in the search's order.
        hits = sorted(hits, key=lambda hit: hit.audience != "customer")[:PASSAGES_SENT]
        # The search's snippet marks where it cut the article with "…": not words for the model to repeat.
        return [SourcePassage(hit.id, hit.title, hit.snippet.text.strip("… ")) for hit in hits]

    async def draft_wrap_up(self, contact_id: str) -> None:
        """A written contact entered wrap-up with no notes typed: the model's summary and disposition (one of the
        queue's) replace the rules' draft, unless the agent began writing meanwhile; or the rules' stays, and the
        form says why the model's is not there."""
        held = self.desk.held.get(contact_id)
        conversation = self.desk.conversations.get(contact_id)
        if held is None or conversation is None:
            return
        queue = self.desk.queues.get(held.contact.queue_id)
        wrap_ups = self.desk.wrap_ups
        before = wrap_ups.get(contact_id, Draft())
        meanwhile = "its running summary" if contact_id in self.desk.summaries else "the rules' draft"
        wrap_ups.say(contact_id, f"The assistant is drafting the wrap-up: {meanwhile} is shown meanwhile.")
        drafted = await ai_or_rules(
            self.assistant.model,
            said_in(conversation.items),
            queue.dispositions if queue else [],
            held.contact.queue_name or held.contact.queue_id,
            contact_id,
            self.ledger,
            before.notes,
            masking=self.assistant.masking,
            health=self.assistant.health,
        )
        self._figures()
        if contact_id not in self.desk.held:
            return  # saved meanwhile: what was saved is what the agent saw
        after = Draft(before.disposition or drafted.disposition, drafted.summary)
        wrap_ups.model_drafted(contact_id, before, after, drafted.said)

    async def handover_summary(self, contact_id: str) -> DraftedWrapUp | None:
        """The model's summary of the contact so far, for a transfer's note: None where the rules' note stays."""
        drafted = await self.summary_so_far(contact_id)
        return drafted if drafted is not None and drafted.source == "model" else None

    def said_so_far(self, contact_id: str) -> list[Said]:
        """The customer's and the agent's lines of the contact so far: its conversation, or its call's final lines."""
        conversation = self.desk.conversations.get(contact_id)
        call = self.desk.calls.get(contact_id)
        items = conversation.items if conversation is not None else call_items(call.lines) if call is not None else []
        return said_in(items)

    async def summary_so_far(self, contact_id: str) -> DraftedWrapUp | None:
        """The model's summary of the contact so far (a conversation, or a call's final lines), asked as a wrap-up
        is (its disposition unused): a transfer's note and the running summary. The rules' (empty) where the model
        gave none, saying why; None where nothing was said yet."""
        held = self.desk.held.get(contact_id)
        said = self.said_so_far(contact_id)
        if held is None or not said:
            return None
        queue = self.desk.queues.get(held.contact.queue_id)
        drafted = await ai_or_rules(
            self.assistant.model,
            said,
            queue.dispositions if queue else [],
            held.contact.queue_name or held.contact.queue_id,
            contact_id,
            self.ledger,
            "",
            masking=self.assistant.masking,
            health=self.assistant.health,
        )
        self.told(None)
        return drafted

    def current(self, contact_id: str) -> Suggestion | None:
        return self.desk.conversations.suggestions.get(contact_id)

    def taken(self, contact_id: str) -> str:
        """The suggestion's text for the composer (the agent edits it there), and the suggestion taken off."""
        suggestion = self.current(contact_id)
        text = suggestion.text if suggestion is not None else ""
        self.discard(contact_id)
        return text

    def discard(self, contact_id: str) -> None:
        self.assistant.discard(contact_id)
        self.desk.conversations.drop_suggestion(contact_id)

    def forget(self, contact_id: str) -> None:
        """The contact left the agent's hands: its suggestion (and the ask box's answer) cancelled, its token count no
        longer shown."""
        self.assistant.discard(contact_id)
        self.assistant.cancel_ask(contact_id)
        self.ledger.forget(contact_id)
        self._asked.pop(contact_id, None)
        self._figures()

    async def aclose(self) -> None:
        await self.assistant.aclose()

    def _changed(self, suggestion: Suggestion) -> None:
        if not self.desk.conversations.show_suggestion(suggestion):
            suggestion.cancel()  # its conversation ended or left: nothing to send it in
        self.told(suggestion)

    def told(self, request: Suggestion | None) -> None:
        """A request of the assistant moved on (a suggestion's piece or end, an answer of the ask box, a summary:
        None): a model that stopped or came back is said once, and the figures follow each end."""
        notice = self.assistant.health.take_notice()
        if notice is not None:
            self.desk.notice(notice, "Assistant", "warning" if not self.assistant.health.answering else "information")
        if request is None or request.finished:
            self._figures()

    def _figures(self) -> None:
        """The status line's figures: whether the model answers, today's tokens, each contact's."""
        ledger = self.ledger
        self.desk.set_assistant(
            AssistantFigures(
                self.assistant.health.answering,
                ledger.spent_today,
                ledger.daily_limit,
                tuple(sorted(ledger.per_contact.items())),
            )
        )


def _ledger(daily_limit: int, path: Path | None) -> TokenLedger:
    """The day's count kept beside the outbox; a file the desk may not use leaves it in memory (said in the log)."""
    if path is None:
        return TokenLedger(daily_limit)
    try:
        return TokenLedger.kept_in(path, daily_limit)
    except LocalPathError as error:
        log.warning("the assistant's token count is kept in memory only: %s", error)
        return TokenLedger(daily_limit)
