"""The screens of coaching on how a call is said, for `make screenshots`: the agent's call (its live transcript, its
sound on the softphone) with the contact center's figures on one dim line under the transcript, the agent talking most
said first; and the supervisor's monitor card of the same call, its recording paused
(`No REC`) and the same figures. On the in-process mocks, their clock stepped while the mock's caller and agent speak;
the softphone's events and the figures are fed as baresip and the mock's relay send them (tests/e2e/voice/ proves
those on real processes): every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import CallLevelEvent
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.voice.talk_figures import CallCoachingEvent, CoachingRules, TalkMeter
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, scene_app, scene_mocks, wait_until
from tests.support.scenes.call_transcript_scene import call_with_transcript
from tests.support.scenes.pilot_steps import supervisor_screen

SIZE = (120, 40)
SPEAKING, QUIET = 5, 0
# The agent 20 s, the caller cutting in for 1 s and going on 6 s, the agent 14 s more, the caller speaking again.
FRAMES = (
    [(QUIET, SPEAKING)] * 80
    + [(SPEAKING, SPEAKING)] * 4
    + [(SPEAKING, QUIET)] * 24
    + [(QUIET, SPEAKING)] * 56
    + [(SPEAKING, QUIET)] * 12
)


def figures(contact_id: str) -> CallCoachingEvent:
    """What the contact center measures of the scene's call, as it tells it."""
    rules = CoachingRules()
    meter = TalkMeter(rules)
    for customer, agent in FRAMES:
        meter.frame(customer, agent)
    meter.words("agent", 92)
    meter.words("customer", 17)
    return CallCoachingEvent.of(contact_id, "agent-001", meter.figures(), rules)


async def coached_call(pilot: Pilot[None], mocks: InProcessMocks, *, own_pane: bool = False) -> str:
    """The call answered, its transcript shown, its sound up, and its figures on the call area: its contact id.
    `own_pane`: the call is a pane of its own (80x24): f6 brings it, as the agent would."""
    await call_with_transcript(pilot, mocks)
    for _ in range(4 if own_pane else 0):
        if pilot.app.screen.query_one("#call").display:
            break
        await pilot.press("f6")
        await pilot.pause(0.05)
    desk = pilot.app.screen.desk  # type: ignore[attr-defined]
    contact_id: str = desk.selected_id
    number = caller(mocks, 4).phone_e164
    desk.softphone.link_up()
    held = [held.contact for held in desk.held.values()]
    peer = f"sip:{number.lstrip('+')}@127.0.0.1:5062"
    desk.softphone.apply(CallEvent(CallEventKind.INCOMING, "call-1", peer=peer, peer_name=number), held)
    desk.softphone.apply(CallEvent(CallEventKind.ESTABLISHED, "call-1"), held)
    desk.softphone.update(contact_id, codec="PCMU 8 kHz")
    desk.apply(CallLevelEvent(contact_id=contact_id, customer=5, agent=0))
    mocks.ccaas_app.state.voice_leg.tell_coaching(figures(contact_id))  # the contact center's own publishing
    coaching = pilot.app.screen.query_one("#call-coaching", Static)
    await wait_until(pilot, lambda: coaching.display and "talk most" in str(coaching.render()), "the coaching line")
    return contact_id


async def capture_call_coaching(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await coached_call(pilot, mocks, own_pane=size != SIZE)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()


async def capture_monitor_coaching(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks, desks=("agent", "supervisor"))
            async with app.run_test(size=size) as pilot:
                contact_id = await coached_call(pilot, mocks)
                await pilot.press("P")
                recordings = mocks.ccaas_app.state.voice_leg.recordings
                await wait_until(pilot, lambda: (r := recordings.of(contact_id)) is not None and r.paused, "the pause")
                await pilot.press("f2")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
                screen = supervisor_screen(pilot)
                agents = screen.query_one("#agents", AgentTable)
                agents.focus()
                await wait_until(
                    pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "floor"
                )
                agents.move_cursor(agents.keys.index("agent-001"))
                await pilot.pause(0.1)
                await pilot.press("j")
                await wait_until(pilot, lambda: screen.desk.monitored.contacts, "monitoring the call")
                mocks.ccaas_app.state.voice_leg.tell_coaching(figures(contact_id))  # the next figures, every 2 s

                def card() -> str:
                    panel = screen.query_one(MonitorPanel)
                    return "\n".join(str(call.render()) for call in panel.query(".monitor-call") if call.display)

                await wait_until(pilot, lambda: "No REC" in card() and "most" in card(), lambda: "the card: " + card())
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
