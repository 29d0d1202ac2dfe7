"""The knowledge base a CRM may serve: search that ranks, and articles whole.

The knowledge base belongs to the CRM backend (the mock CRM's `/v1/knowledge`, Zendesk's Help Center): a CRM that
serves it says so in `CrmCapabilities.knowledge` and has these methods; the desk takes `knowledge_base(crm)`, the CRM
itself or `NoKnowledge`, whose every call refuses in one sentence (`NotServed`), as every optional port does
(`capabilities.py`: `serves`, `resolve`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve, serves
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.knowledge.models import Article, ArticleHit

SEARCH_LIMIT_MOST = 50  # the most hits one search asks for: a desk shows a handful


@runtime_checkable
class KnowledgeBase(Protocol):
    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        """The articles that best match `query` (words as the agent typed them: no search syntax), best first, at
        most `limit` (1..SEARCH_LIMIT_MOST); `queue` keeps those written for one queue's agents. A query with no
        word to search for is refused (BackendError 422), never sent as syntax."""
        ...

    async def article(self, article_id: str) -> Article:
        """One article whole (BackendError 404 where there is none)."""
        ...


class NoKnowledge:
    """The knowledge base of a CRM that keeps none: every call refuses in one sentence."""

    why = "A knowledge base is not on this CRM."

    async def search_articles(self, query: str, limit: int = 10, queue: str | None = None) -> list[ArticleHit]:
        raise NotServed(self.why, backend="CRM")

    async def article(self, article_id: str) -> Article:
        raise NotServed(self.why, backend="CRM")


def serves_knowledge(crm: object) -> bool:
    """Whether the CRM says it keeps a knowledge base (its capability) and answers it (the protocol)."""
    return serves(crm, KnowledgeBase, "knowledge")


def knowledge_base(crm: object) -> KnowledgeBase:
    """The CRM as a knowledge base where it says it keeps one, else the stand-in that refuses."""
    return resolve(crm, KnowledgeBase, NoKnowledge, "knowledge")
