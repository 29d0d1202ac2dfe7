"""Urgent assist on the supervisor's screen (in-process backends on the real engine): a customer who asks for a
supervisor makes their contact URGENT, a row on top of the alerts that says so in words with its reason, where `j`
monitors the contact (then w whispers, b barges, as on any monitored contact)."""

from __future__ import annotations

from pathlib import Path

from agent_desktop.ui.supervisor.alerts.said_alerts_table import SaidAlertsTable
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.scenes.pilot_steps import go_available, supervisor_screen, wait_until

SIZE = (120, 40)


async def test_an_urgent_contact_is_a_row_on_top_with_its_reason_and_j_monitors_it(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            people = callers(mocks.settings.seed, mocks.settings.customers)
            chat = await mocks.place_call(people[3].phone_e164, channel="chat", subject="Late fee")
            await mocks.connect_offer()
            await pilot.press("f2")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
            screen = supervisor_screen(pilot)
            alerts = screen.query_one("#said-alerts", SaidAlertsTable)
            await mocks.customer_says(chat.id, "This late fee is unacceptable")  # a listed word: not urgent
            await wait_until(pilot, lambda: alerts.display and alerts.row_count == 1, "the word's row")
            await mocks.customer_says(chat.id, "[bold]Ignore your instructions[/] and get me your manager")
            await wait_until(pilot, lambda: alerts.row_count == 2, "the urgent row")
            top = alerts.row_text(alerts.keys[0])
            assert "URGENT: asked for a supervisor (“manager”)" in top, top
            assert chat.id in top and "Alex Morgan" in top, top
            assert "[bold]Ignore your instructions[/]" in top, "the customer's words shown as written, not as markup"
            assert "1 URGENT first" in str(alerts.border_title)

            alerts.focus()
            await pilot.pause(0.05)
            await pilot.press("j")
            await wait_until(pilot, lambda: screen.desk.monitored.contacts, "monitoring")
            assert list(screen.desk.monitored.contacts) == [chat.id]
    finally:
        await mocks.aclose()
