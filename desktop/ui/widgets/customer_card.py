"""The screen pop: who is calling, their open cases and recent history, before the agent answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from desktop.backends.models import CustomerRecord
from desktop.text import one_line
from desktop.ui.plain_text import cell, plain


class CustomerCard(Vertical):
    """Shows one of: nothing yet, a lookup under way, a customer record, or a new caller."""

    BORDER_TITLE = "Customer"

    def compose(self) -> ComposeResult:
        yield Static(id="customer-summary")
        yield Static("Open cases", classes="section-title record-part")
        yield Static(id="customer-cases", classes="record-part")
        yield Static("Recent interactions", classes="section-title record-part")
        yield DataTable(id="customer-history", cursor_type="row", zebra_stripes=True, classes="record-part")

    def on_mount(self) -> None:
        history = self.query_one("#customer-history", DataTable)
        for label, width in (("When", 10), ("Channel", 7), ("Disposition", 22), ("Notes", 80)):
            history.add_column(label, width=width)
        self.show_message("The caller's record appears here when a contact is offered.")

    def _set_summary(self, content: Content) -> None:
        self.query_one("#customer-summary", Static).update(content)

    def _clear_record(self) -> None:
        """No earlier caller's cases or history may linger on screen."""
        self.set_class(False, "-has-record")
        self.query_one("#customer-cases", Static).update("")
        self.query_one("#customer-history", DataTable).clear()

    def show_message(self, message: str) -> None:
        self._clear_record()
        self._set_summary(Content.styled(message, "dim"))

    def show_searching(self, address: str) -> None:
        self.show_message(f"Looking up {address} in the CRM…")

    def show_new_caller(self, address: str) -> None:
        self._clear_record()
        self._set_summary(
            Content.assemble(
                ("New caller", "bold"),
                "  ",
                plain(address),
                ("\nNo CRM record matches this address; one is created at wrap-up.", "dim"),
            )
        )

    def show_record(self, record: CustomerRecord, match_count: int = 1) -> None:
        customer = record.customer
        self.border_title = "Customer"
        matched = record.matched_on
        mark = ("  ✓ matched", "bold $success")
        summary: list[Content | str | tuple[str, str]] = [plain(customer.name, "bold")]
        badges = [b for b in (customer.tier, customer.language and customer.language.upper()) if b]
        if badges:
            summary += ["   ", plain(" · ".join(badges), "$accent")]
        if customer.account_number:
            summary += [("   account ", "dim"), plain(customer.account_number)]
        for phone in customer.phones[:2]:
            summary += ["\n☎ ", plain(phone)]
            if matched == "phone":
                summary.append(mark)
                matched = None  # mark the first only: the backend matched one number
        for email in customer.emails[:2]:
            summary += ["\n✉ ", plain(email)]
            if matched == "email":
                summary.append(mark)
                matched = None
        if customer.consent_marketing is not None:
            summary += [("\nMarketing consent: ", "dim"), "yes" if customer.consent_marketing else "no"]
        if match_count > 1:
            summary += [(f"\n{match_count} customers match this address; showing the first.", "$warning")]
        self._set_summary(Content.assemble(*summary))

        open_cases = [case for case in record.cases if case.status.lower() != "closed"]
        lines: list[Content | str | tuple[str, str]] = []
        for case in open_cases[:4]:
            if lines:
                lines.append("\n")
            lines += [
                plain(case.id, "dim"),
                "  ",
                plain(one_line(case.subject, 34)),
                "  ",
                plain(case.status, "bold"),
                "  ",
                plain(case.priority, "$warning" if case.priority in ("high", "urgent") else ""),
            ]
        cases = self.query_one("#customer-cases", Static)
        cases.update(Content.assemble(*lines) if lines else Content.styled("No open cases", "dim"))

        history = self.query_one("#customer-history", DataTable)
        history.clear()
        for interaction in record.interactions[:10]:
            history.add_row(
                cell((interaction.ended_at or interaction.created_at).strftime("%Y-%m-%d")),
                cell(interaction.channel.value),
                cell(interaction.disposition or "", limit=22),
                cell(interaction.notes or "", limit=200),
            )
        self.set_class(True, "-has-record")
