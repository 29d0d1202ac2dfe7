"""`make screenshots`' `supervisor-said-alert`: the supervisor's screen as a customer's words raise alerts — a simulated
agent's chat customer says "lawyer", another's mood falls — the status line naming the agent, the contact and what was
said, and one notification for both. On the in-process mocks, whose clock the scene steps: every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.models import AgentState
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import steady_cursors

SIZE = (120, 40)


async def _chat(mocks: InProcessMocks, agent_id: str, address: str, queue_id: str, subject: str) -> str:
    """A simulated agent takes a chat of the queue (as their own desk would); its contact id."""
    desk = mocks.contact_center(agent_id)
    await desk.set_state(AgentState.AVAILABLE)
    await mocks.place_call(address, queue_id=queue_id, channel="chat", subject=subject)
    (offer,) = await desk.list_offers()
    return (await desk.accept_offer(offer.id)).id


async def said_alert_scene(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor's screen")
    steady_cursors(pilot)
    late_fee = await _chat(mocks, "agent-002", caller(mocks, 5).email, "billing", "Late fee")
    await mocks.customer_says(late_fee, "Hello, I have a question about a late fee on my bill, thanks")
    outage = await _chat(mocks, "agent-004", caller(mocks, 8).email, "tech_support", "Internet down")
    await mocks.customer_says(outage, "Hi, my internet has been down since this morning.")
    mocks.time.advance(30)
    await mocks.customer_says(late_fee, "This fee is not fair. If it is not removed my lawyer will hear of it.")
    await mocks.customer_says(outage, "Third day now. This is awful, useless, the worst service I have ever had!")
    status = pilot.app.screen.query_one("#floor-status")
    await wait_until(pilot, lambda: "lawyer" in str(status.render()), "the alerts on the status line")

    def told() -> bool:
        return any(n.title.startswith("What customers said") for n in notifications(pilot.app))

    await wait_until(pilot, told, "one notification for both")
    await pilot.pause(0.5)


async def capture_said_alert(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                await said_alert_scene(pilot, mocks)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def urgent_assist_scene(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    """Urgent assist: a customer getting angrier asks for a manager; the supervisor's screen lists it on top with its
    reason and its brief (the mock model's summary, the customer's last contacts)."""
    await loaded(pilot)
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor's screen")
    steady_cursors(pilot)
    late_fee = await _chat(mocks, "agent-002", caller(mocks, 5).email, "billing", "Late fee")
    await mocks.customer_says(late_fee, "Hello, I have a question about a late fee on my bill, thanks")
    mocks.time.advance(30)
    await mocks.customer_says(late_fee, "This fee is not fair. It is unacceptable.")
    await mocks.customer_says(late_fee, "I have asked twice now. Get me your manager.")
    brief = pilot.app.screen.query_one("#urgent-brief")
    await wait_until(
        pilot, lambda: brief.display and "Last contacts: " in str(brief.render()), "the urgent contact's brief"
    )
    await wait_until(pilot, lambda: "Summary: asking" not in str(brief.render()), "the summary")
    await pilot.pause(0.5)


async def capture_urgent_assist(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    from agent_desktop_mocks.model.settings import ModelMockSettings
    from tests.support.desk_app import desk_app
    from tests.support.in_process.model import InProcessModel

    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            backends = mocks.backends(supervisor=True, assist=InProcessModel(ModelMockSettings()))
            app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
            app.bell = lambda: None  # type: ignore[method-assign]
            async with app.run_test(size=size) as pilot:
                await urgent_assist_scene(pilot, mocks)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
