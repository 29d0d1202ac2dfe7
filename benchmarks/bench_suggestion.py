"""The assistant's suggested reply on the agent's desk: the desk on the in-process backends with the mock
model server's own engine as its model (tests/support/in_process/model.py), a chat in hand, its composer focused.
Measured in one run, headless (`run_test`: the terminal's own write is in none), every wait bounded:

- `suggestion_first_token_to_screen`: from the model handing over an answer's first piece until the end of the first
  paint whose suggestion area shows it. The mock's own latency (its wait before that piece) is before the clock
  starts: what is measured is the desk's part. Each sample is a suggestion asked again, as f9 asks (not through
  Pilot's `press`, which returns only once the app is idle: the whole answer would have streamed). Target: p99 ≤
  50 ms.
- `suggestion_key_to_frame_streaming`: a key typed into the composer until the end of the paint showing it, while a
  suggestion streams all the time (a piece every 20 ms; a new one asked as each ends), against
  `suggestion_key_to_frame_quiet`, the same desk with no model, and `suggestion_key_to_frame_streaming_vs_quiet` the
  ratio of their p99s. Target: ≤ 1.5.

- `ask_first_token_to_screen`: the ask box (f7) open over the same chat: from the model handing over its answer's
  first piece (the knowledge search and the model's own wait before the clock) until the end of the first paint
  whose box shows it; each sample the question asked again, as enter asks. Target: p99 ≤ 50 ms, as a suggestion's.
- `running_summary_cpu_chat` against `running_summary_cpu_chat_off`: the desk's process CPU (the in-process mocks and
  the mock model's engine included, the same in both) over a chat of `BENCH_SUMMARY_ROUNDS` bursts of three customer
  lines, each burst waited out (its suggested reply, and the summary where on), with the running summary remade every
  three lines, against the same chat with it never asked; `running_summary_cpu_per_summary` the difference per
  summary, `running_summary_cpu_per_summary_model_alone` the mock's engine's part of it (the same requests answered
  again, alone). Target: ≤ 1.25× the chat without it.

Knobs: `BENCH_SUGGESTION_SAMPLES` (first tokens, default 40), `BENCH_ATTENTION_KEYS` (keys, default 300),
`BENCH_ASK_SAMPLES` (the ask box's first tokens, default 20), `BENCH_SUMMARY_ROUNDS` (bursts, default 10).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot

from agent_desktop.assist.suggestion import Suggestion
from agent_desktop.domain.assist.protocol import AnswerSchema, AssistModel, ChatMessage, Usage
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.agent.suggestions.ask_box import AskBox, answer_content
from agent_desktop.ui.agent.suggestions.suggestion_area import SuggestionArea
from benchmarks.bench_attention import FRAME_TIMEOUT_S, SIZE, shown, type_keys, until
from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import timing
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import agent_screen

if TYPE_CHECKING:
    from agent_desktop.ui.app import AgentDesktopApp

DeskRun = Callable[["AgentDesktopApp", Pilot[None], str], Awaitable[list[float]]]  # what a measure does on the desk

SAMPLES = int(os.environ.get("BENCH_SUGGESTION_SAMPLES", "40"))
ASKS = int(os.environ.get("BENCH_ASK_SAMPLES", "20"))
ROUNDS = int(os.environ.get("BENCH_SUMMARY_ROUNDS", "10"))
WARM_UP = 3
QUESTION = "How do I refund a duplicate charge?"
ASKED = "Answer the agent's question."  # in the ask box's request alone (tests/ui/assist/test_ask_box_in_process.py)
SUMMARISE = "Write the wrap-up's two lines"  # in a summary's request (a running summary asks as a wrap-up does)


class TimedModel:
    """The in-process model, telling when it hands over each answer's first piece."""

    def __init__(
        self,
        model: AssistModel,
        first_piece: Callable[[str], None],
        longest: int | None = None,
        only: str | None = None,
    ) -> None:
        """`longest`: answers asked for no more tokens than that (a real model's samples each take their length);
        `only`: told only of the answers to requests holding those words (the ask box's, not the suggestions'), each
        such request kept in `asked`."""
        self.model, self.capabilities, self.first_piece, self.longest = model, model.capabilities, first_piece, longest
        self.only = only
        self.asked: list[tuple[Sequence[ChatMessage], int | None, AnswerSchema | None]] = []

    async def reply(
        self, messages: Sequence[ChatMessage], *, max_tokens: int | None = None, schema: AnswerSchema | None = None
    ) -> AsyncIterator[str | Usage]:
        first = self.only is None or any(self.only in message.content for message in messages)
        if first and self.only is not None:
            self.asked.append((messages, max_tokens, schema))
        if self.longest is not None:
            max_tokens = min(max_tokens or self.longest, self.longest)
        async for piece in self.model.reply(messages, max_tokens=max_tokens, schema=schema):
            if first and isinstance(piece, str):
                first = False
                self.first_piece(piece)
            yield piece

    async def aclose(self) -> None:
        await self.model.aclose()


