"""A call's live transcript: a transcription line (interim or final) from the moment the contact center publishes it
to the frame that shows it on the agent's desk, over the real mock servers, beside a bare Textual app on the same
kind of stream in the same run; then both again with every core kept busy.

The mock servers run in a process of their own, as bench_transcript's do (the contact center, the CRM and presence;
no simulator), the mock's call speaker giving the call a long script (`BENCH_CALL_LINES` lines, the caller's and the
agent's in turn; each line heard as interim words every three words, then final) at `BENCH_CALL_SPEED` times the pace
of speech (an interim every 1.2 s at 1; the pace only spaces the lines, each is timed alone). Fresh servers for each
phase, so each starts from the same floor.

- `call_transcription_line_to_screen`: the agent's desk at 120×40 (the real HTTP clients on the agent's SSE stream),
  available (`v`), the call offered and accepted (`a`); its transcript in the experts' place. From the line version's
  `at` (the mock's wall clock read as it builds the event, just before it publishes it to the agent's stream: the
  boundary is the contact center's publish, in another process on the same machine) to the frame in which the call's
  transcript view holds that version (FrameClock). The first `WARM_UP_LINES` lines are the warm-up. Target p99 ≤ 100
  ms. `stream_share_ms`: `at` → the desk's stream reader handing the parsed event to the desk (the server, loopback,
  SSE and the parse); `desk_share_ms`: from there to the frame (the model, VADER on the caller's final lines, the
  redraw and the paint). `desk_cpu_pct`: the desk process's CPU over the measured lines, % of one core (at the
  benchmark's pace, not speech's); `desk_idle_cpu_pct`: the same over `IDLE_S` after the script, the call connected
  and silent; `desk_cpu_ms_per_version`: the difference, per version of a line (what a line costs the desk, whatever
  the pace: at speech's, a version every 1.2 s).
- `call_transcription_line_to_screen_reference`: a bare Textual app at 120×40 on the same servers' agent stream, read
  with the desk's own HTTP client (the same SSE parse into the same events); it takes the call through the API and
  paints each line in a `Static`. Same boundary, same frame clock. `call_transcription_p99_over_reference_p99`: the
  desk's share of the p99 beyond what any app on this machine gets.
- The same two with `_loaded` (`BENCH_CALL_LOADED=1`, the default): every core kept busy by a spinning process at this
  priority (tests/support/cpu_load.py; the servers compete too). No target is set on the ratios.

`python -m benchmarks.bench_call_transcription --serve DATA_DIR PORTS SPEED LINES` runs the servers (the benchmark
starts them so).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from textual import work
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings, free_port, wait_healthy
from agent_desktop.domain.models import AgentState
from agent_desktop.domain.models.transcription import TranscriptionEvent, TranscriptionLine
from agent_desktop.domain.protocols import ContactCenter
from agent_desktop_mocks.ccaas.tables.call_scripts import CallScripts
from benchmarks.bench_transcript import FrameClock
from benchmarks.figures import percentile, timing
from tests.support.cpu_load import cores, cpu_load

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
LINES = int(os.environ.get("BENCH_CALL_LINES", "60"))
SPEED = float(os.environ.get("BENCH_CALL_SPEED", "5"))
UNDER_LOAD = os.environ.get("BENCH_CALL_LOADED", "1") != "0"
WARM_UP_LINES = 10
IDLE_S = 5.0  # after the script, the call silent: what the process spends without lines
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
WORDS = (
    "I was charged twice on my bill this month and I would like the second payment refunded to my card "
    "today please because it is not the first time this has happened to me"
).split()
Key = tuple[str, str]  # (line id, text): one version of a line


def script_lines(count: int) -> list[list[str]]:
    """The call's script: twelve words a line, the agent's and the caller's in turn."""
    return [
        ["customer" if n % 2 else "agent", " ".join(WORDS[(n * 5) % 20 : (n * 5) % 20 + 12]) + "."]
        for n in range(count)
    ]


def call_scripts(count: int) -> CallScripts:
    """The mock's call scripts for the benchmark: one, the script of `count` lines, said on every call."""
    return CallScripts.model_validate(
        {
            "script": [
                {
                    "intent": "bench",
                    "queue": "billing",
                    "subject": "Charged twice this month",
                    "lines": script_lines(count),
                }
            ]
        }
    )


