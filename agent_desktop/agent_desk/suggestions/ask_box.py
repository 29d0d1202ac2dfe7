"""The ask box: the agent's own question to the assistant about the contact in hand (f7). The knowledge base is
searched with the question's words, and the model answers from its best passages, citing each by its title, with the
contact as context: its conversation (or call) so far and the card's non-sensitive facts (`card_facts`). Everything
passes the same masks as the suggested reply's request; the answer streams, and only a passage of an article written
for customers (`for_reply`) may go into a reply, never sent by itself.

Built with the assistant's suggestions (where a model is configured): its model, masks, token count and health, so a
model that stops answering is said once whichever request found it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.suggestions.reply_suggestions import ReplySuggestions
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.assist.prompt import PASSAGES_SENT, SourcePassage, card_facts
from agent_desktop.assist.suggestion import Source, Suggestion
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.knowledge.models import ArticleHit
from agent_desktop.domain.knowledge.query import search_words

if TYPE_CHECKING:
    from agent_desktop.agent_desk.callers.lookups import CallerLookups
    from agent_desktop.agent_desk.contacts import HeldContact

log = logging.getLogger(__name__)

SEARCHED = 20  # articles read for a question: its best few, and the best written for customers among them


def for_reply(hit: ArticleHit) -> bool:
    """Whether an article's passage may go into a reply to a customer: only one written for customers (`audience`;
    a knowledge base that does not say is read as internal, domain/knowledge/models.py)."""
    return hit.audience == "customer"


class AskDesk(DeskNotices, Protocol):
    """The desk as the ask box reads it (desk/model.py's Desk): the contacts in hand and their callers' lookups."""

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def lookups(self) -> CallerLookups: ...


class AskBox(DeskUseCase[AskDesk]):
    def __init__(self, controller: UseCaseHost[AskDesk], suggestions: ReplySuggestions) -> None:
        super().__init__(controller)
        self.suggestions = suggestions
        self.assistant = suggestions.assistant

    async def ask(self, contact_id: str, question: str, changed: Callable[[Suggestion], None]) -> Suggestion | None:
        """Start the answer to `question` about `contact_id` (its last answer cancelled); `changed` is told of each
        piece and of its end, on the loop. None where the contact is no longer in hand."""
        held = self.desk.held.get(contact_id)
        if held is None or not question.strip():
            return None
        self.assistant.cancel_ask(contact_id)
        hits = await self._search(question)
        if contact_id not in self.desk.held:
            return None  # the contact left while the articles were searched
        passages = [SourcePassage(hit.id, hit.title, hit.snippet.text.strip("… ")) for hit in hits]
        sources = [Source(p.id, p.title, p.text, for_reply(hit)) for p, hit in zip(passages, hits, strict=True)]
        lookup = self.desk.lookups.get(contact_id)

        def moved(answer: Suggestion) -> None:
            changed(answer)
            self.suggestions.told(answer)

        return self.assistant.ask(
            contact_id,
            question,
            self.suggestions.said_so_far(contact_id),
            card_facts(lookup.record if lookup is not None else None),
            passages,
            held.contact.queue_name or held.contact.queue_id,
            sources=sources,
            changed=moved,
        )

    async def _search(self, question: str) -> list[ArticleHit]:
        words = search_words(question)  # words, never digits: nothing of a card leaves in a search
        if not words:
            return []
        try:
            found = await self.suggestions.knowledge.base.search_articles(" ".join(words), limit=SEARCHED)
        except BackendError as error:  # the model then says it has nothing to ground an answer on
            log.info("no knowledge passages for a question: %s", error.message)
            return []
        best = found[:PASSAGES_SENT]  # the agent's question: internal procedures answer it best
        if not any(for_reply(hit) for hit in best):  # and one written for customers, if any, for the reply
            customers = [hit for hit in found if for_reply(hit)]
            best = [*best[: PASSAGES_SENT - 1], *customers[:1]] if customers else best
        return best

    def cancel(self, contact_id: str) -> None:
        """Escape while the answer streams: its request is closed."""
        self.assistant.cancel_ask(contact_id)
