"""What the supervisor's drill-downs share: a titled table of contacts, read once through the supervisor's
controller, then kept live from its desk and redrawn every second. `j` on a contact in progress closes the
drill-down with that contact's id: the floor, where its card is, joins it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.models import Contact
from agent_desktop.supervisor_desk.controller import SupervisorController
from agent_desktop.ui.lines.column_fit import fitted_widths, room_for_cells
from agent_desktop.ui.plain_text import literal_title
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from agent_desktop.ui.textual_compat import set_column_widths


class Drilldown(OverlayScreen[str | None]):
    """Dismissed with the id of a contact to monitor, or None."""

    OVERLAY_NAME = "The details"

    ATTENTION = OverlayKind.VIEW

    CSS_PATH = "drilldown.tcss"
    # (label, key, least width, most width): fitted to the room at every size (ui/lines/column_fit.py), so that at
    # 80 columns every column shows and at 120 each has the room its text needs.
    COLUMNS: tuple[tuple[str, str, int, int], ...] = ()
    GROWS_FIRST: tuple[int, ...] = ()  # who gets the room beyond the least, first to last
    REST_TO = -1  # the column that takes what is left past every most
    TABLE_ID = ""

    def __init__(self, controller: SupervisorController) -> None:
        super().__init__()
        self.controller = controller
        self.desk = controller.desk
        self.floor = controller.desk.floor
        self.clock: Callable[[], datetime] = controller.now
        self.loaded = False

    def title_text(self) -> str:
        """The box's title (names from the backend in it are shown literally)."""
        raise NotImplementedError

    async def fetch(self) -> bool:
        """Read the drill-down's contacts through the controller (False: refused, and said)."""
        raise NotImplementedError

    def redraw(self) -> None:
        raise NotImplementedError

    def contact_under_cursor(self) -> Contact | None:
        """The contact of the row under the cursor, as last drawn."""
        raise NotImplementedError

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.desk.can.monitoring if action == "monitor_contact" else True

    def action_monitor_contact(self) -> None:
        """Join the contact under the cursor, if it is in progress; back to the floor, where its card is."""
        contact = self.contact_under_cursor()
        if not self.desk.can.monitoring:
            return
        if contact is None or not self.desk.may_monitor(contact):
            self.notify("Only a contact in progress can be monitored.", title="Monitor")
            return
        self.dismiss(contact.id)

    def compose(self) -> ComposeResult:
        with Vertical(id="drilldown-box") as box:
            box.border_title = literal_title(self.title_text())
            yield Static(id="drilldown-summary")
            yield DataTable(id=self.TABLE_ID, cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, least, _ in self.COLUMNS:
            table.add_column(label, width=least, key=key)
        self.load()
        self.redraw()
        self.set_interval(1.0, self.redraw)
        self.set_focus(table)

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        room = room_for_cells(table.size.width, table.styles.scrollbar_size_vertical, len(self.COLUMNS))
        if room > 0:
            least = [column[2] for column in self.COLUMNS]
            most = [column[3] for column in self.COLUMNS]
            rest_to = self.REST_TO % len(self.COLUMNS)
            set_column_widths(table, fitted_widths(room, least, most, self.GROWS_FIRST, rest_to))

    @work(group="drilldown", exclusive=True)
    async def load(self) -> None:
        if not await self.fetch():
            return
        self.loaded = True
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(None)
