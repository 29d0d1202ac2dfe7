"""Finding a customer in the CRM by hand: by name, phone, email or account number (a withheld
caller says who they are; a refused write is attached to the right customer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Customer
from agent_desktop.ui.agent.callers.customer_picker import _label as customer_label
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Search = Callable[[str], Awaitable[list[Customer]]]


class CustomerSearch(OverlayScreen[str | None]):
    """Dismisses with the chosen customer's id (None: cancelled). `search` is the CRM's, run in a worker."""

    OVERLAY_NAME = "The customer search"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "../dialog_box.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_results", "Matches", show=False)]

    def __init__(self, search: Search, title: str = "Find the customer in the CRM") -> None:
        super().__init__()
        self.search = search
        self.found: list[Customer] = []
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal_title(self.title_text)
            box.border_subtitle = "enter searches · ↓ to the matches, enter picks · escape cancels"
            yield Input(placeholder="Name, phone, email or account number", id="customer-query", max_length=200)
            yield OptionList(id="search-results")
            yield Static("", id="search-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False
        self.set_focus(self.query_one(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        if query:
            self._hint("Searching…")
            self.run_search(query)
        else:
            self._hint("Type a name, a phone number, an email or an account number.")

    @work(exclusive=True, group="customer-search")
    async def run_search(self, query: str) -> None:
        try:
            found = await self.search(query)
        except BackendError as error:
            self._hint(f"The CRM did not answer the search: {error.message}", "bold $error")
            return
        results = self.query_one(OptionList)
        results.clear_options()
        self.found = found  # options keyed by position: a CRM may answer two records with one id
        results.add_options(Option(customer_label(c)) for c in found)
        results.display = bool(found)
        if found:
            results.highlighted = 0
            self._hint(f"{len(found)} found: ↓ (or tab), then enter picks one.")
        else:
            self._hint("No customer matches. Try another spelling, or escape and fill in a new customer (p).")

    def _hint(self, text: str, style: str = "dim") -> None:
        self.query_one("#search-hint", Static).update(plain(text, style))

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.display and self.focused is not results:
            self.set_focus(results)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[event.option_index].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
