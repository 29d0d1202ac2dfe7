"""Help from the supervisor for `make screenshots` (`supervisor-flags`): the supervisor's screen with the
queue of raised flags, oldest first. Two simulated agents raise flags on contacts they hold, then the demo agent
raises one by keys (`!`) on a call; the supervisor (f2) answers the oldest in its thread (`a`). On the in-process
mocks, whose clock the scene steps, so the ages are the same every run."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.models import AgentState
from agent_desktop.ui.supervisor.alerts.flags_table import FlagsTable
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text, shows_connected, steady_cursors

SIZE = (120, 40)


def _screen(pilot: Pilot[None]) -> str:
    return type(pilot.app.screen).__name__


async def _simulated_flag(
    mocks: InProcessMocks, agent_id: str, address: str, queue_id: str, channel: str, text: str
) -> None:
    """A simulated agent takes a contact of the queue and raises a flag on it (as their own desk would)."""
    desk = mocks.contact_center(agent_id)
    await desk.set_state(AgentState.AVAILABLE)
    await mocks.place_call(address, queue_id=queue_id, channel=channel, subject="Help needed")
    (offer,) = await desk.list_offers()
    contact = await desk.accept_offer(offer.id)
    await desk.raise_flag(contact.id, text)


async def _write(pilot: Pilot[None], text: str) -> None:
    await wait_until(pilot, lambda: _screen(pilot) == "FlagThreadDialog", "the flag's thread")
    steady_cursors(pilot)
    await pilot.press(*text, "enter")
    await wait_until(pilot, lambda: _screen(pilot) != "FlagThreadDialog", "sent")


async def flags_scene(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await _simulated_flag(
        mocks,
        "agent-004",
        caller(mocks, 5).phone_e164,
        "tech_support",
        "voice",
        "Router still drops after the reset script: send a technician?",
    )
    mocks.time.advance(95)
    await _simulated_flag(
        mocks,
        "agent-006",
        caller(mocks, 8).email,
        "sales",
        "chat",
        "Customer asks for 25% off to stay; my limit is 15%",
    )
    mocks.time.advance(40)
    await go_available(pilot)
    await mocks.place_call(caller(mocks, 3).phone_e164, subject="Charged twice for November")
    await wait_until(pilot, lambda: "Charged twice" in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
    mocks.time.advance(20)
    await pilot.press("exclamation_mark")
    await _write(pilot, "Wants a refund of both charges, over my limit")
    mocks.time.advance(25)
    await pilot.press("f2")
    await wait_until(pilot, lambda: _screen(pilot) == "SupervisorScreen", "the supervisor's screen")
    table = pilot.app.screen.query_one("#flags", FlagsTable)
    await wait_until(pilot, lambda: table.display and table.row_count == 3, "three flags")
    # From the queues, shift+tab goes up: first to what the caller said (their call's alerts stay while they are
    # there), then to the flags.
    await pilot.press("shift+tab", "shift+tab")
    await wait_until(pilot, lambda: pilot.app.focused is table, "the flags in use")
    await pilot.press("a")
    await _write(pilot, "Book the technician, I approve the visit")
    await wait_until(pilot, lambda: "Riley Chen: Book" in table.row_text(table.keys[0]), "the answer in the queue")


async def capture_flags(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await flags_scene(pilot, mocks)
                pilot.app.clear_notifications()
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