def serve(data_dir: str, ports: str, speed: str, lines: str) -> None:
    """The three servers in this process, the call speaker saying the benchmark's script on every call."""
    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.ccaas.settings import MockSettings
    from agent_desktop_mocks.common.runner import run_servers
    from agent_desktop_mocks.crm.app import create_app as create_crm
    from agent_desktop_mocks.presence.app import create_app as create_presence

    settings = MockSettings(
        data_dir=Path(data_dir),
        seed=7,
        customers=60,
        experts=20,
        simulator=False,
        speed=float(speed),
        fresh=True,
        call_transcripts=True,
    )
    ccaas = create_ccaas(settings)
    ccaas.state.call_speaker.scripts = call_scripts(int(lines))
    ccaas_port, crm_port, presence_port = (int(p) for p in ports.split(","))
    run_servers([(ccaas, ccaas_port), (create_crm(settings), crm_port), (create_presence(settings), presence_port)])


class Lines:
    """What one phase saw: when each version of a line was published, parsed and painted (time.time(): the mock's
    clock is this machine's wall clock, in another process)."""

    def __init__(self) -> None:
        self.published: dict[Key, float] = {}
        self.parsed: dict[Key, float] = {}
        self.painted: dict[Key, float] = {}
        self.finals: set[str] = set()
        self.cpu: tuple[float, float] | None = None  # process time and wall time over the measured lines
        self.idle_cpu: tuple[float, float] | None = None  # the same after the script, the call silent

    def heard(self, line: TranscriptionLine) -> None:
        key = (line.id, line.text)
        self.published.setdefault(key, line.at.timestamp())
        self.parsed.setdefault(key, time.time())
        if line.final:
            self.finals.add(line.id)

    def drawn(self, keys: list[Key]) -> None:
        now = time.time()
        for key in keys:
            self.painted.setdefault(key, now)

    def measured(self) -> list[Key]:
        """The versions painted after the warm-up."""
        warm = {f"{contact}:{index}" for contact in self._contacts() for index in range(WARM_UP_LINES)}
        return [key for key in self.painted if key[0] not in warm and key in self.published]

    def _contacts(self) -> set[str]:
        return {line_id.rsplit(":", 1)[0] for line_id, _ in self.published}

    def done(self) -> bool:
        return len(self.finals) >= LINES

    def figures(self) -> dict[str, Any]:
        keys = self.measured()
        return {
            "samples": [(self.painted[k] - self.published[k]) * 1000 for k in keys],
            "stream": [(self.parsed[k] - self.published[k]) * 1000 for k in keys if k in self.parsed],
            "desk": [(self.painted[k] - self.parsed[k]) * 1000 for k in keys if k in self.parsed],
            "not_drawn": len([k for k in self.published if k not in self.painted]),
            "cpu_pct": _share(self.cpu),
            "idle_cpu_pct": _share(self.idle_cpu),
            "cpu_ms_per_version": self._cpu_per_version(),
        }

    def _cpu_per_version(self) -> float | None:
        """The process's CPU over the measured lines less what it spends on a silent call in as long, per version
        of a line published meanwhile."""
        if not self.cpu or not self.idle_cpu or not self.idle_cpu[1]:
            return None
        versions = len(self.measured())
        spent = self.cpu[0] - self.idle_cpu[0] / self.idle_cpu[1] * self.cpu[1]
        return spent / versions * 1000 if versions else None


def _share(cpu: tuple[float, float] | None) -> float | None:
    """CPU over wall time, % of one core."""
    return round(cpu[0] / cpu[1] * 100, 1) if cpu and cpu[1] else None


def _phase_s() -> float:
    """How long the speaker needs for the script at its speed, twice over and a margin: what bounds a phase."""
    per_line = 12 / 2.5 + 1.2 + 1.5  # words at 2.5 a second, a pause, the first line's wait
    return 2 * LINES * per_line / SPEED + 60


async def _until(condition: Callable[[], bool], what: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout_s:g} s waiting for {what}")
        await asyncio.sleep(0.02)


