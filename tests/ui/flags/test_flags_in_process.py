"""Help from the supervisor by keyboard on the in-process backends: the demo's two desks in one app. The
agent raises a flag on a call in hand (`!`, a line, enter); the supervisor's screen shows it in the flags queue with
the contact and the agent, answers in its thread (`a`), monitors the flagged contact (`j`); the answer rings the
agent's bell and shows in the thread on the contact (`!`), where the agent replies; at wrap-up the thread goes to
the CRM with the private notes. Then a broadcast (`!` on the supervisor screen) shows above the agent's offer until
its expiry, and goes. The same over real servers, with two desks: tests/e2e/flags/test_flags_two_desks.py."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.outbox.store import EntryKind
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.supervisor.alerts.flags_table import FlagsTable
from agent_desktop.ui.supervisor.monitoring.monitor_panel import MonitorPanel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.scenes.pilot_steps import (
    end_and_fill_wrap_up,
    go_available,
    shows_connected,
    supervisor_screen,
    text_of,
    wait_until,
)

SIZE = (120, 40)


def shown_keys(pilot: Pilot[None]) -> set[str]:
    return {key.key for key in pilot.app.screen.query_one(KeyFooter).shown()}


def screen_named(pilot: Pilot[None], name: str) -> bool:
    return type(pilot.app.screen).__name__ == name


async def write_in_dialog(pilot: Pilot[None], text: str) -> None:
    await wait_until(pilot, lambda: screen_named(pilot, "FlagThreadDialog"), "the flag's thread")
    await pilot.press(*text)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not screen_named(pilot, "FlagThreadDialog"), "the thread closed, the line sent")


async def test_a_flag_is_raised_answered_from_the_queue_and_kept_with_the_notes(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    flags = mocks.ccaas_app.state.flags
    bells = []
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
            chat = await mocks.place_call(caller.phone_e164, subject="Late fee")  # a call: its end asks nothing
            await wait_until(pilot, lambda: "Late fee" in str(pilot.app.screen.query_one("#offer").render()), "offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
            assert pilot.app.screen.check_action("flag", ()), "! applies on a contact in hand"

            await pilot.press("exclamation_mark")
            await write_in_dialog(pilot, "Wants a refund over my limit")
            (raised,) = flags.flags_of(SUPERVISOR)
            assert (raised.contact_id, raised.lines[0].text) == (chat.id, "Wants a refund over my limit")

            await pilot.press("f2")
            await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "the supervisor screen")
            table = pilot.app.screen.query_one("#flags", FlagsTable)
            await wait_until(pilot, lambda: table.display and table.row_count == 1, "the flag in the queue")
            row = table.row_text(raised.id)
            assert "Alex Morgan" in row, row
            assert chat.id in row, row
            assert "refund over my limit" in row, row
            table.focus()
            await pilot.pause(0.1)
            assert {"a", "x", "j"} <= shown_keys(pilot), sorted(shown_keys(pilot))
            await pilot.press("a")
            await write_in_dialog(pilot, "Approved, go ahead")
            await wait_until(pilot, lambda: len(flags.flag(raised.id, SUPERVISOR).lines) == 2, "the answer")
            await pilot.press("j")  # monitor the flagged contact
            monitor = pilot.app.screen.query_one(MonitorPanel)
            monitored = supervisor_screen(pilot).desk.monitored
            await wait_until(pilot, lambda: monitor.display and chat.id in monitored.contacts, "the contact monitored")

            await pilot.press("f2")
            await wait_until(pilot, lambda: screen_named(pilot, "AgentScreen"), "the agent screen")
            await wait_until(pilot, lambda: bool(bells), "the bell for the answer")
            detail = pilot.app.screen.query_one("#contact-detail")
            await wait_until(
                pilot, lambda: "Riley Chen answered · ! reads" in text_of(detail), "the flag on the contact"
            )
            await pilot.press("exclamation_mark")
            await wait_until(pilot, lambda: screen_named(pilot, "FlagThreadDialog"), "the thread")
            thread = text_of(pilot.app.screen.query_one("#flag-thread"))
            assert "Riley Chen: Approved, go ahead" in thread, thread
            assert "Alex Morgan: Wants a refund" in thread, thread
            await write_in_dialog(pilot, "Thanks, done")
            await wait_until(pilot, lambda: len(flags.flag(raised.id, SUPERVISOR).lines) == 3, "the agent's reply")

            await end_and_fill_wrap_up(pilot, "Refund approved by the team lead")
            await pilot.press("ctrl+s")
            await wait_until(
                pilot, lambda: any(e.kind == EntryKind.INTERACTION for e in backends.outbox.recent()), "the wrap-up"
            )
            (entry,) = [e for e in backends.outbox.recent() if e.kind == EntryKind.INTERACTION]
            notes = entry.payload.interaction.private_notes  # type: ignore[attr-defined]
            thread_notes = [note for note in notes if note.startswith("Flag to the supervisor")]
            assert [note.rsplit(": ", 1)[1] for note in thread_notes] == [
                "Wants a refund over my limit",
                "Approved, go ahead",
                "Thanks, done",
            ]
    finally:
        await mocks.aclose()


async def test_a_broadcast_shows_on_the_agents_desk_until_it_expires(tmp_path: Path) -> None:
    mocks = InProcessMocks(MockSettings(data_dir=tmp_path, seed=42, customers=20, simulator=False, fresh=True))
    backends = mocks.backends(supervisor=True)
    try:
        app = desk_app(backends, clock=mocks.clock.now, desks=("agent", "supervisor"))
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await pilot.press("f2")
            await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "the supervisor screen")
            await pilot.press("exclamation_mark")
            await wait_until(pilot, lambda: screen_named(pilot, "BroadcastDialog"), "the broadcast dialog")
            await pilot.press(*"Huddle at 3 in room B")
            await pilot.press("tab", "backspace", "backspace", "2")  # for 2 minutes
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "sent")
            await pilot.press("f2")
            await wait_until(pilot, lambda: screen_named(pilot, "AgentScreen"), "the agent screen")
            banner = pilot.app.screen.query_one("#broadcasts")
            await wait_until(pilot, lambda: banner.display and "Huddle at 3" in text_of(banner), "the broadcast")
            assert "Riley Chen" in text_of(banner), text_of(banner)
            assert "(2 min)" in text_of(banner), text_of(banner)
            mocks.time.advance(60)
            await pilot.pause(1.2)
            assert banner.display, "not yet expired"
            mocks.time.advance(61)
            await wait_until(pilot, lambda: not banner.display, "the broadcast gone at its expiry")
    finally:
        await mocks.aclose()
