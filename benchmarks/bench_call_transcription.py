"""A call's live transcript: a transcription line (interim or final) from the moment the contact center publishes it
to the frame that shows it on the agent's desk, beside a bare Textual app painting the same lines in the same run.

- `call_transcription_line_to_screen`: the in-process mock contact center (its real engine, event log and call
  speaker, no sockets: the boundary is the engine's publish, not a network), the agent's desk at 120×40 with the
  call answered, its transcript in the experts' place. The speaker says a long script (60 lines, a caller's and the
  agent's in turn; each line heard as interim words every three words, then final), its clock stepped 0.3 s at a
  time, 30 ms of real time apart; from the publish (the event log's listener) to the frame in which the call's
  transcript view holds that version of the line (FrameClock). A warm-up of ten lines first. Target p99 ≤ 100 ms.
- `call_transcription_line_to_screen_reference`: the same contact center and script, the same stepping, a bare
  Textual app at 120×40 whose worker takes each published line off a queue and shows it in a Static; publish to
  frame. `ratio_p99` on the desk's line is the desk's p99 over the reference's.

Not measured here: a real network and SSE parsing (bench_transcript's `customer_message_to_visible` measures those
for chat messages: a few milliseconds).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from agent_desktop_mocks.ccaas.api.routers import contacts
from agent_desktop_mocks.ccaas.core.requests import ContactCreate
from agent_desktop_mocks.ccaas.core.schemas import AgentState, AttachedData
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts
from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import timing
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks

SIZE = (120, 40)
LINES = int(os.environ.get("BENCH_CALL_LINES", "60"))
WARM_UP_LINES = 10
STEP_S = 0.3  # the mock's clock, each step
GAP_S = 0.03  # real time between steps: the desk draws meanwhile
WORDS = (
    "I was charged twice on my bill this month and I would like the second payment refunded to my card "
    "today please because it is not the first time this has happened to me"
).split()
Published = dict[tuple[str, str], float]  # (line id, text) → when it was published (perf_counter)


def _script() -> CallScripts:
    lines = [
        ["customer" if n % 2 else "agent", " ".join(WORDS[(n * 5) % 20 : (n * 5) % 20 + 12]) + "."]
        for n in range(LINES)
    ]
    return CallScripts.model_validate({"script": [{"intent": "bench", "queue": "billing", "lines": lines}]})


def _mocks(folder: Path) -> InProcessMocks:
    mocks = InProcessMocks(MockSettings(data_dir=folder, seed=42, customers=20, simulator=False, fresh=True))
    speaker = mocks.ccaas_app.state.call_speaker
    speaker.scripts = _script()
    return mocks


def _listen(mocks: InProcessMocks, published: Published, finals: set[str]) -> None:
    agent = f"agent:{DEMO_AGENT_ID}"

    def heard(topics: list[str], type_: str, data: dict[str, Any]) -> None:
        if type_ == "transcription" and agent in topics:
            line = data["line"]
            published.setdefault((line["id"], line["text"]), time.perf_counter())
            if line["final"]:
                finals.add(line["id"])

    mocks.ccaas_app.state.event_log.add_listener(heard)


async def _call(mocks: InProcessMocks) -> None:
    mocks.engine.agents.set_agent_state(DEMO_AGENT_ID, AgentState.AVAILABLE)
    body = ContactCreate(
        queue_id="billing", channel="voice", from_address="+15550100123", attached=AttachedData(intent="bench")
    )
    await contacts.create(body, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
    await mocks.connect_offer()


async def _step_through(mocks: InProcessMocks, finals: set[str]) -> None:
    """The clock stepped until every line of the script is said (bounded: about twice the time it needs)."""
    for _ in range(int(LINES * 12 / STEP_S)):
        if len(finals) >= LINES:
            break
        mocks.time.advance(STEP_S)
        await asyncio.sleep(GAP_S)
    await asyncio.sleep(0.5)


def _after_warm_up(samples: dict[tuple[str, str], float], published: Published) -> list[float]:
    order = list(dict.fromkeys(line_id for line_id, _ in published))
    warm = set(order[:WARM_UP_LINES])
    return [ms for (line_id, _), ms in samples.items() if line_id not in warm]


async def _desk(folder: Path) -> tuple[list[float], int]:
    from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import wait_until

    mocks = _mocks(folder)
    published: Published = {}
    finals: set[str] = set()
    samples: dict[tuple[str, str], float] = {}
    try:
        app = desk_app(mocks.backends(), clock=mocks.clock.now)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.screen.desk.agent is not None, "the desk's first state")  # type: ignore[attr-defined]
            _listen(mocks, published, finals)
            await _call(mocks)
            desk = app.screen.desk  # type: ignore[attr-defined]
            await wait_until(pilot, lambda: bool(desk.held), "the call in hand")
            frames = FrameClock(app)
            view = app.screen.query_one("#call-transcript", CallTranscriptView)
            original = view.show

            def show(transcript: Any, customer: str | None = None) -> None:
                original(transcript, customer)
                if transcript is None:
                    return
                shown = [(line.id, line.text) for line in transcript.lines]
                due = [key for key in shown if key in published and key not in samples]
                if due:

                    def drawn() -> None:
                        now = time.perf_counter()
                        for key in due:
                            samples.setdefault(key, (now - published[key]) * 1000)

                    frames.on_next_frame(drawn)

            view.show = show  # type: ignore[method-assign]
            await _step_through(mocks, finals)
            missed = len([key for key in published if key not in samples])
    finally:
        await mocks.aclose()
    return _after_warm_up(samples, published), missed


class Bare(App[None]):
    """A bare Textual app painting the last line heard, its worker taking the lines off a queue."""

    def __init__(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        super().__init__()
        self.queue = queue
        self.shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(id="line")

    def on_mount(self) -> None:
        self.run_worker(self._follow(), exclusive=True)

    async def _follow(self) -> None:
        line = self.query_one("#line", Static)
        while True:
            said = await self.queue.get()
            line.update(f"{said['display_name']}  {said['text']}")
            self.shown.append((said["id"], said["text"]))


async def _reference(folder: Path) -> tuple[list[float], int]:
    mocks = _mocks(folder)
    published: Published = {}
    finals: set[str] = set()
    samples: dict[tuple[str, str], float] = {}
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    try:
        app = Bare(queue)
        async with app.run_test(size=SIZE):
            _listen(mocks, published, finals)
            mocks.ccaas_app.state.event_log.add_listener(
                lambda topics, type_, data: queue.put_nowait(data["line"]) if type_ == "transcription" else None
            )
            frames = FrameClock(app)
            seen = 0

            def on_frame() -> None:
                nonlocal seen
                now = time.perf_counter()
                for key in app.shown[seen:]:
                    if key in published:
                        samples.setdefault(key, (now - published[key]) * 1000)
                seen = len(app.shown)
                frames.on_next_frame(on_frame)

            frames.on_next_frame(on_frame)
            await _call(mocks)
            await _step_through(mocks, finals)
            missed = len([key for key in published if key not in samples])
    finally:
        await mocks.aclose()
    return _after_warm_up(samples, published), missed


def run() -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as reference_folder, tempfile.TemporaryDirectory() as folder:
        reference, reference_missed = asyncio.run(_reference(Path(reference_folder)))
        ours, missed = asyncio.run(_desk(Path(folder)))
    bare = timing(
        "call_transcription_line_to_screen_reference", reference, target="none (the bare reference)", unit="ms"
    )
    desk = timing("call_transcription_line_to_screen", ours, target=100.0, unit="ms", digits=1)
    yield {**bare, "not_drawn": reference_missed}
    yield {
        **desk,
        "not_drawn": missed,
        "ratio_p99": round(desk["p99"] / bare["p99"], 2) if bare.get("p99") else None,
        "load_1m": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    import json

    for figure in run():
        print(json.dumps(figure))
