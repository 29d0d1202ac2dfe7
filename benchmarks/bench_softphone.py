"""A call with sound: the desk's own softphone answering the mock contact center's caller, measured on real
processes, beside a bare baresip-to-baresip call in the same run.

- `softphone_accept_to_first_caller_audio_ms`: the desk (Pilot, `[softphone] start = true`, the mock contact center,
  CRM and presence in a process of their own, over HTTP) rings with a call from the mock's caller; from the agent's
  `a` (the key pressed) to the first RTP packet of the caller's arriving at the desk's softphone (read on the
  loopback wire: tests/support/speech.py's tap, CAP_NET_RAW). It includes the softphone's answer over `ctrl_tcp`
  (sent beside the accept's HTTP round trip to the mock, not after it), the SIP 200/ACK through the mock's proxy and
  the caller's first packet.
  Target p99 ≤ 200 ms.
- `softphone_bare_answer_to_first_audio_ms`: the reference: two baresip processes on loopback (tests/support/
  baresip.py), the callee's `accept` over `ctrl_tcp` to the caller's first RTP packet arriving at it.
- `softphone_desk_cpu_idle_pct` / `softphone_desk_cpu_call_up_pct`: the desk's process (Textual, its workers; not
  the mocks, which run in another process, nor its baresip) over a window with no call, then over one with a call up;
  `softphone_baresip_cpu_call_up_pct`: the desk's baresip over the call-up window. Target: the call adds ≤ 5 points.

Every wait is bounded (WAIT_S); a softphone or a mock that dies ends the module with an error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks.figures import timing

CALLS = int(os.environ.get("BENCH_SOFTPHONE_CALLS", "10"))
WAIT_S = 30.0
CPU_WINDOW_S = 10.0
TICKS = os.sysconf("SC_CLK_TCK")
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _silence(path: Path, seconds: float) -> Path:
    command = ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


def _cpu_s(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def _first_packet(tap: Any, after: float) -> float:
    """When the first RTP packet arrived at the tap after `after` (bounded by WAIT_S)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        arrived: list[float] = [when for when, _ in list(tap.packets) if when >= after]
        if arrived:
            return min(arrived)
        await asyncio.sleep(0.002)
    raise RuntimeError(f"no audio arrived within {WAIT_S:g} s of the answer")


# --- the reference: two bare baresip processes ---------------------------------------------------------------------


def bare_reference(folder: Path, calls: int) -> list[float]:
    from tests.support.baresip import CtrlLink, running_baresip
    from tests.support.speech import LoopbackRtpTap

    source = _silence(folder / "silence.wav", 600)
    samples = []
    with (
        running_baresip(folder / "callee", "agent", source) as callee,
        running_baresip(folder / "caller", "15125550100", source) as caller,
        LoopbackRtpTap(callee.rtp_port) as tap,
    ):
        callee_link, caller_link = CtrlLink(callee.ctrl_port, WAIT_S), CtrlLink(caller.ctrl_port, WAIT_S)
        try:
            for number in range(1, calls + 1):
                caller_link.command("dial", callee.uri)
                callee_link.wait_events("CALL_INCOMING", number, WAIT_S)
                answered = time.monotonic()
                callee_link.command("accept")
                samples.append((asyncio.run(_first_packet(tap, answered)) - answered) * 1000)
                caller_link.command("hangup")
                callee_link.wait_events("CALL_CLOSED", number, WAIT_S)
                caller_link.wait_events("CALL_CLOSED", number, WAIT_S)
        finally:
            callee_link.close()
            caller_link.close()
    return samples


# --- the desk: its own baresip, rung by the mock contact center -------------------------------------------------------


@contextmanager
def mock_process(folder: Path) -> Iterator[tuple[str, str, str]]:
    """The mock contact center, CRM and presence in a process of their own (its CPU is not the desk's)."""
    ports = [_free_port() for _ in range(3)]
    command = [
        sys.executable,
        "-m",
        "agent_desktop_mocks",
        "--ccaas-port",
        str(ports[0]),
        "--crm-port",
        str(ports[1]),
        "--presence-port",
        str(ports[2]),
        "--data-dir",
        str(folder),
        "--fresh",
        "--no-simulator",
        "--no-call-transcripts",
        "--customers",
        "60",
        "--offer-timeout",
        "120",
    ]
    with (folder.parent / "mocks.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
    try:
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the mocks did not start: {(folder.parent / 'mocks.log').read_text()[-800:]}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
        yield urls[0], urls[1], urls[2]
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=15)


