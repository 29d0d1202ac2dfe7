"""What the virtual agent reaches: the knowledge base (the CRM's search, articles written for customers only) and the
contact center's model (any OpenAI-compatible chat-completions server; the mock model in the demo and tests). Each is
one small protocol with its HTTP client; a test hands in clients over an ASGI transport."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import httpx

log = logging.getLogger(__name__)

PASSAGES_MOST = 3


@dataclass(frozen=True)
class Passage:
    id: str
    title: str
    text: str


class ModelFailed(Exception):
    """The contact center's model did not answer (unreachable, an error, an answer without text)."""


class KnowledgeBase(Protocol):
    async def search(self, text: str, queue_id: str) -> list[Passage]: ...


class ChatModel(Protocol):
    async def answer(self, messages: list[dict[str, str]]) -> str: ...


class NoKnowledge:
    """No knowledge base configured: every answer goes without an article."""

    async def search(self, text: str, queue_id: str) -> list[Passage]:
        return []


class CrmKnowledge:
    """The mock CRM's knowledge search (`GET /v1/knowledge/search`); a search that fails finds nothing."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client

    async def search(self, text: str, queue_id: str) -> list[Passage]:
        try:
            response = await self._client.get(
                "/v1/knowledge/search", params={"q": text[:500], "limit": 10, "queue": queue_id}
            )
            response.raise_for_status()
            hits = response.json()["hits"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            log.warning("virtual agent: knowledge search failed: %s", error)
            return []
        return [
            Passage(str(hit["id"]), str(hit["title"]), str(hit["snippet"]["text"]))
            for hit in hits
            if hit.get("audience") == "customer"  # an agents' procedure is never read to a customer
        ][:PASSAGES_MOST]

    async def aclose(self) -> None:
        await self._client.aclose()


class OpenAiModel:
    """A chat completion, whole (not streamed): the bot sends its answer once it has it."""

    def __init__(self, client: httpx.AsyncClient, model: str) -> None:
        self._client = client
        self._model = model

    async def answer(self, messages: list[dict[str, str]]) -> str:
        body = {"model": self._model, "messages": messages, "max_tokens": 200, "stream": False}
        try:
            response = await self._client.post("/chat/completions", json=body)
            response.raise_for_status()
            text = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
            raise ModelFailed(str(error) or type(error).__name__) from None
        if not isinstance(text, str) or not text.strip():
            raise ModelFailed("the model answered without text")
        return text

    async def aclose(self) -> None:
        await self._client.aclose()
