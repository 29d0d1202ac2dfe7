"""An automated evaluation of a 50-line transcript: the demo's chat form answered by the mock model
server's own engine in-process, with no wait of its own (tests/support/in_process/model.py), so what is measured is
the desk's part and the mock's, one after the other on one core:

- `auto_evaluation_50_lines`: `evaluate_transcript` whole — the transcript masked (each party's lines as one run), the
  request built, the model's answer read and each quote looked for in the transcript as sent.
  Target: p99 ≤ 100 ms (a supervisor waits on it).
- `auto_evaluation_model_alone`: the same in-process model answering the same request by itself (the mock's reading
  of the blocks and its choice of quotes), no desk around it: the model's part of the figure above.
- `auto_evaluation_masker_alone` (the bare reference): the same 50 lines through the card-data masker alone, as every
  request to the model passes it (each party's lines as one run): what no evaluation can do without.
- `auto_evaluation_desk_part_vs_masker`: the desk's part (the whole's p50 less the model's) over the masker's p50.
  Target: ≤ 1.5 (the desk adds little to the masking it must do).

Knob: `BENCH_EVALUATION_SAMPLES` (default 60, after 5 warm-ups).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_desktop.assist.prompt import Masking, said_in
from agent_desktop.assist.quality.auto_evaluation import evaluate_transcript
from agent_desktop.assist.quality.evaluation_prompt import evaluation_prompt
from agent_desktop.assist.token_ledger import TokenLedger
from agent_desktop.domain.models import ParticipantRole, TranscriptItem
from agent_desktop.domain.quality.forms import Form
from benchmarks.figures import timing

SAMPLES = int(os.environ.get("BENCH_EVALUATION_SAMPLES", "60"))
WARM_UP = 5
LINES = 50
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)

CUSTOMER_SAYS = [
    "Hi, why was I charged a late fee this month? I paid on time.",
    "My account number is 88812345 and the card ending 4242 pays it.",
    "It was the 3rd of the month, the bill said the 5th.",
    "Can you waive it, please?",
    "OK, and will it happen again next month?",
]
AGENT_SAYS = [
    "Sorry about that. I understand the reason for your message: the late fee.",
    "Let me verify the account first: can you confirm the postcode?",
    "Thanks. I see the payment arrived on the 3rd; the fee was charged in error.",
    "I have resolved the issue: the fee is waived and a refund reaches your card within five working days.",
    "The next step is nothing on your side; autopay on the 1st avoids it in future.",
]


def transcript() -> list[TranscriptItem]:
    items = []
    for n in range(LINES):
        customer = n % 2 == 0
        text = (CUSTOMER_SAYS if customer else AGENT_SAYS)[(n // 2) % 5]
        items.append(
            TranscriptItem(
                id=f"m-{n}",
                contact_id="c-bench",
                index=n,
                role=ParticipantRole.CUSTOMER if customer else ParticipantRole.AGENT,
                display_name="Ana" if customer else "Sam",
                text=text,
                created_at=AT + timedelta(seconds=20 * n),
            )
        )
    return items


async def measure() -> tuple[list[float], list[float], list[float]]:
    from agent_desktop_mocks.ccaas.quality.service import shipped_forms
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.in_process.model import InProcessModel

    form = next(Form.model_validate(f.model_dump(mode="json")) for f in shipped_forms() if f.id == "chat-standard")
    model = InProcessModel(ModelMockSettings(keep_bodies=1))
    items = transcript()
    whole: list[float] = []
    alone: list[float] = []
    masker: list[float] = []
    said = said_in(items)
    ledger = TokenLedger(10**12)
    messages = evaluation_prompt(said_in(items), form, "Billing").prompt
    for n in range(WARM_UP + SAMPLES):
        began = time.perf_counter()
        outcome = await evaluate_transcript(model, items, form, "Billing", "c-bench", ledger)
        ended = time.perf_counter()
        if outcome.evaluation is None or outcome.evaluation.unanswered:
            raise RuntimeError(f"the evaluation was not whole: {outcome.said}")
        began_alone = time.perf_counter()
        async for _ in model.reply(messages.messages, max_tokens=1_200, schema=messages.schema):
            pass
        ended_alone = time.perf_counter()
        began_masker = time.perf_counter()
        Masking().conversation(said, recent=LINES)
        ended_masker = time.perf_counter()
        if n >= WARM_UP:
            whole.append((ended - began) * 1000)
            alone.append((ended_alone - began_alone) * 1000)
            masker.append((ended_masker - began_masker) * 1000)
    return whole, alone, masker


def run() -> Iterator[dict[str, Any]]:
    whole, alone, masker = asyncio.run(measure())
    evaluated = timing("auto_evaluation_50_lines", whole, target=100.0, unit="ms", digits=2)
    model = timing("auto_evaluation_model_alone", alone, target="its part of the above", unit="ms", digits=2)
    bare = timing("auto_evaluation_masker_alone", masker, target="reference", unit="ms", digits=2)
    yield evaluated
    yield model
    yield bare
    yield {
        "name": "auto_evaluation_desk_part_vs_masker",
        "unit": "ratio",
        "value": round((evaluated["p50"] - model["p50"]) / bare["p50"], 2) if bare["p50"] else None,
        "target": 1.5,
    }