async def _desk_with_a_chat(
    folder: Path, model: AssistModel | None, run: DeskRun, scene: list[Any] | None = None, **options: Any
) -> list[float]:
    """`scene`: given the in-process mocks, for a run that makes the customer write; `options`: the desk's."""
    from tests.support.desk_app import desk_app
    from tests.support.in_process.scenes import go_available, loaded, scene_mocks, take

    mocks = scene_mocks(folder)
    if scene is not None:
        scene.append(mocks)
    try:
        backends = mocks.backends(assist=model) if model is not None else mocks.backends()
        app = desk_app(backends, clock=mocks.clock.now, **options)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await go_available(pilot)
            contact_id = await take(pilot, mocks, "ana@example.com", "chat", "Late fee")
            await mocks.customer_says(
                contact_id, "Why is there a late fee on my bill? I paid on time, please refund it"
            )
            await pilot.press("i")
            await until(lambda: getattr(app.focused, "id", None) == "composer", "the composer")
            return await run(app, pilot, contact_id)
    finally:
        await mocks.aclose()


async def first_tokens(
    folder: Path,
    real: AssistModel | None = None,
    samples: int = SAMPLES,
    longest: int | None = None,
    answer_within_s: float = FRAME_TIMEOUT_S,
) -> list[float]:
    """`real`: that model rather than the mock's engine, each answer awaited up to `answer_within_s` (its first piece
    too: a real model reads the prompt first; the paint after it keeps FRAME_TIMEOUT_S) (bench_real_model.py)."""
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.in_process.model import InProcessModel

    handed: asyncio.Queue[tuple[str, float]] = asyncio.Queue()
    model = TimedModel(
        real or InProcessModel(ModelMockSettings(first_token_s=0.05, token_s=0.005)),
        lambda piece: handed.put_nowait((piece, time.perf_counter())),
        longest,
    )

    async def run(app: AgentDesktopApp, pilot: Pilot[None], contact_id: str) -> list[float]:
        screen = agent_screen(pilot)
        desk, frames = screen.desk, FrameClock(app)
        area = screen.query_one("#suggestion", SuggestionArea)
        latencies: list[float] = []

        def last_one_done() -> bool:  # (the customer's message asked for one as the chat opened)
            suggestion = desk.conversations.suggestions.get(contact_id)
            return suggestion is not None and suggestion.finished

        for n in range(WARM_UP + samples):
            await until(last_one_done, "the last suggestion", timeout_s=answer_within_s)
            while not handed.empty():
                handed.get_nowait()
            asking = asyncio.create_task(screen.controller.suggestions.suggest(contact_id))  # as f9 does
            _, began = await asyncio.wait_for(handed.get(), answer_within_s)
            suggestion = desk.conversations.suggestions[contact_id]  # (shown as its first piece was handed over)

            def on_screen(suggestion: Suggestion = suggestion) -> bool:
                return area.display and area.showing(suggestion) and bool(suggestion.text)

            painted = await asyncio.wait_for(shown(frames, on_screen), FRAME_TIMEOUT_S)
            await asking
            if n >= WARM_UP:
                latencies.append((painted - began) * 1000)
        return latencies

    return await _desk_with_a_chat(folder, model, run)


async def keys_while(folder: Path, streaming: bool, real: AssistModel | None = None) -> list[float]:
    """`real`: that model streams rather than the mock's engine (bench_real_model.py)."""
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.in_process.model import InProcessModel

    model: AssistModel | None = None
    if streaming:
        model = real or InProcessModel(ModelMockSettings(first_token_s=0.02, token_s=0.02))

    async def run(app: AgentDesktopApp, pilot: Pilot[None], contact_id: str) -> list[float]:
        controller, composer = agent_screen(pilot).controller, of_kind(app.focused, Composer)
        frames = FrameClock(app)
        stop = asyncio.Event()

        async def keep_streaming() -> None:
            while not stop.is_set():
                await controller.suggestions.suggest(contact_id)
                suggestion = controller.desk.conversations.suggestions.get(contact_id)
                if suggestion is not None:
                    await suggestion.wait()
                await asyncio.sleep(0)

        streams = asyncio.create_task(keep_streaming()) if streaming else None
        await pilot.pause(1.0)
        try:
            return await type_keys(app, frames, lambda: composer.text)
        finally:
            stop.set()
            if streams is not None:
                streams.cancel()
                await asyncio.gather(streams, return_exceptions=True)

    return await _desk_with_a_chat(folder, model, run)


