"""Alerts from what customers say, on the supervisor's screen (in-process backends on the real engine): a customer
writes a word the contact center lists ("lawyer"), and the supervisor is told in a notification titled for it, the
status line names the agent, the contact and the word, the agent's row is marked ⚠; the alert is a row of the
table of what customers said, newest first, where `j` monitors its contact and `x` dismisses it; a second alert on the
same contact and cause is not told again; once the contact leaves the agent's hands, the alert goes from the status
line. A call gone silent (the
technician testing the line without holding the caller) is told the same way: "silent 30 s on the call"."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.alerts.said_alerts_table import SaidAlertsTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, supervisor_screen, wait_until
from tests.ui.transcripts.test_call_transcript_in_process import answered_call, step_until

SIZE = (120, 40)


def status_line(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#floor-status").render())


def told(pilot: Pilot[None]) -> list[str]:
    """The notifications titled for what a customer said, their text."""
    return [n.message for n in notifications(pilot.app) if n.title.startswith("What a customer said")]


async def test_a_listed_word_is_told_to_the_supervisor_and_named_on_the_status_line(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            chat = await mocks.place_call(caller.phone_e164, channel="chat", subject="Late fee")
            await mocks.connect_offer()
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            await mocks.customer_says(chat.id, "This late fee is unacceptable, I am calling my lawyer")
            await wait_until(pilot, lambda: "lawyer" in status_line(pilot), "the alert on the status line")
            assert "Alex Morgan" in status_line(pilot)
            agents = pilot.app.screen.query_one("#agents", AgentTable)
            await wait_until(pilot, lambda: "⚠ Alex Morgan" in agents.row_text("agent-001"), "the agent's row marked")
            assert chat.id in status_line(pilot)
            await wait_until(pilot, lambda: told(pilot), "the notification")
            (first,) = told(pilot)
            assert "“lawyer”, “unacceptable”" in first
            assert "j on its row in the alerts monitors the contact" in first

            await mocks.customer_says(chat.id, "My lawyer will hear of it")  # the same contact and cause
            await pilot.pause(0.5)
            assert told(pilot) == [first]

            await mocks.contact_center().end_contact(chat.id)  # the contact leaves the agent's hands
            await wait_until(pilot, lambda: "lawyer" not in status_line(pilot), "the alert gone with its contact")
            await wait_until(pilot, lambda: "⚠" not in agents.row_text("agent-001"), "the agent's row unmarked")
    finally:
        await mocks.aclose()


async def test_a_call_gone_silent_is_told_to_the_supervisor(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await answered_call(pilot, mocks, intent="tech_support")
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            await step_until(pilot, mocks, lambda: "silent" in status_line(pilot), "the silence", most_s=90, step_s=1.0)
            assert "Alex Morgan" in status_line(pilot)
            assert "silent 30 s on the call" in status_line(pilot), status_line(pilot)
            agents = pilot.app.screen.query_one("#agents", AgentTable)
            await wait_until(pilot, lambda: "⚠ Alex Morgan" in agents.row_text("agent-001"), "the agent's row marked")
            await wait_until(pilot, lambda: told(pilot), "the notification")
            assert "silent 30 s on the call" in told(pilot)[0]
    finally:
        await mocks.aclose()


async def test_an_alert_is_a_row_where_j_monitors_its_contact_and_x_dismisses_it(tmp_path: Path) -> None:
    """On a floor of a thousand agents the ⚠ row is hard to find: the alert has its own row, newest first."""
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            people = callers(mocks.settings.seed, mocks.settings.customers)
            await mocks.place_call(people[2].phone_e164, channel="chat", subject="Address change")
            await mocks.connect_offer()
            chat = await mocks.place_call(people[3].phone_e164, channel="chat", subject="Late fee")
            await mocks.connect_offer()  # two chats in the agent's hands: j on their row would ask which
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            alerts = screen.query_one("#said-alerts", SaidAlertsTable)
            assert not alerts.display, "no alert: no room taken"
            await mocks.customer_says(chat.id, "I want to cancel everything")
            await wait_until(pilot, lambda: alerts.display and alerts.row_count == 1, "the alert's row")
            (key,) = alerts.keys
            row = alerts.row_text(key)
            assert "Alex Morgan" in row, row
            assert chat.id in row, row
            assert "“cancel”" in row
            assert "I want to cancel everything" in row

            for _ in range(6):  # back from the agents (focused at first) to the table above the queues
                if screen.focused is alerts:
                    break
                await pilot.press("shift+tab")
            assert screen.focused is alerts
            assert screen.check_action("dismiss_alert", ())
            assert not screen.check_action("sort_agents", ()), "s sorts the agents in their own table only"
            await pilot.press("j")
            await wait_until(pilot, lambda: screen.desk.monitored.contacts, "monitoring")
            assert list(screen.desk.monitored.contacts) == [chat.id], "the alert's contact, with no question asked"
            assert pilot.app.screen is screen

            alerts.focus()
            await pilot.pause(0.05)
            await pilot.press("x")
            await wait_until(pilot, lambda: not alerts.display, "the alert dismissed")
            assert "cancel" not in status_line(pilot)
            agents = screen.query_one("#agents", AgentTable)
            await wait_until(pilot, lambda: "⚠" not in agents.row_text("agent-001"), "the agent's row unmarked")
    finally:
        await mocks.aclose()
