"""Alerts from what customers say, on the supervisor's screen (in-process backends on the real engine): a customer
writes a word the contact center lists ("lawyer"), and the supervisor is told in a notification titled for it, the
status line names the agent, the contact and the word, the agent's row is marked ⚠ (`j` there monitors it); a second alert on the same contact and cause is not told
again; once the contact leaves the agent's hands, the alert goes from the status line. A call gone silent (the
technician testing the line without holding the caller) is told the same way: "silent 30 s on the call"."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, wait_until
from tests.ui.test_call_transcript_in_process import answered_call, step_until

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
            assert "j on the agent's row monitors the contact" in first

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
