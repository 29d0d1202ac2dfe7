"""The wrap-up the agent reviews: the model's summary and disposition when it answers in time with one of the queue's
own dispositions, else the rules-drafted one (agent_desktop/writing_aids/summary.py), and a sentence saying which the
agent is reading and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from agent_desktop.assist.model_health import ModelHealth
from agent_desktop.assist.prompt import ANSWER_CHARACTERS, Masking, Said, said_in, wrap_up_prompt
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.assist.whole_answer import whole_answer
from agent_desktop.assist.wrap_up_answer import AiWrapUp, read_wrap_up
from agent_desktop.domain.assist.protocol import AssistModel
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.writing_aids.summary import draft_summary

WRAP_UP_TOKENS = 200
WRAP_UP_WITHIN_S = 15.0


@dataclass(frozen=True)
class DraftedWrapUp:
    summary: str
    disposition: str | None  # the model's pick from the queue's list; None from the rules (the agent picks)
    source: Literal["model", "rules"]
    said: str  # which the agent is reading, in words: shown above the draft


async def draft_wrap_up(
    model: AssistModel,
    items: Sequence[TranscriptItem],
    dispositions: Sequence[str],
    queue: str,
    contact_id: str,
    ledger: TokenLedger,
    *,
    masking: Masking | None = None,
    health: ModelHealth | None = None,
    within_s: float = WRAP_UP_WITHIN_S,
) -> DraftedWrapUp:
    """The AI wrap-up for a transcript, or the rules' draft of it with the reason the model's is not there."""
    rules = draft_summary(items)
    return await ai_or_rules(
        model,
        said_in(items),
        dispositions,
        queue,
        contact_id,
        ledger,
        rules,
        masking=masking,
        health=health,
        within_s=within_s,
    )


async def ai_or_rules(
    model: AssistModel,
    said: Sequence[Said],
    dispositions: Sequence[str],
    queue: str,
    contact_id: str,
    ledger: TokenLedger,
    rules_summary: str,
    *,
    masking: Masking | None = None,
    health: ModelHealth | None = None,
    within_s: float = WRAP_UP_WITHIN_S,
) -> DraftedWrapUp:
    masking = masking or Masking()
    health = health or ModelHealth()

    def rules(why: str) -> DraftedWrapUp:
        return DraftedWrapUp(rules_summary, None, "rules", f"Drafted by rules: {why}")

    if not model.capabilities.replies:
        return rules("no assistant model is configured.")
    if not dispositions:
        return rules("this queue has no dispositions for the model to choose from.")
    if ledger.spent_out:
        return rules(ledger.limit_sentence())
    prompt = wrap_up_prompt(said, dispositions, queue, masking)
    answered = await whole_answer(
        model,
        prompt.messages,
        max_tokens=WRAP_UP_TOKENS,
        schema=prompt.schema,
        most=ANSWER_CHARACTERS,
        within_s=within_s,
        masking=masking,
        ledger=ledger,
        contact_id=contact_id,
        health=health,
    )
    if (text := answered.text) is None:
        return rules(answered.why)
    found = read_wrap_up(text, dispositions) or _as_listed(
        read_wrap_up(text, prompt.listed), prompt.listed, dispositions
    )
    if found is None:
        return rules("the model's answer was not a summary and one of this queue's dispositions.")
    name = model.capabilities.model or "the model"
    return DraftedWrapUp(found.summary, found.disposition, "model", f"Drafted by {name}: review it before saving.")


def _as_listed(found: AiWrapUp | None, listed: Sequence[str], dispositions: Sequence[str]) -> AiWrapUp | None:
    """A disposition the model named as the prompt showed it (masked, on one line), as the queue's list writes it."""
    if found is None:
        return None
    return AiWrapUp(found.summary, dispositions[list(listed).index(found.disposition)])
