"""The mock contact center's SIP side under load: SIPp (Debian `sip-tester`) placing 50 calls at once
through the mock's SIP proxy, beside the same calls placed straight at the callee in the same run.

Two SIPp processes on loopback, their built-in scenarios: a callee (`uas`: 180, 200, waits for the ACK and the BYE)
and a caller (`uac`: INVITE, ACK, the call held `HOLD_MS`, BYE), `CALLS` calls at `RATE` a second, at most `CALLS` at
once, so all of them are up together. Through the mock: the caller sends every request to the mock's `SipProxy`
(agent_desktop_mocks/ccaas/voice/sip_proxy.py, the class the mock serves, run here on this process's event loop),
which names the call's contact on its INVITE (`X-Agent-Desktop-Contact`), record-routes it and forwards it to the
callee; the answers come back through it. The reference: the same caller straight at the callee.

- `sipp_calls_lost` (value): calls placed less calls SIPp counted successful, through the mock. Target 0.
- `sipp_invite_to_200_through_mock_ms` / `sipp_invite_to_200_bare_ms`: each call's INVITE to its 200 at the caller
  (SIPp's response time, `-trace_rtt`), p50 / p99, through the mock and straight. Target: p99 ≤ 3× the bare p99 +
  20 ms (a stateless hop on the event loop).

Every wait is bounded (SIPp's own `-timeout`, and WAIT_S on each process); a SIPp that fails ends the module with an
error naming its output.
"""

from __future__ import annotations

import asyncio
import csv
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent_desktop_mocks.ccaas.voice.sip_proxy import SipProxy
from agent_desktop_mocks.common.ports import free_port_pair
from benchmarks.figures import timing

CALLS = int(os.environ.get("BENCH_SIPP_CALLS", "50"))
RATE = 100  # calls a second: all of them placed within half a second
HOLD_MS = 3000  # each call held this long: every call is up at once
WAIT_S = 60.0
HOST = "127.0.0.1"


async def _sipp(folder: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        "sipp",
        *args,
        cwd=folder,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,
    )


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


def _results(folder: Path) -> tuple[int, int, list[float]]:
    """Successful and failed calls (SIPp's final statistics) and each call's INVITE-to-200 in ms (its RTT file)."""
    stats = next(folder.glob("*_.csv"), None) or next(folder.glob("*.csv"))
    rows = list(csv.DictReader(stats.open(), delimiter=";"))
    last = rows[-1]
    rtts = []
    for path in folder.glob("*_rtt.csv"):
        for row in csv.reader(path.open(), delimiter=";"):
            if len(row) >= 2 and row[1].replace(".", "", 1).isdigit():
                rtts.append(float(row[1]))
    return int(last["SuccessfulCall(C)"]), int(last["FailedCall(C)"]), rtts


async def _calls(folder: Path, proxy_port: int | None) -> tuple[int, int, list[float]]:
    """`CALLS` calls from a SIPp caller to a SIPp callee, through the proxy at `proxy_port` (None: straight)."""
    folder.mkdir(parents=True)
    callee_port, caller_port = free_port_pair(), free_port_pair()
    callee = await _sipp(folder, "-sn", "uas", "-i", HOST, "-p", str(callee_port), "-timeout", f"{WAIT_S:.0f}")
    try:
        via = ["-rsa", f"{HOST}:{proxy_port}"] if proxy_port else []
        caller = await _sipp(
            folder,
            "-sn", "uac", f"{HOST}:{callee_port}", *via,
            "-i", HOST, "-p", str(caller_port),
            "-m", str(CALLS), "-l", str(CALLS), "-r", str(RATE), "-d", str(HOLD_MS),
            "-trace_stat", "-stf", "stats_.csv", "-trace_rtt", "-rtt_freq", "1",
            "-timeout", f"{WAIT_S:.0f}", "-timeout_error", "-recv_timeout", "10000",
        )  # fmt: skip
        try:
            await asyncio.wait_for(caller.wait(), WAIT_S + 10)
        finally:
            await _stop(caller)
    finally:
        await _stop(callee)
    return _results(folder)


async def _measure(folder: Path) -> dict[str, tuple[int, int, list[float]]]:
    proxy = SipProxy(lambda _port: "c-bench")  # every call names a contact: the header and the Record-Route added
    await proxy.start()
    try:
        bare = await _calls(folder / "bare", None)
        through = await _calls(folder / "mock", proxy.port)
    finally:
        proxy.close()
    return {"bare": bare, "mock": through}


def run() -> Iterator[dict[str, Any]]:
    if shutil.which("sipp") is None:
        raise RuntimeError("SIPp is not installed: run scripts/ensure-system-packages.sh (Debian sip-tester)")
    with tempfile.TemporaryDirectory(prefix="bench-sipp-") as scratch:
        results = asyncio.run(_measure(Path(scratch)))
    (ok, failed, through), (_, _, bare) = results["mock"], results["bare"]
    if not through or not bare:
        raise RuntimeError(
            f"SIPp measured no calls: through the mock {results['mock'][:2]}, bare {results['bare'][:2]}"
        )
    yield {"name": "sipp_calls_lost", "unit": "calls", "value": CALLS - ok, "failed": failed, "target": 0}
    bare_figure = timing("sipp_invite_to_200_bare_ms", bare, "reference", unit="ms", digits=1)
    yield bare_figure
    yield timing(
        "sipp_invite_to_200_through_mock_ms",
        through,
        round(3 * bare_figure["p99"] + 20, 1),
        unit="ms",
        digits=1,
    )
