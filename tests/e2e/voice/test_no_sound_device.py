"""A machine with no sound device (a server, a container, this one): the desk's own baresip, configured as the demo's is
(`alsa,default` both ways), still answers the call by `a`, and the status line says there is no sound device. Tried
here: baresip 1.0.0 with ALSA and no card never answers a call (its audio cannot start), so the launcher starts it
without the device's module and says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.voice.call_media import LinkState
from agent_desktop.ui.app import AgentDesktopApp
from tests.e2e.voice.test_desk_softphone import ANSWER_S, CALLER, WAIT_S, offered_and_rung, silence
from tests.support.baresip import CtrlLink, running_baresip
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import go_available, loaded, scene_mocks
from tests.support.scenes.pilot_steps import agent_screen, screen_text, wait_until

pytestmark = pytest.mark.heavy  # real softphones beside the desk: run alone (exclusive), as test_desk_softphone.py


@asynccontextmanager
async def desk_without_sound_device(
    tmp_path: Path,
) -> AsyncIterator[tuple[AgentDesktopApp, InProcessMocks, BaresipLauncher]]:
    """The desk with its own baresip on ALSA's default device, on a machine said to have none (as this one has none:
    said explicitly, so the test does not depend on where it runs)."""
    mocks = scene_mocks(tmp_path / "mocks")
    launcher = BaresipLauncher(LaunchPlan(tmp_path / "softphone"), sound_device=lambda: False)
    backends = mocks.backends()
    backends.softphone = BaresipSoftphone(answer_s=ANSWER_S, launcher=launcher)
    try:
        yield desk_app(backends, clock=mocks.clock.now), mocks, launcher
    finally:
        await launcher.stop()
        await mocks.aclose()


async def test_with_no_sound_device_the_call_is_answered_and_the_status_line_says_so(tmp_path: Path) -> None:
    with running_baresip(tmp_path / "caller", CALLER, silence(tmp_path / "caller.wav")) as caller:
        link = CtrlLink(caller.ctrl_port)
        async with desk_without_sound_device(tmp_path) as (app, mocks, launcher), app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            desk = agent_screen(pilot).desk
            await wait_until(pilot, lambda: desk.softphone.link is LinkState.UP, "the softphone up", timeout_s=WAIT_S)
            await go_available(pilot)
            await offered_and_rung(pilot, mocks, lambda: link.command("dial", launcher.uri))
            await pilot.press("a")
            await wait_until(
                pilot,
                lambda: "☎ connected" in screen_text(pilot, "#contact-detail"),
                lambda: f"the call answered: {screen_text(pilot, '#contact-detail')!r}",
                timeout_s=WAIT_S,
            )
            link.wait_event("CALL_ESTABLISHED", WAIT_S)  # the caller's side too
            await wait_until(
                pilot,
                lambda: "phone ● no sound device" in screen_text(pilot, "#agent-status"),
                lambda: f"the status line to say so: {screen_text(pilot, '#agent-status')!r}",
            )
        link.close()
