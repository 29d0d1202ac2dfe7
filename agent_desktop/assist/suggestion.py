"""A suggested reply as it streams, for the UI to draw without knowing the model: started for a contact after a
customer message, its text growing piece by piece (masked as a whole at every piece, a possible card number's digits
held back until the next piece shows where it ends), then done, failed or cancelled. The ask box's answer to the
agent's own question is one too, kept apart from the suggested reply (`Assistant.ask`: one per contact as well). An answer is kept to the composer's
length (`ANSWER_CHARACTERS`: the rest is not read) and one that stops before its end is kept as far as it came; either
is said (`cut`). `Assistant` starts them (one per contact: a new one cancels the last), cancels them when the agent
moves on, counts their tokens against the desk's daily limit and says once that the model stopped answering. Nothing
here sends anything to a customer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from agent_desktop.assist.floor_question.floor_prompt import Figure, floor_prompt
from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.prompt import (
    ANSWER_CHARACTERS,
    CardFact,
    Masking,
    Said,
    SourcePassage,
    ask_prompt,
    reply_prompt,
)
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.assist.protocol import AnswerIncomplete, AssistModel, ChatMessage, Usage
from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.pci import settled_part

REPLY_TOKENS = 300
ASK_TOKENS = 400
FLOOR = "floor"  # the key of the supervisor's question about the floor among the questions asked (one at a time)


class SuggestionState(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Source:
    """A passage the suggestion was grounded in, as the agent sees it named; the ask box shows its passage (`text`)
    and puts it in a reply where the article may reach a customer (`for_reply`)."""

    id: str
    title: str
    text: str = ""
    for_reply: bool = True

    def cited_in(self, answer: str) -> bool:
        """Whether the answer names it, as it is asked to: its title in square brackets."""
        return bool(self.title) and f"[{self.title.casefold()}]" in answer.casefold()


class Suggestion:
    """One suggestion's state; `version` moves at every change (the UI redraws when it moved)."""

    def __init__(self, contact_id: str, sources: Sequence[Source], masking: Masking) -> None:
        self.contact_id = contact_id
        self.sources = tuple(sources)
        self.state = SuggestionState.STREAMING
        self.error: str | None = None
        self.cut: str | None = None  # why the text is not the model's whole answer (too long, or stopped short)
        self.usage: Usage | None = None
        self.version = 0
        self._raw = ""
        self._masking = masking
        self._task: asyncio.Task[None] | None = None

    @property
    def text(self) -> str:
        """What may be shown or put in the composer: the answer masked, and while it streams (or where it was cut),
        without a tail that could be the start of a card number."""
        masked = self._masking.answer(self._raw)[:ANSWER_CHARACTERS]
        if self.state is SuggestionState.STREAMING or self.cut is not None:
            return settled_part(masked)
        return masked

    @property
    def finished(self) -> bool:
        return self.state is not SuggestionState.STREAMING

    def cancel(self) -> None:
        """The agent moved on (another contact, a discard, a new customer message): the request is dropped."""
        if self.finished:
            return
        self.state = SuggestionState.CANCELLED
        self.version += 1
        if self._task is not None:
            self._task.cancel()

    async def wait(self) -> None:
        """Until it is done, failed or cancelled (tests and the wrap-up wait on this, never on a sleep)."""
        if self._task is not None:
            await asyncio.wait([self._task])

    def _append(self, piece: str) -> bool:
        """The piece added as far as the answer's length allows; False when it did not all fit (the rest is cut)."""
        room = ANSWER_CHARACTERS - len(self._raw)
        self._raw += piece[:room]
        self.version += 1
        if len(piece) <= room:
            return True
        self.cut = f"Cut at {ANSWER_CHARACTERS:,} characters: the model's answer was longer."
        return False

    def _end(self, state: SuggestionState, error: str | None = None) -> None:
        if not self.finished:
            self.state, self.error = state, error
            self.version += 1


