"""A call the agent places, measured on real processes beside a bare baresip-to-baresip dial in the
same run.

- `dial_key_to_callee_ringing_ms`: the desk (Pilot, `[softphone] start = true`, the mock contact center, CRM and
  presence served in this process's threads over HTTP, as tests/e2e/voice/ serve them), the dial pad open with the
  number typed; from `enter` (the dial key) to the callee's baresip telling `CALL_INCOMING` over its `ctrl_tcp`. It
  includes the desk's E.164 check, the POST to the mock (the contact made, its relay opened), the desk's softphone
  dialling over `ctrl_tcp`, the INVITE through the mock's SIP proxy to the callee's line. The figure carries its parts,
  each from the key (`post_sent_ms`, `post_answered_ms`, `dial_sent_ms`: the desk's contact center and softphone
  clients wrapped here to note when they are called and answer, not the product).
- `dial_bare_to_callee_ringing_ms`: the reference: a bare baresip's `dial` over `ctrl_tcp` straight to the callee,
  to the callee's `CALL_INCOMING`, read the same way.

The callee's event is stamped as its `ctrl_tcp` line brings it, by a thread that waits for it from before the key (or
the bare `dial`). Until 2026-11-29 evening it was read only once Pilot's `press` had returned, and `press` waits for
the desk to be idle and its screen to have read its messages (~200 ms after a dial, the call long rung): that wait,
not the desk, was the "~250 ms before the placement" the first figures held. The key now goes to the terminal driver
as a terminal would send it, without Pilot's waits.

Every wait is bounded (WAIT_S); a softphone or a mock that dies ends the module with an error.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from benchmarks.figures import timing

if TYPE_CHECKING:
    from tests.support.baresip import CtrlLink

P = ParamSpec("P")
R = TypeVar("R")
CALLS = int(os.environ.get("BENCH_DIAL_CALLS", "10"))
WAIT_S = 30.0
NUMBER, TYPED = "+12125550100", "(212) 555-0100"


def _silence(path: Path, seconds: float) -> Path:
    command = ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


def told(link: CtrlLink, kind: str, number: int) -> None:
    """The callee's `number`th event of `kind`, within WAIT_S; if not, an error that says which and what came."""
    try:
        link.wait_events(kind, number, WAIT_S)
    except TimeoutError as error:
        came = [event.get("type") for event in link.events][-10:]
        raise RuntimeError(
            f"the callee's {kind} #{number} did not come within {WAIT_S} s; its last events: {came}"
        ) from error


def rung_at(link: CtrlLink, number: int) -> float:
    """When the callee's `number`th `CALL_INCOMING` came in (a thread blocked on its `ctrl_tcp` line from before)."""
    told(link, "CALL_INCOMING", number)
    return time.monotonic()


def bare_reference(folder: Path, source: Path, calls: int) -> list[float]:
    from tests.support.baresip import CtrlLink, running_baresip

    samples = []
    with (
        running_baresip(folder / "bare-callee", "callee", source) as callee,
        running_baresip(folder / "bare-caller", "agent", source) as caller,
    ):
        callee_link, caller_link = CtrlLink(callee.ctrl_port, WAIT_S), CtrlLink(caller.ctrl_port, WAIT_S)
        try:
            for number in range(1, calls + 1):
                with concurrent.futures.ThreadPoolExecutor(1) as reader:
                    rung = reader.submit(rung_at, callee_link, number)
                    pressed = time.monotonic()
                    caller_link.command("dial", callee.uri)
                    samples.append((rung.result(WAIT_S + 5) - pressed) * 1000)
                caller_link.command("hangup")
                told(callee_link, "CALL_CLOSED", number)
        finally:
            callee_link.close()
            caller_link.close()
    return samples


def stamped(call: Callable[P, Awaitable[R]], stamps: dict[str, float], name: str) -> Callable[P, Awaitable[R]]:
    """`call`, noting in `stamps` when it was called (`NAME_sent`) and answered (`NAME_answered`)."""

    async def noted(*args: P.args, **kwargs: P.kwargs) -> R:
        stamps[f"{name}_sent"] = time.monotonic()
        answer = await call(*args, **kwargs)
        stamps[f"{name}_answered"] = time.monotonic()
        return answer

    return noted