async def _measured(lines: Lines) -> None:
    """Until the script is said: the process's CPU over the lines after the warm-up."""
    await _until(lambda: len(lines.finals) >= WARM_UP_LINES, "the warm-up's lines", _phase_s())
    cpu, wall = time.process_time(), time.perf_counter()
    await _until(lines.done, "the script's last line", _phase_s())
    lines.cpu = (time.process_time() - cpu, time.perf_counter() - wall)
    await asyncio.sleep(0.5)  # the last version's frame
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(IDLE_S)  # the call still connected, its script said: nothing heard
    lines.idle_cpu = (time.process_time() - cpu, time.perf_counter() - wall)


def _place_call(ccaas_url: str) -> None:
    httpx.post(
        f"{ccaas_url}/v1/contacts",
        headers=SUPERVISOR,
        timeout=5,
        json={
            "queue_id": "billing",
            "channel": "voice",
            "from_address": "+15550100123",
            "attached": {"intent": "bench"},
        },
    ).raise_for_status()


async def _desk(urls: list[str], folder: Path) -> Lines:
    from agent_desktop.ui.agent.conversations.desk_call import DeskCall
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import agent_screen, wait_until

    ccaas_url, crm_url, presence_url = urls
    app = desk_app(build_backends(demo_settings(ccaas_url, crm_url, presence_url, outbox_path=folder / "outbox.db")))
    lines = Lines()
    async with app.run_test(size=SIZE) as pilot:
        screen = agent_screen(pilot)
        desk = screen.desk
        await wait_until(pilot, lambda: bool(desk.queues) and desk.agent is not None, "the desk's first state", 60)
        await pilot.press("v")
        await wait_until(
            pilot, lambda: desk.agent is not None and desk.agent.state is AgentState.AVAILABLE, "available"
        )
        original_receive = screen.controller.receive

        def receive(item: object, kind: str = "contact_center") -> None:
            if isinstance(item, TranscriptionEvent):
                lines.heard(item.line)
            original_receive(item, kind)

        screen.controller.receive = receive  # type: ignore[method-assign]
        frames = FrameClock(app)
        # The call area mounts its parts with the first contact selected (not at start): asked for its view, it
        # mounts them now, so the view is wrapped before the call's first line can be drawn.
        view = screen.query_one(DeskCall).transcript
        original_show = view.show

        def show(transcript: Any, customer: str | None = None) -> None:
            original_show(transcript, customer)
            if transcript is None:
                return
            due = [(line.id, line.text) for line in transcript.lines if (line.id, line.text) not in lines.painted]
            if due:
                frames.on_next_frame(lambda: lines.drawn(due))

        view.show = show  # type: ignore[method-assign]
        _place_call(ccaas_url)
        await wait_until(pilot, lambda: desk.offer is not None, "the call offered", 60)
        await pilot.press("a")
        await wait_until(pilot, lambda: bool(desk.held), "the call in hand", 60)
        await _measured(lines)
    return lines


class Bare(App[None]):
    """A bare Textual app on the agent's stream (the desk's own HTTP client): it takes the call through the API and
    paints each line heard in a Static."""

    def __init__(self, contact_center: ContactCenter, lines: Lines) -> None:
        super().__init__()
        self.contact_center = contact_center
        self.lines = lines
        self.frames: FrameClock | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="line")

    def on_mount(self) -> None:
        self.frames = FrameClock(self)
        self.follow()

    @work(exclusive=True)
    async def follow(self) -> None:
        line = self.query_one("#line", Static)
        async for item in self.contact_center.events():
            if isinstance(item, TranscriptionEvent):
                said = item.line
                self.lines.heard(said)
                line.update(Content(f"{said.display_name}  {said.text}"))
                key = (said.id, said.text)
                assert self.frames is not None
                self.frames.on_next_frame(lambda key=key: self.lines.drawn([key]))  # type: ignore[misc]


async def _reference(urls: list[str], folder: Path) -> Lines:
    ccaas_url, crm_url, presence_url = urls
    backends = build_backends(demo_settings(ccaas_url, crm_url, presence_url, outbox_path=folder / "outbox.db"))
    contact_center = backends.contact_center
    lines = Lines()
    try:
        app = Bare(contact_center, lines)
        async with app.run_test(size=SIZE):
            await contact_center.set_state(AgentState.AVAILABLE)
            _place_call(ccaas_url)
            deadline = time.monotonic() + 60
            while not (offers := await contact_center.list_offers()):
                if time.monotonic() > deadline:
                    raise RuntimeError("timed out waiting for the call's offer")
                await asyncio.sleep(0.05)
            await contact_center.accept_offer(offers[0].id)
            await _measured(lines)
    finally:
        await backends.aclose()
    return lines


