"""Translation both ways on the agent's desk: the desk on the in-process backends with the mock model
server's own engine as its model, a chat in hand whose customer writes in Spanish (the IVR's language on the contact).
Measured in one run, headless, every wait bounded:

- `translation_to_screen`: from the model handing over a customer message's translation whole (its last piece: a
  translation is shown only once whole) until the end of the first paint whose transcript shows it. The mock's own
  latency is before the clock starts: what is measured is the desk's part. Each sample is one more Spanish message from
  the customer. Target: p99 ≤ 50 ms.

Knob: `BENCH_TRANSLATION_SAMPLES` (default 40).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from agent_desktop.domain.assist.protocol import AnswerSchema, AssistModel, ChatMessage, Usage
from agent_desktop.ui.shared.transcript_view import TranscriptView
from benchmarks.bench_attention import FRAME_TIMEOUT_S, SIZE, shown
from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import timing
from tests.support.scenes.pilot_steps import agent_screen

SAMPLES = int(os.environ.get("BENCH_TRANSLATION_SAMPLES", "40"))
WARM_UP = 3
SPANISH = "Quiero un reembolso del cargo duplicado."
ENGLISH = "I want a refund for the duplicate charge."


class TimedTranslations:
    """The in-process model, telling when it has handed over a translation's last piece."""

    def __init__(self, model: AssistModel, whole: Callable[[float], None]) -> None:
        self.model, self.capabilities, self.whole = model, model.capabilities, whole

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        translating = "<<<translate " in messages[-1].content
        async for piece in self.model.reply(messages, max_tokens=max_tokens, schema=schema):
            if translating and isinstance(piece, Usage):  # (the usage comes after the last piece)
                self.whole(time.perf_counter())
            yield piece

    async def aclose(self) -> None:
        await self.model.aclose()


async def translations(folder: Path) -> list[float]:
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.desk_app import desk_app
    from tests.support.in_process.model import InProcessModel
    from tests.support.in_process.scenes import go_available, loaded, scene_mocks, take

    handed: asyncio.Queue[float] = asyncio.Queue()
    model = TimedTranslations(InProcessModel(ModelMockSettings(first_token_s=0.02, token_s=0.0)), handed.put_nowait)
    mocks = scene_mocks(folder)
    try:
        app = desk_app(mocks.backends(assist=model), clock=mocks.clock.now)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await go_available(pilot)
            contact_id = await take(pilot, mocks, "ana@example.com", "chat", "Cobro doble", {"language": "es"})
            await pilot.press("i")
            screen = agent_screen(pilot)
            view, frames = screen.query_one("#transcript", TranscriptView), FrameClock(app)
            latencies: list[float] = []
            for n in range(WARM_UP + SAMPLES):

                def on_screen(count: int = n + 1) -> bool:
                    return sum(line.strip() == ENGLISH for line in view.plain_lines()) >= count

                while not handed.empty():
                    handed.get_nowait()
                painted = shown(frames, on_screen)
                await mocks.customer_says(contact_id, SPANISH)
                began = await asyncio.wait_for(handed.get(), FRAME_TIMEOUT_S)
                done = await asyncio.wait_for(painted, FRAME_TIMEOUT_S)
                if n >= WARM_UP:
                    latencies.append((done - began) * 1000)
            return latencies
    finally:
        await mocks.aclose()


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        measured = asyncio.run(translations(Path(folder)))
    yield timing("translation_to_screen", measured, target=50.0, unit="ms", digits=2)