async def desk_calls(folder: Path, source: Path, calls: int) -> tuple[list[float], dict[str, list[float]]]:
    from textual import events

    from agent_desktop.agent_desk.voice.call_media import LinkState
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import SoftphoneConfig
    from agent_desktop.app.demo import demo_settings
    from agent_desktop.ui.agent.conversations.dial_pad import DialPad
    from tests.e2e.voice.test_call_rings_the_desk import mock_servers
    from tests.support.baresip import CtrlLink, running_baresip
    from tests.support.desk_app import desk_app
    from tests.support.narrowing import present
    from tests.support.scenes.pilot_steps import agent_screen, go_available, wait_until

    samples: list[float] = []
    parts: dict[str, list[float]] = {"post_sent_ms": [], "post_answered_ms": [], "dial_sent_ms": []}
    stamps: dict[str, float] = {}
    with (
        mock_servers(folder / "mocks") as ((ccaas, crm, presence), voice),
        running_baresip(folder / "callee", "callee", source) as callee,
    ):
        voice.lines.connect(NUMBER, callee.uri)
        link = CtrlLink(callee.ctrl_port, WAIT_S)
        settings = demo_settings(ccaas, crm, presence, outbox_path=folder / "outbox.db")
        softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{source}", audio_player="")
        backends = build_backends(settings.model_copy(update={"softphone": softphone}))
        center: Any = backends.contact_center  # (the HTTP client: its `place_call` is the Dialler's)
        phone: Any = present(backends.softphone)
        center.place_call = stamped(center.place_call, stamps, "post")
        phone.dial = stamped(phone.dial, stamps, "dial")
        try:
            async with desk_app(backends).run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)
                driver = present(pilot.app._driver)
                for number in range(1, calls + 1):
                    await pilot.press("D")
                    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DialPad), "the dial pad")
                    await wait_until(pilot, lambda: bool(getattr(pilot.app.screen, "choices", None)), "caller IDs")
                    await pilot.press(*TYPED)
                    stamps.clear()
                    rung = asyncio.ensure_future(asyncio.to_thread(rung_at, link, number))
                    await asyncio.sleep(0.05)  # the reader blocked on the callee's line before the key
                    key = events.Key("enter", "\r")
                    key.set_sender(pilot.app)
                    pressed = time.monotonic()
                    driver.send_message(key)  # as the terminal hands a key over: Pilot's press waits for idle after
                    samples.append((await asyncio.wait_for(rung, WAIT_S + 5) - pressed) * 1000)
                    await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand", timeout_s=WAIT_S)
                    for part in ("post_sent", "post_answered", "dial_sent"):
                        parts[f"{part}_ms"].append((stamps[part] - pressed) * 1000)
                    (contact_id,) = desk.held
                    await pilot.press("e")  # the contact ended: the desk hangs its leg up, the callee stops ringing
                    await asyncio.to_thread(told, link, "CALL_CLOSED", number)
                    await backends.contact_center.complete_contact(contact_id, "Resolved")
                    await wait_until(pilot, lambda: not desk.held, "the contact done", timeout_s=WAIT_S)
        finally:
            link.close()
    return samples, parts


def run() -> Iterator[dict[str, Any]]:
    if shutil.which("baresip") is None:
        raise RuntimeError("baresip is not installed: run scripts/ensure-system-packages.sh")
    with tempfile.TemporaryDirectory(prefix="bench-dial-") as temp:
        folder = Path(temp)
        (folder / "run").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(folder / "run")  # the desk's baresip folder: this run's
        source = _silence(folder / "silence.wav", 600)
        reference = bare_reference(folder, source, CALLS)
        samples, parts = asyncio.run(desk_calls(folder, source, CALLS))
    figure = timing("dial_key_to_callee_ringing_ms", samples, "report", unit="ms", digits=1)
    figure |= {f"{part}_p50": round(statistics.median(values), 1) for part, values in parts.items()}
    figure["load_avg_1m"] = round(os.getloadavg()[0], 2)
    yield figure
    yield timing("dial_bare_to_callee_ringing_ms", reference, "reference", unit="ms", digits=1)


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row), flush=True)
