"""The supervisor's desk has a softphone of its own: with the baresip `[softphone] start = true` starts for them, the
desk registers it with the contact center as it starts (`PUT /v1/supervisor/softphone`), the monitor panel says it
is ready, `T` takes the call over with no registration by hand, and the desk takes it back and stops its baresip as
it ends. A real baresip beside the desk (no audio: the mocks are in-process, the call simulated): run alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from tests.support.desk_app import desk_app
from tests.support.in_process.scenes import scene_mocks
from tests.support.scenes.pilot_steps import wait_until
from tests.ui.monitoring.test_supervisor_phone_fails import monitor_title, monitoring_a_call, said, supervisors_backends

pytestmark = pytest.mark.heavy  # a real softphone beside the desk: run alone (exclusive)


async def test_the_supervisors_softphone_is_registered_and_a_take_over_rings_it(tmp_path: Path) -> None:
    mocks = scene_mocks(tmp_path / "mocks")
    launcher = BaresipLauncher(LaunchPlan(tmp_path / "phone", user="supervisor", audio_source="", audio_player=""))
    registered = mocks.ccaas_app.state.supervisor_softphones
    try:
        app = desk_app(supervisors_backends(mocks, launcher), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=(120, 40)) as pilot:
            held, _ = await monitoring_a_call(pilot, mocks)
            await wait_until(
                pilot,
                lambda: "· phone ready" in monitor_title(pilot),
                lambda: f"the panel's title: {monitor_title(pilot)!r}",
            )
            phone = registered.of("supervisor")
            assert phone is not None
            assert launcher.uri.startswith("sip:supervisor@127.0.0.1:")
            assert phone.contact_uri == launcher.uri
            await pilot.press("T")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked first")
            await pilot.press("enter")
            await wait_until(pilot, lambda: held.phase.wrapping_up, lambda: f"taken over: {said(pilot)}")
            assert not any("no softphone" in text for text in said(pilot))
        assert registered.of("supervisor") is None, "taken back as the desk ended"
        assert launcher.process is None, "its baresip stopped with the desk"
    finally:
        await launcher.stop()
        await mocks.aclose()