class Assistant:
    """The desk's suggestions: at most one per contact. `changed` is called with a suggestion each time it changes
    (on the loop; the UI coalesces). `reply_tokens` bounds a suggested reply's length (a test on a real model that
    needs no long answer asks for less: its tokens are its time)."""

    def __init__(
        self,
        model: AssistModel,
        ledger: TokenLedger,
        masking: Masking | None = None,
        health: ModelHealth | None = None,
        changed: Callable[[Suggestion], None] | None = None,
        reply_tokens: int = REPLY_TOKENS,
    ) -> None:
        self.model = model
        self.reply_tokens = reply_tokens
        self.ledger = ledger
        self.masking = masking or Masking()
        self.health = health or ModelHealth()
        self._changed = changed or (lambda suggestion: None)
        self._current: dict[str, Suggestion] = {}
        self._asked: dict[str, Suggestion] = {}  # the ask box's answer, per contact: apart from the reply's

    @property
    def available(self) -> bool:
        return self.model.capabilities.replies

    def current(self, contact_id: str) -> Suggestion | None:
        return self._current.get(contact_id)

    def suggest(
        self, contact_id: str, said: Sequence[Said], passages: Sequence[SourcePassage], queue: str
    ) -> Suggestion:
        """Start a suggestion for the customer's last message (cancelling the contact's last one). Must be called on
        the event loop; returns at once, the answer streams in a task."""
        self.cancel(contact_id)
        suggestion = Suggestion(contact_id, [Source(p.id, p.title) for p in passages], self.masking)
        self._current[contact_id] = suggestion
        if self.ledger.spent_out:
            suggestion._end(SuggestionState.FAILED, self.ledger.limit_sentence())
            self._changed(suggestion)
            return suggestion
        prompt = reply_prompt(said, passages, queue, self.masking)
        suggestion._task = asyncio.get_running_loop().create_task(
            self._stream(suggestion, prompt.messages, self.reply_tokens, self._changed), name=f"suggestion {contact_id}"
        )
        return suggestion

    def ask(
        self,
        contact_id: str,
        question: str,
        said: Sequence[Said],
        card: Sequence[CardFact],
        passages: Sequence[SourcePassage],
        queue: str,
        *,
        sources: Sequence[Source] | None = None,
        changed: Callable[[Suggestion], None] | None = None,
    ) -> Suggestion:
        """Start the answer to the agent's question (cancelling the contact's last one, not its suggested reply);
        `changed` is told of each piece, and of its end. On the event loop; returns at once."""
        self.cancel_ask(contact_id)
        told = changed or (lambda suggestion: None)
        named = sources if sources is not None else [Source(p.id, p.title, p.text) for p in passages]
        answer = Suggestion(contact_id, named, self.masking)
        self._asked[contact_id] = answer
        if self.ledger.spent_out:
            answer._end(SuggestionState.FAILED, self.ledger.limit_sentence())
            told(answer)
            return answer
        prompt = ask_prompt(question, said, card, passages, queue, self.masking)
        answer._task = asyncio.get_running_loop().create_task(
            self._stream(answer, prompt.messages, ASK_TOKENS, told), name=f"ask {contact_id}"
        )
        return answer

    def ask_floor(
        self, question: str, figures: Sequence[Figure], changed: Callable[[Suggestion], None] | None = None
    ) -> Suggestion:
        """Start the answer to the supervisor's question about the floor, from `figures` alone (cancelling the last
        one); `changed` is told of each piece, and of its end. On the event loop; returns at once."""
        self.cancel_ask(FLOOR)
        told = changed or (lambda suggestion: None)
        answer = Suggestion(FLOOR, (), self.masking)
        self._asked[FLOOR] = answer
        if self.ledger.spent_out:
            answer._end(SuggestionState.FAILED, self.ledger.limit_sentence())
            told(answer)
            return answer
        prompt = floor_prompt(question, figures, self.masking)
        answer._task = asyncio.get_running_loop().create_task(
            self._stream(answer, prompt.messages, ASK_TOKENS, told), name="ask the floor"
        )
        return answer

    def asked(self, contact_id: str) -> Suggestion | None:
        return self._asked.get(contact_id)

    def cancel_ask(self, contact_id: str) -> None:
        """Escape while it streams, or the contact left: the request is closed."""
        answer = self._asked.pop(contact_id, None)
        if answer is not None:
            answer.cancel()

    def cancel(self, contact_id: str) -> None:
        suggestion = self._current.get(contact_id)
        if suggestion is not None and not suggestion.finished:
            suggestion.cancel()
            self._changed(suggestion)

    def discard(self, contact_id: str) -> None:
        """The agent discarded it (or the contact is done): cancelled and forgotten."""
        self.cancel(contact_id)
        self._current.pop(contact_id, None)

    async def aclose(self) -> None:
        suggestions = [*self._current.values(), *self._asked.values()]
        for suggestion in suggestions:
            suggestion.cancel()
        for suggestion in suggestions:
            await suggestion.wait()

    async def _stream(
        self,
        suggestion: Suggestion,
        messages: Sequence[ChatMessage],
        max_tokens: int,
        changed: Callable[[Suggestion], None],
    ) -> None:
        answer: AsyncIterator[str | Usage] | None = None
        try:
            answer = self.model.reply(messages, max_tokens=max_tokens)
            async for piece in answer:
                if isinstance(piece, Usage):
                    suggestion.usage = piece
                    self.ledger.spend(suggestion.contact_id, piece)
                    continue
                if not suggestion._append(piece):
                    break  # cut: the rest is not read (its request is closed below)
                changed(suggestion)
        except NotServed as error:
            suggestion._end(SuggestionState.FAILED, error.message)
        except AnswerIncomplete as error:  # what came is kept, said to be incomplete
            suggestion.cut = f"Incomplete: {error.message.rstrip('.')}."
            suggestion._end(SuggestionState.DONE)
            self.health.failed(error.message)
        except BackendError as error:
            suggestion._end(SuggestionState.FAILED, error.message)
            self.health.failed(error.message)
        else:
            suggestion._end(SuggestionState.DONE)
            self.health.answered()
        finally:
            if isinstance(answer, AsyncGenerator):
                await answer.aclose()
        changed(suggestion)
