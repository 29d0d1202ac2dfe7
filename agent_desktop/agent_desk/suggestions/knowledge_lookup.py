"""The knowledge base at the agent's hand: a search made from what the customer last wrote or said (a call's
caller as transcribed; the contact's subject only where they said too little), the articles found, one article whole. The CRM's knowledge base or its stand-in, resolved on
the first key that asks (`knowledge_base`): nothing of it is imported at the desk's start.

Nothing of a card leaves in a suggested search: `query_from_message` keeps words, never digits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from agent_desktop.domain.knowledge.models import Article, ArticleHit
from agent_desktop.domain.knowledge.protocol import knowledge_base
from agent_desktop.domain.knowledge.query import query_from_said
from agent_desktop.domain.vocabulary import ParticipantRole

if TYPE_CHECKING:
    from agent_desktop.agent_desk.contacts import HeldContact
    from agent_desktop.agent_desk.conversations.conversations_in_hand import ConversationsInHand
    from agent_desktop.transcripts.call_transcript import CallTranscripts

HITS_SHOWN = 8  # a dialog's worth: the passages of more would not be read


class KnowledgeDesk(Protocol):
    """The desk as a knowledge search reads it (desk/model.py's Desk): the selection, the contacts in hand, and what
    their customers wrote or said."""

    @property
    def selected_id(self) -> str | None: ...

    @property
    def held(self) -> dict[str, HeldContact]: ...

    @property
    def conversations(self) -> ConversationsInHand: ...

    @property
    def calls(self) -> CallTranscripts: ...


class KnowledgeLookup:
    def __init__(self, desk: KnowledgeDesk, crm: object) -> None:
        self.desk = desk
        self.base = knowledge_base(crm)

    def suggested_query(self, contact_id: str | None = None) -> str:
        """The words of what the customer of `contact_id` (the selected contact's by default) said, latest first: a
        written conversation's messages (without what an email quotes or its signature), a call's lines heard from
        the caller; where those say too little ("Sure, my email is …": an answer, not the topic), the messages before,
        then the contact's subject (all a call has before the caller speaks)."""
        contact_id = contact_id or self.desk.selected_id or ""
        said: list[str] = []
        conversation = self.desk.conversations.get(contact_id)
        if conversation is not None:
            said = [
                i.text
                for i in reversed(conversation.items)
                if i.role is ParticipantRole.CUSTOMER and i.kind == "message"
            ]
        call = self.desk.calls.get(contact_id)
        if call is not None:
            said += [line.text for line in reversed(call.lines) if line.role is ParticipantRole.CUSTOMER and line.final]
        held = self.desk.held.get(contact_id)
        contact = held.contact if held is not None else None
        return query_from_said(said, contact.subject if contact is not None else None)

    async def search(self, query: str) -> list[ArticleHit]:
        """The best articles for `query` (a refusal is the dialog's to show)."""
        return await self.base.search_articles(query, limit=HITS_SHOWN)

    async def article(self, article_id: str) -> Article:
        return await self.base.article(article_id)
