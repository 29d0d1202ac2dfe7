"""The summary that travels with a transfer, for `make screenshots`: a call Stephanie Cox transferred to the agent,
her note on the offer before the agent answers ("agent-handover-offer"), then, answered, above the lines said before
the agent joined ("agent-call-handover"). On the in-process mocks, their clock stepped: every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.domain.vocabulary import AgentState
from agent_desktop_mocks.ccaas.api.routers import contacts
from agent_desktop_mocks.ccaas.core.wire.requests import ContactCreate
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState as CenterState
from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Target
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text

SIZE = (120, 40)
NOTE = (
    "Intent: Billing dispute: charged twice · Agent: I can see the two payments. I will refund the second one "
    'today. · Customer\'s last words: "It is ridiculous, I want my money back." Wants it confirmed in writing.'
)


async def call_handed_over(pilot: Pilot[None], mocks: InProcessMocks, *, answered: bool) -> None:
    await loaded(pilot)
    await go_available(pilot)
    mocks.engine.agents.set_agent_state("agent-001", CenterState.NOT_READY, reason="Meeting")
    mocks.engine.agents.set_agent_state("agent-002", CenterState.AVAILABLE)
    body = ContactCreate(
        queue_id="billing",
        channel="voice",
        from_address=caller(mocks, 4).phone_e164,
        attached=AttachedData(intent="billing_inquiry"),
    )
    contact = await contacts.create(body, SUPERVISOR, mocks.engine, mocks.ccaas_app.state.scope)
    await mocks.connect_offer("agent-002")
    mocks.time.advance(24)  # Stephanie and the caller speak
    await go_available(pilot)
    await wait_until(pilot, lambda: pilot.app.screen.desk.agent.state == AgentState.AVAILABLE, "available")  # type: ignore[attr-defined]
    mocks.engine.transfers.transfer(contact.id, Target(kind="agent", id="agent-001"), note=NOTE)
    await wait_until(pilot, lambda: "Stephanie Cox" in screen_text(pilot, "#offer"), "the note on the offer")
    if not answered:
        return
    await accept(pilot)
    for _ in range(100):
        if pilot.app.screen.query_one("#call-handover").display:
            break
        mocks.time.advance(0.2)
        await pilot.pause(0.01)
    await wait_until(pilot, lambda: "Note from" in screen_text(pilot, "#call-handover"), "the note above the lines")


async def capture_handover(name: str, folder: Path, *, answered: bool, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await call_handed_over(pilot, mocks, answered=answered)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
