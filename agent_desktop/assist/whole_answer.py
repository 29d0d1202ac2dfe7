"""A whole answer read from the model, bounded, for the requests that use the answer only once it is complete: the
wrap-up draft, the automated evaluation and a translation (a suggestion and the ask box stream theirs to the screen).

The answer is read within `within_s`, to `most` characters at the most (a runaway answer: its start is read, the rest
is not), its tokens spent on the contact where a ledger is given, and masked on the way back. A model that is slow or
fails gives no text and a sentence saying why, told to `health` where one is given (its failure said once)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.prompt import Masking
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.assist.protocol import AnswerSchema, AssistModel, ChatMessage, Usage
from agent_desktop.domain.errors import BackendError, NotServed


@dataclass(frozen=True)
class WholeAnswer:
    text: str | None  # the answer, cut and masked; None: `why` says why there is none
    why: str = ""  # a sentence ending in a full stop: "the model did not answer within 15 s."


async def whole_answer(
    model: AssistModel,
    messages: Sequence[ChatMessage],
    *,
    max_tokens: int,
    most: int,
    within_s: float,
    masking: Masking,
    schema: AnswerSchema | None = None,
    ledger: TokenLedger | None = None,
    contact_id: str = "",
    health: ModelHealth | None = None,
) -> WholeAnswer:
    pieces: list[str] = []
    read = 0  # characters in `pieces`
    answer: AsyncIterator[str | Usage] | None = None
    try:
        async with asyncio.timeout(within_s):
            answer = model.reply(messages, max_tokens=max_tokens, schema=schema)
            async for piece in answer:
                if isinstance(piece, Usage):
                    if ledger is not None:
                        ledger.spend(contact_id, piece)
                    continue
                pieces.append(piece)
                read += len(piece)
                if read >= most:
                    break
    except TimeoutError:
        if health is not None:
            health.failed(f"no answer within {within_s:g} s")
        return WholeAnswer(None, f"the model did not answer within {within_s:g} s.")
    except NotServed as error:
        return WholeAnswer(None, error.message)
    except BackendError as error:  # an answer that stopped before its end too (AnswerIncomplete)
        if health is not None:
            health.failed(error.message)
        return WholeAnswer(None, f"{error.message.rstrip('.')}.")
    finally:
        if isinstance(answer, AsyncGenerator):
            await answer.aclose()
    if health is not None:
        health.answered()
    return WholeAnswer(masking.answer("".join(pieces)[:most]))


def json_object_in(answer: str) -> dict[str, Any] | None:
    """The JSON object a model answered with, a code fence around it or not; None for anything else (a model asked
    for JSON may still write prose, or a number nested past the parser's depth)."""
    text = answer.strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    if not text.startswith("{"):
        return None
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) else None
