"""The supervisor takes a call over. On the in-process backends (the demo's two desks in one app):
the agent answers a call; the supervisor joins it from the Agents table (`j`), and `T` (asked first) takes it. Without
a softphone of theirs the contact center refuses in words and the call stays the agent's; with one, the agent's desk
has the call in wrap-up and is told who took it, literally, and the CRM keeps who handled what: the agent's
interaction ended by the take-over, the supervisor's record that they took it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.voice.contact_uri import parse_contact_uri
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import agent_screen, go_available, shows_connected, supervisor_screen, wait_until


def said(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app)]


def monitor_title(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one(MonitorPanel).border_title or "")


async def test_the_supervisor_takes_the_call_and_the_agent_wraps_it_up(tmp_path: Path) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        app = desk_app(mocks.backends(supervisor=True), clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=(120, 40)) as pilot:
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            await go_available(pilot)
            call = await mocks.place_call(caller.phone_e164)
            await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
            desk = agent_screen(pilot).desk
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            agents = screen.query_one("#agents", AgentTable)
            agents.focus()
            await wait_until(pilot, lambda: "agent-001" in screen.desk.floor.in_hand and agents.row_count > 0, "floor")
            agents.move_cursor(agents.keys.index("agent-001"))
            await pilot.pause(0.1)
            await pilot.press("j")
            await wait_until(pilot, lambda: "T take over" in monitor_title(pilot), "the take-over key on the panel")

            await pilot.press("T")  # no softphone of the supervisor's: refused, the call stays the agent's
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked first")
            await pilot.press("enter")
            await wait_until(pilot, lambda: any("no softphone" in text for text in said(pilot)), "the refusal")
            assert desk.held[call.id].phase is Phase.TALKING
            assert "T take over" in monitor_title(pilot), "still on the call"

            await pilot.press("T")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked again")
            await pilot.press("escape")  # cancelled: nothing happens
            await pilot.pause(0.1)
            assert desk.held[call.id].phase is Phase.TALKING

            softphones = mocks.ccaas_app.state.supervisor_softphones
            softphones.register("supervisor", parse_contact_uri("sip:supervisor@127.0.0.1:5999"), mocks.clock.now())
            await pilot.press("T")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker), "asked")
            await pilot.press("enter")
            await wait_until(pilot, lambda: desk.held[call.id].phase.wrapping_up, "the agent's call in wrap-up")
            await wait_until(pilot, lambda: not screen.desk.monitored.contacts, "off the monitored contacts")
            assert any("You took Alex Morgan's call" in text for text in said(pilot)), said(pilot)

            await pilot.press("f2")  # back to the agent's desk: told who took the call
            await wait_until(
                pilot,
                lambda: "Supervisor Riley Chen took this call. Wrap it up." in said(pilot),
                lambda: f"the agent told: {said(pilot)}",
            )
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")  # the agent's wrap-up: a disposition, saved
            await wait_until(pilot, lambda: call.id not in desk.held, "the agent's call wrapped up")
            crm = mocks.crm_app.state.crm.db.conn
            ended = "select ended_by from interactions where contact_id = ?"
            await wait_until(
                pilot,
                lambda: crm.execute(ended, [call.id]).fetchall() == [("takeover",)],
                lambda: f"the agent's interaction in the CRM: {crm.execute(ended, [call.id]).fetchall()}",
            )
            kept = "select event, supervisor_name from supervision where contact_id = ?"
            await wait_until(
                pilot,
                lambda: ("took_over", "Riley Chen") in crm.execute(kept, [call.id]).fetchall(),
                lambda: f"the supervisor's record in the CRM: {crm.execute(kept, [call.id]).fetchall()}",
            )
    finally:
        await mocks.aclose()
