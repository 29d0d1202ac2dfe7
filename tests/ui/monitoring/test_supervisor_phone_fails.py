"""The supervisor's own softphone, failing: a `[softphone] start = true` whose baresip is not installed is said in one
line on the monitor panel, where `T` is offered, and the desk goes on: the floor, the monitoring, and `T` refused in
words (no softphone registered), the call left with its agent."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.agent_desk.contacts import HeldContact, Phase
from agent_desktop.services import Backends
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_mocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until


def said(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app)]


def monitor_title(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(MonitorPanel).border_title or "")


def supervisors_backends(mocks: InProcessMocks, launcher: BaresipLauncher) -> Backends:
    """Both desks on the mocks, the supervisor's softphone the one `[softphone] start = true` builds for them."""
    backends = mocks.backends(supervisor=True)
    backends.supervisor_softphone = BaresipSoftphone(answer_s=5.0, launcher=launcher)
    return backends


async def monitoring_a_call(pilot: Pilot[None], mocks: InProcessMocks) -> tuple[HeldContact, str]:
    """The agent answers a call; the supervisor joins it (`j`) and the panel offers `T`: the agent's contact and its
    id."""
    await go_available(pilot)
    call = await mocks.place_call(callers(mocks.settings.seed, mocks.settings.customers)[3].phone_e164)
    await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    held = agent_screen(pilot).desk.held[call.id]
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
    screen = supervisor_screen(pilot)
    agents = screen.query_one("#agents", AgentTable)
    agents.focus()
    await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "the floor")
    agents.move_cursor(agents.keys.index("agent-001"))
    await pilot.pause(0.1)
    await pilot.press("j")
    await wait_until(pilot, lambda: "T take over" in monitor_title(pilot), "the take-over key on the panel")
    return held, call.id


async def test_a_softphone_that_cannot_start_is_said_and_the_desk_goes_on(tmp_path: Path) -> None:
    mocks = scene_mocks(tmp_path / "mocks")
    launcher = BaresipLauncher(LaunchPlan(tmp_path / "phone", binary="no-such-baresip-here", ready_s=5.0))
    try:
        app = desk_app(supervisors_backends(mocks, launcher), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=(120, 40)) as pilot:
            held, _ = await monitoring_a_call(pilot, mocks)
            await wait_until(
                pilot, lambda: "· phone failed" in monitor_title(pilot), lambda: f"the title: {monitor_title(pilot)!r}"
            )
            (why,) = [text for text in said(pilot) if text.startswith("Your softphone failed")]
            assert "baresip is not installed" in why, why
            assert "\n" not in why
            assert mocks.ccaas_app.state.supervisor_softphones.of("supervisor") is None
            await pilot.press("T")  # the desk goes on: asked, then refused in words, the call the agent's
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked first")
            await pilot.press("enter")
            await wait_until(pilot, lambda: any("no softphone" in text for text in said(pilot)), "the refusal")
            assert held.phase is Phase.TALKING
    finally:
        await launcher.stop()
        await mocks.aclose()