async def desk_calls(folder: Path, urls: tuple[str, str, str], calls: int) -> tuple[list[float], dict[str, float]]:
    from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
    from agent_desktop.agent_desk.voice.call_media import LinkState, MediaState
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import SoftphoneConfig
    from agent_desktop.app.demo import demo_settings
    from agent_desktop.domain.vocabulary import AgentState
    from tests.e2e.voice.test_call_rings_the_desk import agent_rtp_port
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import agent_screen, go_available, wait_until
    from tests.support.speech import LoopbackRtpTap

    ccaas, crm, presence = urls
    microphone = _silence(folder / "agent-mic.wav", 900)
    settings = demo_settings(ccaas, crm, presence, outbox_path=folder / "outbox.db")
    softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{microphone}", audio_player="")
    backends = build_backends(settings.model_copy(update={"softphone": softphone}))
    phone = backends.softphone
    assert isinstance(phone, BaresipSoftphone)
    samples: list[float] = []
    cpu: dict[str, float] = {}
    async with desk_app(backends).run_test(size=(120, 40)) as pilot:
        desk = agent_screen(pilot).desk
        await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
        await go_available(pilot)
        started, wall = _cpu_s(os.getpid()), time.monotonic()
        await asyncio.sleep(CPU_WINDOW_S)  # nothing on the desk: its clock, its streams
        cpu["idle"] = (_cpu_s(os.getpid()) - started) / (time.monotonic() - wall) * 100
        async with httpx.AsyncClient(base_url=ccaas, headers=SUPERVISOR, timeout=10) as boss:
            for number in range(calls):
                body = {"queue_id": "billing", "channel": "voice", "from_address": "(212) 555-0100"}
                contact_id = (await boss.post("/v1/contacts", json=body)).json()["id"]

                def ringing(contact_id: str = contact_id) -> bool:
                    media = desk.softphone.media(contact_id)
                    return media is not None and media.state is MediaState.RINGING

                await wait_until(pilot, ringing, "the call to ring the desk's softphone", timeout_s=WAIT_S)
                with LoopbackRtpTap(agent_rtp_port(phone)) as tap:
                    pressed = time.monotonic()
                    await pilot.press("a")
                    samples.append((await _first_packet(tap, pressed) - pressed) * 1000)
                if number == 0:  # the desk's CPU with the call up (the caller speaking its script)
                    assert phone.launcher is not None
                    assert phone.launcher.process is not None
                    baresip_pid = phone.launcher.process.pid
                    started, phone_started, wall = _cpu_s(os.getpid()), _cpu_s(baresip_pid), time.monotonic()
                    await asyncio.sleep(CPU_WINDOW_S)
                    took = time.monotonic() - wall
                    cpu["call_up"] = (_cpu_s(os.getpid()) - started) / took * 100
                    cpu["baresip"] = (_cpu_s(baresip_pid) - phone_started) / took * 100
                center = backends.contact_center
                await center.end_contact(contact_id)
                await center.complete_contact(contact_id, "Resolved")
                await wait_until(pilot, lambda: not desk.held, "the contact done", timeout_s=WAIT_S)
                await center.set_state(AgentState.AVAILABLE)
    return samples, cpu


def run() -> Iterator[dict[str, Any]]:
    if shutil.which("baresip") is None:
        raise RuntimeError("baresip is not installed: run scripts/ensure-system-packages.sh")
    with tempfile.TemporaryDirectory(prefix="bench-softphone-") as temp:
        folder = Path(temp)
        (folder / "run").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(folder / "run")  # the desk's baresip folder: this run's
        reference = bare_reference(folder, CALLS)
        with mock_process(folder / "mocks") as urls:
            samples, cpu = asyncio.run(desk_calls(folder, urls, CALLS))
    yield timing("softphone_accept_to_first_caller_audio_ms", samples, "p99 ≤ 200", unit="ms", digits=1)
    yield timing("softphone_bare_answer_to_first_audio_ms", reference, "reference", unit="ms", digits=1)
    yield {"name": "softphone_desk_cpu_idle_pct", "unit": "%", "value": round(cpu["idle"], 1), "target": "reference"}
    yield {
        "name": "softphone_desk_cpu_call_up_pct",
        "unit": "%",
        "value": round(cpu["call_up"], 1),
        "target": f"≤ idle + 5 ({cpu['idle'] + 5:.1f})",
    }
    yield {
        "name": "softphone_baresip_cpu_call_up_pct",
        "unit": "%",
        "value": round(cpu["baresip"], 1),
        "target": "report",
    }