async def _watched(phase: Awaitable[Lines], servers: subprocess.Popen[bytes]) -> Lines:
    """The phase, ended with an error as soon as the servers' process has."""
    task = asyncio.ensure_future(phase)
    while not task.done():
        if servers.poll() is not None:
            task.cancel()
            raise RuntimeError(f"the mock servers ended (exit code {servers.returncode})")
        await asyncio.wait({task}, timeout=0.5)
    return task.result()


def _on_fresh_servers(phase: Callable[[list[str], Path], Awaitable[Lines]]) -> Lines:
    """One phase on servers of its own, started and stopped here; every wait bounded."""
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    with tempfile.TemporaryDirectory(prefix="bench-call-") as data_dir:
        command = [
            sys.executable,
            "-m",
            "benchmarks.bench_call_transcription",
            "--serve",
            data_dir,
            ",".join(map(str, ports)),
            str(SPEED),
            str(LINES),
        ]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            wait_healthy(urls, process, timeout_s=60)
            return asyncio.run(asyncio.wait_for(_watched(phase(urls, Path(data_dir)), process), 2 * _phase_s() + 120))
        finally:
            process.terminate()
            process.wait(timeout=30)


def run() -> Iterator[dict[str, Any]]:
    quiet = _on_fresh_servers(_desk), _on_fresh_servers(_reference), os.getloadavg()
    yield from _figures(*quiet, "")
    if UNDER_LOAD:
        with cpu_load(seconds=4 * _phase_s() + 600):
            loaded = _on_fresh_servers(_desk), _on_fresh_servers(_reference), os.getloadavg()
        yield from _figures(*loaded, "_loaded")


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 1), "p99": round(percentile(values, 0.99), 1)} if values else {}


def _figures(desk: Lines, reference: Lines, load: tuple[float, float, float], suffix: str) -> Iterator[dict[str, Any]]:
    ours, bare = desk.figures(), reference.figures()
    if not ours["samples"] or not bare["samples"]:
        raise RuntimeError(f"no line measured (desk {len(ours['samples'])}, reference {len(bare['samples'])})")
    conditions = {
        "speed": SPEED,
        "script_lines": LINES,
        "warm_up_lines": WARM_UP_LINES,
        "load_procs": cores() if suffix else 0,
        "cores": os.cpu_count(),
        "load_avg": [round(x, 2) for x in load],
    }
    row = timing(f"call_transcription_line_to_screen_reference{suffix}", bare["samples"], "none", "ms", 1)
    row.update(
        target="none (a bare app on the same stream)",
        not_drawn=bare["not_drawn"],
        stream_share_ms=_ms(bare["stream"]),
        app_share_ms=_ms(bare["desk"]),
        cpu_pct=bare["cpu_pct"],
        idle_cpu_pct=bare["idle_cpu_pct"],
        cpu_ms_per_version=_round(bare["cpu_ms_per_version"]),
        **conditions,
    )
    yield row
    figure = timing(f"call_transcription_line_to_screen{suffix}", ours["samples"], 100.0, "ms", 1)
    figure.update(
        not_drawn=ours["not_drawn"],
        stream_share_ms=_ms(ours["stream"]),
        desk_share_ms=_ms(ours["desk"]),
        desk_cpu_pct=ours["cpu_pct"],
        desk_idle_cpu_pct=ours["idle_cpu_pct"],
        desk_cpu_ms_per_version=_round(ours["cpu_ms_per_version"]),
        **conditions,
    )
    yield figure
    yield {
        "name": f"call_transcription_p99_over_reference_p99{suffix}",
        "unit": "ratio",
        "value": round(figure["p99"] / row["p99"], 2) if row["p99"] else None,
        "p50_ratio": round(figure["p50"] / row["p50"], 2) if row["p50"] else None,
        "target": "none (how much of the p99 is the desk's, not the machine's)",
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(*sys.argv[2:6])
    else:
        import json

        for result in run():
            print(json.dumps(result))