async def ask_first_tokens(folder: Path, samples: int = ASKS) -> list[float]:
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.in_process.model import InProcessModel

    handed: asyncio.Queue[tuple[str, float]] = asyncio.Queue()
    model = TimedModel(
        InProcessModel(ModelMockSettings(first_token_s=0.05, token_s=0.005)),
        lambda piece: handed.put_nowait((piece, time.perf_counter())),
        only=ASKED,
    )

    async def run(app: AgentDesktopApp, pilot: Pilot[None], contact_id: str) -> list[float]:
        frames = FrameClock(app)
        agent_screen(pilot).action_ask_assistant()  # as f7 does
        await until(lambda: isinstance(app.screen, AskBox), "the ask box")
        box = of_kind(app.screen, AskBox)
        latencies: list[float] = []
        for n in range(WARM_UP + samples):
            await until(lambda: not box.streaming, "the last answer", timeout_s=FRAME_TIMEOUT_S)
            while not handed.empty():
                handed.get_nowait()
            box.run_ask(QUESTION)  # as enter does
            _, began = await asyncio.wait_for(handed.get(), FRAME_TIMEOUT_S)

            def on_screen() -> bool:
                answer = box.answer
                drawn = str(box.answer_area.render())
                return answer is not None and bool(answer.text) and drawn == str(answer_content(answer, False))

            painted = await asyncio.wait_for(shown(frames, on_screen), FRAME_TIMEOUT_S)
            if n >= WARM_UP:
                latencies.append((painted - began) * 1000)
        return latencies

    return await _desk_with_a_chat(folder, model, run)


async def summary_cpu(folder: Path, summaries: bool, rounds: int = ROUNDS) -> tuple[float, int, float]:
    """The desk's process CPU (ms) over the chat, how many summaries it asked for, and the CPU (ms) of the mock's
    engine alone answering those requests again (its part of the first figure)."""
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.in_process.model import InProcessModel

    model = TimedModel(
        InProcessModel(ModelMockSettings(first_token_s=0.02, token_s=0.005)), lambda piece: None, only=SUMMARISE
    )

    async def run(app: AgentDesktopApp, pilot: Pilot[None], contact_id: str) -> list[float]:
        desk = agent_screen(pilot).desk

        def waited_out(lines: int) -> Callable[[], bool]:
            def done() -> bool:
                suggestion = desk.conversations.suggestions.get(contact_id)
                summary = desk.summaries.get(contact_id)
                covered = not summaries or lines < 3 or (summary is not None and summary.lines >= lines)
                return suggestion is not None and suggestion.finished and covered

            return done

        await until(waited_out(1), "the first line's suggestion", timeout_s=FRAME_TIMEOUT_S)
        began = time.process_time()
        for burst in range(rounds):
            for line in range(3):
                await scene[0].customer_says(
                    contact_id, f"Line {line + 1} of burst {burst + 1}: the late fee is still on my bill"
                )
            await until(waited_out(1 + 3 * (burst + 1)), f"burst {burst + 1} waited out", timeout_s=FRAME_TIMEOUT_S)
            await asyncio.sleep(0.2)  # the same quiet time in both runs
        return [(time.process_time() - began) * 1000]

    scene: list[Any] = []
    every = 3 if summaries else 10**6
    (cpu_ms,) = await _desk_with_a_chat(
        folder, model, run, scene, assist_summary_every_lines=every, assist_summary_pause_s=0.05
    )
    alone = InProcessModel(ModelMockSettings(first_token_s=0.02, token_s=0.005))
    began = time.process_time()
    for messages, max_tokens, schema in model.asked:
        async for _ in alone.reply(messages, max_tokens=max_tokens, schema=schema):
            pass
    await alone.aclose()
    return cpu_ms, len(model.asked), (time.process_time() - began) * 1000


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        first = asyncio.run(first_tokens(root / "first"))
        quiet = asyncio.run(keys_while(root / "quiet", streaming=False))
        streaming = asyncio.run(keys_while(root / "streaming", streaming=True))
        asked = asyncio.run(ask_first_tokens(root / "ask"))
        off, _, _ = asyncio.run(summary_cpu(root / "summary-off", summaries=False))
        on, made, engine = asyncio.run(summary_cpu(root / "summary-on", summaries=True))
    yield timing("suggestion_first_token_to_screen", first, target=50.0, unit="ms", digits=2)
    yield timing("suggestion_key_to_frame_quiet", quiet, target="reference", unit="ms", digits=2)
    streamed = timing("suggestion_key_to_frame_streaming", streaming, target="≤ 1.5× quiet", unit="ms", digits=2)
    yield streamed
    quiet_p99 = timing("", quiet, target="")["p99"]
    yield {
        "name": "suggestion_key_to_frame_streaming_vs_quiet",
        "unit": "ratio",
        "value": round(streamed["p99"] / quiet_p99, 2) if quiet_p99 else None,
        "target": 1.5,
    }
    yield timing("ask_first_token_to_screen", asked, target=50.0, unit="ms", digits=2)
    yield {"name": "running_summary_cpu_chat_off", "unit": "ms CPU", "value": round(off), "target": "reference"}
    yield {"name": "running_summary_cpu_chat", "unit": "ms CPU", "value": round(on), "summaries": made, "target": 1.25}
    yield {
        "name": "running_summary_cpu_per_summary",
        "unit": "ms CPU",
        "value": round((on - off) / made, 1) if made else None,
        "ratio": round(on / off, 2) if off else None,
        "target": "≤ 1.25× the chat without it",
    }
    yield {
        "name": "running_summary_cpu_per_summary_model_alone",
        "unit": "ms CPU",
        "value": round(engine / made, 1) if made else None,
        "target": "the mock's engine's part of the above",
    }
