"""The knowledge base's records as the desk reads them: a search hit with its matching passage, and an article.

Every text here is plain text. A passage's matches are data — (start, end) character offsets into its text —
never markup: a backend that highlights with tags (Zendesk's `<em>`) is read into offsets by its adapter, and
whatever else the text holds (`<b>`, `[red]`, an escape) is a character to show as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Self

from pydantic import Field, model_validator

from agent_desktop.domain.models import Model


class Passage(Model):
    """A stretch of an article that matched a search, and where in it the search's words are."""

    text: str
    matches: tuple[tuple[int, int], ...] = Field(
        default=(), description="(start, end) offsets of the matched words in `text`, in order, not overlapping"
    )

    @model_validator(mode="after")
    def _matches_within_text(self) -> Self:
        last = 0
        for start, end in self.matches:
            if not last <= start < end <= len(self.text):
                raise ValueError(f"match ({start}, {end}) is not an ordered span within the text")
            last = end
        return self

    def matched(self) -> list[str]:
        """The matched words as they are written in the passage."""
        return [self.text[start:end] for start, end in self.matches]


# Who an article is written for: the agents (an internal procedure: steps in the CRM, codes, policy) or the
# customers (what a Help Center page says to them). Only a customer's article may go into a reply; a knowledge base
# that does not say is read as internal, so nothing of an unknown kind reaches a customer.
Audience = Literal["internal", "customer"]
INTERNAL_NOT_INSERTED = "An internal procedure, written for agents: it is not put into a reply to the customer."


class ArticleHit(Model):
    """One article a search found: ranked (`score`, higher is better, comparable only within one answer)."""

    id: str
    title: str
    snippet: Passage
    url: str
    score: float
    queue: str | None = None  # the queue whose agents the article is written for (billing, tech_support, sales)
    section: str | None = None  # the knowledge base's own grouping ("Refunds", "Wi-Fi and internet")
    audience: Audience = "internal"


class Article(Model):
    """An article whole: its body as plain text, paragraphs separated by blank lines."""

    id: str
    title: str
    body: str
    url: str
    queue: str | None = None
    section: str | None = None
    audience: Audience = "internal"


@dataclass(frozen=True)
class ArticleHints:
    """The articles the knowledge base found for a contact's last customer message, shown by themselves where no
    assistant model is configured (`error`: the knowledge base refused, in its words)."""

    contact_id: str
    query: str
    hits: tuple[ArticleHit, ...] = ()
    error: str | None = None
