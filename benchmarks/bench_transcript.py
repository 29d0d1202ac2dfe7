"""The desktop's conversation workspace: a long transcript opening and scrolling, and a customer's message
reaching the screen.

- `transcript_memory_three_5000`: peak RSS of a fresh process holding three 5,000-item conversations,
  each drawn once (Textual and the view included; not the whole desktop with its backends).

- `transcript_open_5000`: a conversation of 5,000 items (as the desk holds it once the agent has paged
  through all of it; a fifth of them with order numbers and amounts) shown in the TranscriptView, from `show()` to the frame drawn (headless Textual,
  120×40; the process's objects frozen first, as the desk freezes its start-up). The items are built here (chat lines of 20–300 characters, some agent messages with receipts,
  system items); `conversation_read_all_5000` in bench_conversations.py measures fetching them.
- `transcript_merge_5000`: merging those 5,000 items into the desk's conversation (ordering, dedup by id,
  PCI masking of customer text).
- `transcript_scroll_key_to_frame`: up / page up / down keys on the focused 5,000-item transcript, from the
  key event posted to the frame handed to the terminal (Pilot's `press` waits for idle in 20 ms steps, so
  it is not used to time).
- `customer_message_to_visible`: three chats in hand (real mock servers in another process, customers at
  speed 50); each receives a customer message a second (the agent writes through the API, the simulated
  customer answers, with typing events); for the selected chat, from the message's `created_at` (the
  server's clock, the same machine's) to the frame that shows it. Measured twice: quiet, then with 100
  presence changes a second on the experts the desk follows (`_100_presence_changes_per_s`; the presence
  server in a process of its own, so the storm loads the desktop, not the contact center).
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings, free_port, wait_healthy
from agent_desktop.domain.models import Channel, MessageEvent, ParticipantRole, TranscriptItem, TranscriptPage
from agent_desktop.transcripts.conversation import ConversationState
from benchmarks.bench_presence import CHANGES_PER_S as PRESENCE_CHANGES_PER_S
from benchmarks.figures import peak_rss_mb, percentile, timing
from tests.support.desk_app import desk_app
from tests.support.narrowing import present

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 5000
SIZE = (120, 40)
AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
WORDS = "the payment card order refund account invoice twice please thanks when what line plan router".split()
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def long_transcript(count: int = ITEMS) -> list[TranscriptItem]:
    rng = random.Random(7)
    items = []
    for index in range(count):
        role = (
            ParticipantRole.SYSTEM if index % 97 == 0 else rng.choice([ParticipantRole.CUSTOMER, ParticipantRole.AGENT])
        )
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 50)))
        if index % 5 == 0:  # order numbers and amounts: the PCI masker has work on these
            text += f" order {rng.randint(10**7, 10**8)} for ${rng.randint(1, 999)}.{rng.randint(10, 99)}"
        at = T0 + timedelta(seconds=index * 7)
        agent = role is ParticipantRole.AGENT
        items.append(
            TranscriptItem(
                id=f"m-{index:06d}",
                contact_id="c-bench",
                index=index,
                kind="message",
                role=role,
                display_name="Alex Morgan" if agent else "Dana Lee",
                text=text,
                created_at=at,
                delivered_at=at if agent else None,
                read_at=at if agent and index < count - 3 else None,
            )
        )
    return items


def merged(items: list[TranscriptItem]) -> ConversationState:
    conversation = ConversationState("c-bench", Channel.CHAT)
    conversation.merge_page(TranscriptPage(items=items, has_more=False), newest=True)
    return conversation


class FrameClock:
    """When the app hands a frame to the terminal (`App._display`, called with the compositor's update once
    the visible lines are rendered; a headless run writes it nowhere, a real terminal adds its write)."""

    def __init__(self, app: App[Any]) -> None:
        self._waiting: list[tuple[asyncio.Future[float], object]] = []
        self._callbacks: list[Callable[[], None]] = []
        original = app._display

        def display(screen: Screen[Any], renderable: RenderableType | None) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            for future, _ in self._waiting:
                if not future.done():
                    future.set_result(now)
            self._waiting.clear()
            callbacks, self._callbacks = self._callbacks, []
            for callback in callbacks:
                callback()

        app._display = display  # type: ignore[method-assign]  # each frame told, once drawn

    def next_frame(self) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((future, None))
        return future

    def on_next_frame(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)


async def _open_and_scroll() -> list[dict[str, Any]]:
    from textual import events
    from textual.app import App, ComposeResult

    from agent_desktop.ui.shared.transcript_view import TranscriptView

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield TranscriptView(id="transcript")

    items = long_transcript()
    merges = []
    for _ in range(10):
        began = time.perf_counter()
        merged(items)
        merges.append((time.perf_counter() - began) * 1000)
    figures = [timing("transcript_merge_5000", merges, target=100.0, unit="ms", digits=1)]

    opens, keys = [], []
    app = Bench()
    gc.collect()
    gc.freeze()  # what the process made so far, out of the collector's walks, as the desk freezes its start-up
    async with app.run_test(size=SIZE) as pilot:
        frames = FrameClock(app)
        view = app.query_one(TranscriptView)
        view.focus()
        for _ in range(15):
            view.show(None)
            await pilot.pause()
            fresh = merged(items)  # a conversation the view has not laid out yet
            frame = frames.next_frame()
            began = time.perf_counter()
            view.show(fresh)
            opens.append((await asyncio.wait_for(frame, 5) - began) * 1000)
            await pilot.pause()
        assert view.line_count() > ITEMS, view.line_count()
        gc.collect()  # the 14 conversations opened and dropped above are the benchmark's garbage, not the app's
        for n in range(300):
            key = "pageup" if n % 10 == 0 else "down" if n % 7 == 0 else "up"
            frame = frames.next_frame()
            began = time.perf_counter()
            app.post_message(events.Key(key, None))
            keys.append((await asyncio.wait_for(frame, 5) - began) * 1000)
            await asyncio.sleep(0.03)  # a fast typist's repeat rate: frames do not merge
    gc.unfreeze()
    figures.append(timing("transcript_open_5000", opens, target=100.0, unit="ms", digits=1))
    figures.append(timing("transcript_scroll_key_to_frame", keys, target=50.0, unit="ms", digits=1))
    return figures


# --- a customer's message reaching the screen --------------------------------------------------


def serve(data_dir: str, ports: str, which: str = "ccaas,crm,presence") -> None:
    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.ccaas.settings import MockSettings
    from agent_desktop_mocks.common.runner import run_servers
    from agent_desktop_mocks.crm.app import create_app as create_crm
    from agent_desktop_mocks.presence.app import create_app as create_presence

    settings = MockSettings(
        data_dir=Path(data_dir), seed=7, customers=60, experts=20, simulator=False, speed=50, fresh=True
    )
    ccaas, crm, presence = (int(p) for p in ports.split(","))
    makers = {"ccaas": (create_ccaas, ccaas), "crm": (create_crm, crm), "presence": (create_presence, presence)}
    run_servers([(makers[name][0](settings), makers[name][1]) for name in which.split(",")])


async def _message_to_visible(urls: list[str], folder: Path, seconds: int = 40, storm: bool = False) -> dict[str, Any]:
    from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
    from agent_desktop.ui.shared.transcript_view import TranscriptView
    from tests.support.scenes.pilot_steps import agent_screen, back_to_contacts, wait_until

    # The desktop's outbox and drafts in the benchmark's folder, never the user's.
    ccaas_url, crm_url, presence_url = urls
    app = desk_app(
        build_backends(demo_settings(ccaas_url, crm_url, presence_url, outbox_path=folder / "desktop" / "outbox.db"))
    )
    latencies: list[float] = []
    stream: list[float] = []  # created → parsed by the desktop
    desktop: list[float] = []  # parsed → frame
    async with app.run_test(size=SIZE) as pilot:
        screen = agent_screen(pilot)
        desk = screen.desk
        await wait_until(pilot, lambda: bool(desk.queues) and desk.agent is not None, "the desk's first state", 60)
        await pilot.press("v")
        chats = []
        for n, subject in enumerate(("Charged twice this month", "Refund request", "Update my payment method")):
            httpx.post(
                f"{urls[0]}/v1/contacts",
                headers=SUPERVISOR,
                timeout=5,
                json={
                    "queue_id": "billing",
                    "channel": "chat",
                    "from_address": f"bench{n}@example.com",
                    "subject": subject,
                },
            ).raise_for_status()
            await wait_until(pilot, lambda: desk.offer is not None, f"chat {n} offered", 60)
            await pilot.press("a")

            def accepted(n: int = n) -> bool:
                return len(desk.conversations) > n

            await wait_until(pilot, accepted, f"chat {n} accepted", 60)
            await back_to_contacts(pilot)  # accepting put the agent in the chat's composer, where `a` is typed
            chats.append(next(cid for cid in desk.conversations if cid not in chats))
        selected = present(desk.selected_id)
        frames = FrameClock(app)
        view = screen.query_one(TranscriptView)
        seen = {item.id for item in desk.conversations[selected].items}
        original_show = view.show

        def show(conversation: ConversationState | None) -> None:
            original_show(conversation)
            if conversation is None or conversation.contact_id != selected:
                return
            new = [i for i in conversation.items if i.id not in seen]
            seen.update(i.id for i in new)
            customer = [i for i in new if i.role is ParticipantRole.CUSTOMER]
            if customer:

                def drawn() -> None:
                    now = time.time()
                    for i in customer:
                        latencies.append((now - i.created_at.timestamp()) * 1000)
                        if i.id in parsed_at:
                            stream.append((parsed_at[i.id] - i.created_at.timestamp()) * 1000)
                            desktop.append((now - parsed_at[i.id]) * 1000)

                frames.on_next_frame(drawn)

        view.show = show  # type: ignore[method-assign]
        # Where the time goes: created → parsed off the stream (the server, the socket, the SSE parser)
        # and parsed → frame (the desk, the redraw, the frame).
        parsed_at: dict[str, float] = {}
        original_receive = screen.controller.receive

        def receive(item: object, kind: str = "contact_center") -> None:
            if isinstance(item, MessageEvent) and item.contact_id == selected:
                parsed_at[item.item.id] = time.time()
            original_receive(item, kind)

        screen.controller.receive = receive  # type: ignore[method-assign]
        stop = threading.Event()

        def agents_write() -> None:
            # The agent's side, through the API: each chat's customer answers it (a message a second per chat).
            with httpx.Client(base_url=urls[0], headers=AGENT, timeout=5) as client:
                while not stop.is_set():
                    began = time.monotonic()
                    for contact_id in chats:
                        client.post(
                            f"/v1/contacts/{contact_id}/messages", json={"text": "Sorry, could you say that again?"}
                        )
                    stop.wait(max(0.0, 1.0 - (time.monotonic() - began)))

        churn = None
        if storm:
            experts = [e.id for e in screen.query_one("#experts", ExpertsPanel).experts()]
            # Another process (multiprocessing cannot start one from inside a headless Textual app here).
            churn = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import json, sys; from benchmarks.bench_presence import churn_presence; "
                    "churn_presence(*json.loads(sys.argv[1]))",
                    json.dumps([urls[2], experts, PRESENCE_CHANGES_PER_S, time.time() + seconds + 3]),
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            await asyncio.sleep(2.0)  # the storm is under way before the first message
        writer = threading.Thread(target=agents_write, daemon=True)
        writer.start()
        await pilot.pause(seconds)
        stop.set()
        writer.join(timeout=5)
        if churn is not None:
            churn.wait(timeout=10)
    name = "customer_message_to_visible" + (f"_{PRESENCE_CHANGES_PER_S}_presence_changes_per_s" if storm else "")
    return {
        **timing(name, latencies, target=50.0, unit="ms", digits=1),
        "target": {"p50": 20.0, "p99": 50.0},
        "chats": 3,
        "over_50ms": sum(1 for latency in latencies if latency > 50),
        "max": round(max(latencies), 1),
        "stream_share_ms": {"p50": round(statistics.median(stream), 1), "p99": round(percentile(stream, 0.99), 1)},
        "desktop_share_ms": {"p50": round(statistics.median(desktop), 1), "p99": round(percentile(desktop, 0.99), 1)},
    }


async def _memory_with_three() -> None:
    """In a fresh process: three 5,000-item conversations on the desk, one drawn; prints the peak RSS (MB)."""
    from textual.app import App, ComposeResult

    from agent_desktop.ui.shared.transcript_view import TranscriptView

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield TranscriptView(id="transcript")

    conversations = []
    for n in range(3):
        items = [i.model_copy(update={"id": f"m-{n}-{i.index:06d}", "contact_id": f"c-{n}"}) for i in long_transcript()]
        conversations.append(merged(items))
        del items
    app = Bench()
    async with app.run_test(size=SIZE) as pilot:
        for conversation in conversations:  # each drawn once, as the agent switches through them
            app.query_one(TranscriptView).show(conversation)
            await pilot.pause()
        gc.collect()
        print(peak_rss_mb())


def bench_memory() -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_transcript", "--memory"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    return {
        "name": "transcript_memory_three_5000",
        "unit": "MB",
        "value": round(float(result.stdout.strip().splitlines()[-1]), 1),
        "target": 100,
        "note": "peak RSS of a process with Textual, the transcript view and three 5,000-item conversations",
    }


def run() -> Iterator[dict[str, Any]]:
    yield from asyncio.run(_open_and_scroll())
    yield bench_memory()
    for storm in (False, True):  # fresh servers each time: the first run's chats stay in the agent's hands
        yield _message_to_visible_on_fresh_servers(storm)


def _message_to_visible_on_fresh_servers(storm: bool) -> dict[str, Any]:
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix="bench-transcript-") as data_dir:
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.bench_transcript",
                    "--serve",
                    data_dir,
                    ",".join(map(str, ports)),
                    which,
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            for which in ("ccaas,crm", "presence")
        ]
        try:
            wait_healthy(urls[:2], processes[0], timeout_s=60)
            wait_healthy(urls[2:], processes[1], timeout_s=60)
            return asyncio.run(_message_to_visible(urls, Path(data_dir), storm=storm))
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--memory"]:
        asyncio.run(_memory_with_three())
    else:
        for figure in run():
            print(json.dumps(figure), flush=True)
