"""A call the agent places, measured on real processes beside a bare baresip-to-baresip dial in the
same run.

- `dial_key_to_callee_ringing_ms`: the desk (Pilot, `[softphone] start = true`, the mock contact center, CRM and
  presence served in this process's threads over HTTP, as tests/e2e/voice/ serve them), the dial pad open with the
  number typed; from `enter` (the dial key) to the callee's baresip telling `CALL_INCOMING` over its `ctrl_tcp`. It
  includes the desk's E.164 check, the POST to the mock (the contact made, its relay opened), the desk's softphone
  dialling over `ctrl_tcp`, the INVITE through the mock's SIP proxy to the callee's line.
- `dial_bare_to_callee_ringing_ms`: the reference: a bare baresip's `dial` over `ctrl_tcp` straight to the callee,
  to the callee's `CALL_INCOMING`, read the same way.

Every wait is bounded (WAIT_S); a softphone or a mock that dies ends the module with an error.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.figures import timing

CALLS = int(os.environ.get("BENCH_DIAL_CALLS", "10"))
WAIT_S = 30.0
NUMBER, TYPED = "+12125550100", "(212) 555-0100"


def _silence(path: Path, seconds: float) -> Path:
    command = ["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)]
    subprocess.run(command, check=True, timeout=60)
    return path


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
                pressed = time.monotonic()
                caller_link.command("dial", callee.uri)
                callee_link.wait_events("CALL_INCOMING", number, WAIT_S)
                samples.append((time.monotonic() - pressed) * 1000)
                caller_link.command("hangup")
                callee_link.wait_events("CALL_CLOSED", number, WAIT_S)
        finally:
            callee_link.close()
            caller_link.close()
    return samples


async def desk_calls(folder: Path, source: Path, calls: int) -> list[float]:
    from agent_desktop.agent_desk.voice.call_media import LinkState
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import SoftphoneConfig
    from agent_desktop.app.demo import demo_settings
    from agent_desktop.ui.agent.conversations.dial_pad import DialPad
    from tests.e2e.voice.test_call_rings_the_desk import mock_servers
    from tests.support.baresip import CtrlLink, running_baresip
    from tests.support.desk_app import desk_app
    from tests.support.scenes.pilot_steps import agent_screen, go_available, wait_until

    samples: list[float] = []
    with (
        mock_servers(folder / "mocks") as ((ccaas, crm, presence), voice),
        running_baresip(folder / "callee", "callee", source) as callee,
    ):
        voice.lines.connect(NUMBER, callee.uri)
        link = CtrlLink(callee.ctrl_port, WAIT_S)
        settings = demo_settings(ccaas, crm, presence, outbox_path=folder / "outbox.db")
        softphone = SoftphoneConfig(start=True, audio_source=f"aufile,{source}", audio_player="")
        backends = build_backends(settings.model_copy(update={"softphone": softphone}))
        try:
            async with desk_app(backends).run_test(size=(120, 40)) as pilot:
                desk = agent_screen(pilot).desk
                await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone", timeout_s=WAIT_S)
                await go_available(pilot)
                for number in range(1, calls + 1):
                    await pilot.press("D")
                    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DialPad), "the dial pad")
                    await wait_until(pilot, lambda: bool(getattr(pilot.app.screen, "choices", None)), "caller IDs")
                    await pilot.press(*TYPED)
                    pressed = time.monotonic()
                    await pilot.press("enter")
                    await asyncio.to_thread(link.wait_events, "CALL_INCOMING", number, WAIT_S)
                    samples.append((time.monotonic() - pressed) * 1000)
                    await wait_until(pilot, lambda: len(desk.held) == 1, "the call in hand", timeout_s=WAIT_S)
                    (contact_id,) = desk.held
                    await pilot.press("e")  # the contact ended: the desk hangs its leg up, the callee stops ringing
                    await asyncio.to_thread(link.wait_events, "CALL_CLOSED", number, WAIT_S)
                    await backends.contact_center.complete_contact(contact_id, "Resolved")
                    await wait_until(pilot, lambda: not desk.held, "the contact done", timeout_s=WAIT_S)
        finally:
            link.close()
    return samples


def run() -> Iterator[dict[str, Any]]:
    if shutil.which("baresip") is None:
        raise RuntimeError("baresip is not installed: run scripts/ensure-system-packages.sh")
    with tempfile.TemporaryDirectory(prefix="bench-dial-") as temp:
        folder = Path(temp)
        (folder / "run").mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(folder / "run")  # the desk's baresip folder: this run's
        source = _silence(folder / "silence.wav", 600)
        reference = bare_reference(folder, source, CALLS)
        samples = asyncio.run(desk_calls(folder, source, CALLS))
    yield timing("dial_key_to_callee_ringing_ms", samples, "report", unit="ms", digits=1)
    yield timing("dial_bare_to_callee_ringing_ms", reference, "reference", unit="ms", digits=1)
