"""Choosing which of several matching CRM customers is calling."""

from __future__ import annotations

from textual.content import Content

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Customer
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.choice_picker import ChoicePicker


def _label(customer: Customer) -> Content:
    firsts = (shown_phone((customer.phones or [""])[0]), (customer.emails or [""])[0])
    details = " · ".join(x for x in (customer.account_number, *firsts, customer.tier) if x)
    return Content.assemble(plain(one_line(customer.name, 50), "bold"), "\n  ", plain(one_line(details, 70), "dim"))


class CustomerPicker(ChoicePicker[str]):
    """Dismisses with the chosen customer's id (None: cancelled)."""

    CSS_PATH = "../dialog_box.tcss"

    def __init__(self, customers: list[Customer], address: str) -> None:
        # keyed by position: a CRM may answer two records with one id
        super().__init__(
            f"Who is calling from {one_line(address, 40)}?",
            [(c.id, _label(c)) for c in customers],
            subtitle="enter picks · escape cancels",
            box_id=None,
            box_classes="dialog-box",
            list_id="picker-options",
        )
        self.customers = customers
        self.address = address
