"""Choosing which of several matching CRM customers is calling."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from desktop.backends.models import Customer
from desktop.text import one_line
from desktop.ui.plain_text import literal_title, plain


def _label(customer: Customer) -> Content:
    firsts = ((customer.phones or [""])[0], (customer.emails or [""])[0])
    details = " · ".join(x for x in (customer.account_number, *firsts, customer.tier) if x)
    return Content.assemble(plain(one_line(customer.name, 50), "bold"), "\n  ", plain(one_line(details, 70), "dim"))


class CustomerPicker(ModalScreen[str | None]):
    """Dismisses with the chosen customer's id (None: cancelled)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, customers: list[Customer], address: str) -> None:
        super().__init__()
        self.customers = customers
        self.address = address

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal_title(f"Who is calling from {one_line(self.address, 40)}?")
            box.border_subtitle = "enter picks · escape cancels"
            # keyed by position: a CRM may answer two records with one id (Textual refuses two options with one id)
            yield OptionList(*(Option(_label(c)) for c in self.customers), id="picker-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.customers[event.option_index].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
