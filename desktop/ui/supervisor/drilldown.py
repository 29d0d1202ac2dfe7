"""What the supervisor's drill-downs share: a titled table of contacts, loaded once from the
console, then kept live from the floor and redrawn every second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from desktop.backends.errors import BackendError
from desktop.backends.models import Contact
from desktop.backends.supervisor_protocol import SupervisorConsole
from desktop.staffing.floor import Floor
from desktop.vocabulary import TALKING
from desktop.ui.plain_text import literal_title, plain
from desktop.ui.supervisor.refusals import refusal_words
from desktop.ui.shared.footer import KeyFooter


class Drilldown(ModalScreen[None]):
    CSS_PATH = "drilldown.tcss"
    COLUMNS: tuple[tuple[str, str, int], ...] = ()  # (label, key, width)
    TABLE_ID = ""
    LOAD_TITLE = ""  # the title of the toast when loading fails

    def __init__(
        self,
        console: SupervisorConsole,
        floor: Floor,
        clock: Callable[[], datetime],
        monitor: Callable[[str], None] | None = None,
    ) -> None:
        """`monitor`: joins a contact (the supervisor screen's), None on a contact center that cannot monitor."""
        super().__init__()
        self.console = console
        self.floor = floor
        self.clock = clock
        self._monitor = monitor
        self.loaded = False

    def title_text(self) -> str:
        """The box's title (names from the backend in it are shown literally)."""
        raise NotImplementedError

    async def fetch(self) -> list[Contact]:
        raise NotImplementedError

    def loaded_contacts(self, contacts: list[Contact]) -> None:
        """Keep what `fetch` returned, before the first full redraw."""
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
        return self._monitor is not None if action == "monitor_contact" else True

    def action_monitor_contact(self) -> None:
        """Join the contact under the cursor, if it is in progress; back to the floor, where its card is."""
        contact = self.contact_under_cursor()
        if self._monitor is None:
            return
        if contact is None or contact.state not in TALKING:
            self.notify("Only a contact in progress can be monitored.", title="Monitor")
            return
        self._monitor(contact.id)
        self.dismiss(None)

    def compose(self) -> ComposeResult:
        with Vertical(id="drilldown-box") as box:
            box.border_title = literal_title(self.title_text())
            yield Static(id="drilldown-summary")
            yield DataTable(id=self.TABLE_ID, cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in self.COLUMNS:
            table.add_column(label, width=width, key=key)
        self.load()
        self.redraw()
        self.set_interval(1.0, self.redraw)
        self.set_focus(table)

    @work(group="drilldown", exclusive=True)
    async def load(self) -> None:
        try:
            contacts = await self.fetch()
        except BackendError as error:
            self.notify(plain(refusal_words(error)), title=self.LOAD_TITLE, severity="error")
            return
        self.loaded_contacts(contacts)
        self.loaded = True
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(None)
