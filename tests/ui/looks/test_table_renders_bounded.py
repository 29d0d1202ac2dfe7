"""A shift is hours of contacts: the contacts' timers tick every second, and a table keeps the renders of what it
shows now, not of every second it has shown. Textual 8.2.8's `DataTable.update_cell` moves the table's update
counter on (every render is keyed on it) but keeps the old renders until 10,000 cells and 2,000 rows: a 50-contact
shift ended ~12 MB over a 10-contact one."""

from __future__ import annotations

from datetime import timedelta

from textual.app import App, ComposeResult

from agent_desktop.domain.models import ContactState
from agent_desktop.ui.agent.contacts.contact_list import ContactList
from agent_desktop.ui.textual_compat import table_render_entries
from tests.support.desk_events import T0, contact

TICKS = 120  # two minutes of a contact in hand, one tick a second


class OneList(App[None]):
    def compose(self) -> ComposeResult:
        yield ContactList(id="contacts")


async def test_two_minutes_of_timer_ticks_leave_the_renders_of_one_screen() -> None:
    held = [contact("c-1", ContactState.CONNECTED), contact("c-2", ContactState.ON_HOLD)]
    async with OneList().run_test(size=(60, 10)) as pilot:
        table = pilot.app.query_one(ContactList)
        table.show(held, T0, "c-1")
        await pilot.pause()
        drawn_once = table_render_entries(table)
        for second in range(1, TICKS + 1):
            table.refresh_times(held, T0 + timedelta(seconds=second))
            await pilot.pause()  # painted: what the user sees each second
        assert "2:00" in " ".join(str(table.get_cell(c.id, "time")) for c in held)
        # what one screen of this table needs (its rows, cells and header), however long the contacts are held
        assert table_render_entries(table) <= 2 * drawn_once + 4, (drawn_once, table_render_entries(table))
