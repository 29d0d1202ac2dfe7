"""The assistant's model, as the desk sees it: chat messages in, the answer streamed out in pieces, its token counts
last. One protocol (`AssistModel`) whatever serves it; the configuration's `[assist] kind` picks the implementation by
entry point (group `agent_desktop.assist`), and a desk without one holds `NoAssist`, whose every call refuses in one
sentence, so the desk works the same without a model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve
from agent_desktop.domain.errors import BackendError, NotServed

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    """One message of a chat-completions request. The desk sends only text: no tools, no functions, no images."""

    role: Role
    content: str


@dataclass(frozen=True)
class Usage:
    """What one answer cost, as the model server counted it."""

    prompt_tokens: int
    completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class AnswerSchema:
    """The shape an answer must have, as a JSON schema the server holds the model to while it writes (structured
    output): a wrap-up's disposition one of the queue's own list, whatever the model would have said. `name` names
    it to the server."""

    name: str
    schema: Mapping[str, object]


@dataclass(frozen=True)
class AssistCapabilities:
    """What a model backend does: `replies` (it answers chat messages at all), `streams` (its answer comes in pieces
    as written), `counts_tokens` (it says what an answer cost); `model` is the model's name as configured."""

    replies: bool = True
    streams: bool = True
    counts_tokens: bool = True
    model: str = ""


@dataclass(frozen=True)
class AssistantFigures:
    """What the desk shows of its assistant: whether the model answers, the tokens spent today against the desk's
    daily limit, and per contact in hand."""

    answering: bool
    spent_today: int
    daily_limit: int
    per_contact: tuple[tuple[str, int], ...] = ()

    def spent_on(self, contact_id: str | None) -> int:
        return dict(self.per_contact).get(contact_id or "", 0)


class AnswerIncomplete(BackendError):
    """The answer stopped before its end: its stream ended without the server saying it was whole (no finish reason:
    nothing, or `[DONE]` alone) or its connection broke once it had begun (the server stopped or was stopped
    mid-answer). The pieces already given are all there is; they must not be shown as a complete answer."""

    def __init__(self, message: str) -> None:
        super().__init__("assist", message)


@runtime_checkable
class AssistModel(Protocol):
    capabilities: AssistCapabilities

    def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        """The answer to `messages`: its text in pieces as they come, then (where the backend counts) one `Usage`.
        With `schema`, the answer is JSON of that shape where the server can hold the model to it (else it is read
        as it comes, strictly). Raises `BackendError` with a sentence an agent can read (the model unreachable, slow,
        refusing), and `AnswerIncomplete` after the pieces where the answer stopped before its end."""
        ...

    async def aclose(self) -> None: ...


class NoAssist:
    """The model of a desk where none is configured: every call refuses in one sentence."""

    why = "No assistant model is configured ([assist] in the configuration, docs/assist.md)."
    capabilities = AssistCapabilities(replies=False, streams=False, counts_tokens=False)

    def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        raise NotServed(self.why, backend="assist")

    async def aclose(self) -> None:
        return None


def assist_model(backend: object) -> AssistModel:
    """`backend` where it says it replies and has the protocol's methods, else `NoAssist`."""
    return resolve(backend, AssistModel, NoAssist, "replies")
