"""Articles suggested by themselves, where no assistant model is configured: after each customer message in a chat,
SMS or email in hand, the knowledge base is searched as `ctrl+l` would search (`KnowledgeLookup.suggested_query`)
and its best two articles, each with the passage that matched, are shown where a suggested reply would be. The agent
opens them with `ctrl+l` (the passage or its link into the reply) or dismisses them (f8); they never take a key.

A message that says too little to search by, or finds nothing, takes the last message's articles off rather than
leave them under a question they do not answer. A knowledge base that refuses says so in the same place, once per
message: a suggestion that fails in silence is one the agent goes on waiting for. A CRM that claims a knowledge base
and has none (its stand-in answers "not on this CRM") stops the suggestions for the session, quietly."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from agent_desktop.agent_desk.suggestions.knowledge_lookup import KnowledgeLookup
from agent_desktop.agent_desk.use_case import DeskNotices, DeskUseCase, UseCaseHost
from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.knowledge.models import ArticleHints

if TYPE_CHECKING:
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand

log = logging.getLogger(__name__)

ARTICLES_SHOWN = 2  # a line each under the transcript, which keeps its room: the dialog (ctrl+l) lists more


class ArticleDesk(DeskNotices, Protocol):
    """The desk as the article hints read it (desk/model.py's Desk): the conversations in hand."""

    @property
    def conversations(self) -> ConversationsInHand: ...


class ArticleHintsUseCase(DeskUseCase[ArticleDesk]):
    def __init__(self, controller: UseCaseHost[ArticleDesk], knowledge: KnowledgeLookup) -> None:
        super().__init__(controller)
        self.knowledge = knowledge
        self._asked: dict[str, int] = {}  # per contact, how many searches were asked for: the last one wins

    def after_customer_message(self, contact_id: str) -> None:
        self._spawn(self.hint(contact_id))

    async def hint(self, contact_id: str) -> None:
        """The articles for the conversation's last customer message, replacing the contact's last ones."""
        conversations = self.desk.conversations
        conversation = conversations.get(contact_id)
        if conversation is None or conversation.ended:
            return
        asked = self._asked[contact_id] = self._asked.get(contact_id, 0) + 1
        query = self.knowledge.suggested_query(contact_id)
        if not query:
            conversations.drop_articles(contact_id)
            return
        try:
            hits = await self.knowledge.base.search_articles(query, limit=ARTICLES_SHOWN)
            hints = ArticleHints(contact_id, query, tuple(hits))
        except NotServed:  # a CRM whose capabilities claim a knowledge base it does not answer: none to suggest
            conversations.suggests_articles = False
            conversations.drop_articles(contact_id)
            return
        except BackendError as error:
            log.info("no articles suggested: %s", error.message)
            hints = ArticleHints(contact_id, query, error=error.message)
        if self._asked.get(contact_id) != asked:
            return  # a newer message asked meanwhile: an older search answering later never overtakes it
        if hints.hits or hints.error:
            conversations.show_articles(hints)
        else:
            conversations.drop_articles(contact_id)

    def dismiss(self, contact_id: str) -> None:
        self.desk.conversations.drop_articles(contact_id)

    def forget(self, contact_id: str) -> None:
        self._asked.pop(contact_id, None)
