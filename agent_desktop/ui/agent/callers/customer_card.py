"""The screen pop: who is calling, then cases, history, orders, account and profile in tabs (keys 1–5);
a tab the CRM cannot fill (no orders, no billing: `CrmCapabilities`) is not there at all.

The tabs are one line-API widget (`CardTabs`): a record's rows are handed over as text, and only the tab in front
is laid out and painted, line by line, instead of filling three `DataTable`s and two `Static`s."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Unpack

from textual import on
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from agent_desktop.agent_desk.callers.lookups import CallerLookup
from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage
from agent_desktop.domain.formats.date_format import shown_date
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Customer, CustomerRecord
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.ui.agent.callers import timeline_rows
from agent_desktop.ui.agent.callers.card_tab import Cell, Tab
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.agent.callers.new_caller_form import NewCallerForm
from agent_desktop.ui.lines import Column
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

TABS = ["cases", "history", "orders", "account", "profile"]  # by key: 1–5
MATCH_MARK = ("  ✓ matched", "bold $success")
NAME_LIMIT = 100  # a 10 kB name must not push the record off the card (the profile tab shows more)
SUMMARY_LINES = 4  # the summary's least height: a record's name, phones and account, email, consent (_set_summary)
# A summary this tall keeps its height for a shorter one (a taller one shrinks back). Six: a record with two phones,
# an account and "do not call" wraps to six lines on the desk's card at 120 columns, and at five every such
# caller laid the screen out twice (grown, then shrunk for the next), a third of the offers in bench_attention.
SUMMARY_KEPT_LINES = 6


def _yes_no(value: bool | None) -> str:
    return "?" if value is None else ("yes" if value else "no")


def _money(amount: float | None, currency: str) -> str:
    return "—" if amount is None else f"{amount:,.2f} {currency}"


class CustomerCard(Vertical):
    """Shows one of: nothing yet, a lookup under way, several matches, a record, or a new caller."""

    class TranscriptWanted(Message):
        """Enter on a past chat, SMS or email in the History tab: the screen opens its transcript."""

        def __init__(self, interaction_id: str) -> None:
            super().__init__()
            self.interaction_id = interaction_id

    class TimelineWanted(Message):
        """The record is painted: its customer's timeline may be asked for now (`older`: enter on the History tab's
        last line, the next, older page)."""

        def __init__(self, older: bool = False) -> None:
            super().__init__()
            self.older = older

    BORDER_TITLE = "Customer"

    def __init__(self, capabilities: CrmCapabilities | None = None, **kwargs: Unpack[WidgetOptions]) -> None:
        super().__init__(**kwargs)
        self.capabilities = capabilities or CrmCapabilities()
        # When a record was last drawn on screen (time.time(), after the refresh), and whose: the
        # screen-pop benchmark reads these.
        self.rendered_at: float | None = None
        self.rendered_customer_id: str | None = None
        self.history: list[TimelineItem | None] = []  # what the History tab's rows stand for, in order
        self._record: CustomerRecord | None = None  # the record drawn, and its timeline's pages drawn with it
        self._timeline: tuple[TimelinePage | None, str | None] = (None, None)
        self.agent_names: dict[str, str] = {}  # who an agent id in the history is (set by the screen: attributes down)
        self._record_shown: bool | None = None
        self._cleared = False  # no record, form or table rows on the card
        self._success: tuple[str, Color] | None = None  # (theme, its success colour) for the record's border
        self._summary: tuple[Content, bool, bool] | None = None  # what the summary shows, exact, a record's
        self._shown_lookup: tuple[str | None, int | None] | None = None  # the contact and lookup version drawn
        self._summary_line = Static(id="customer-summary")
        self.new_caller_form = NewCallerForm(id="new-caller")
        self._tabs_widget = CardTabs(self._tabs(), id="customer-tabs")

    def compose(self) -> ComposeResult:
        yield self._summary_line
        yield self.new_caller_form
        self._tabs_widget.border_title = "Customer card"  # not drawn (no border): the help's name for the keys it takes
        yield self._tabs_widget

    def _tabs(self) -> list[Tab]:
        def columns(*spec: tuple[str, int]) -> tuple[Column, ...]:
            return tuple(Column(label, width) for label, width in spec)

        tabs = [
            Tab(
                "cases",
                "1 Cases",
                columns(("Case", 11), ("Subject", 26), ("Status", 7), ("Priority", 8), ("Owner", 18)),
            ),
            # Notes before queue and agent: what was said matters most to the next agent.
            # The customer's timeline: consent first, then everything newest first (timeline_rows.py).
            Tab("history", "2 History", timeline_rows.COLUMNS, zebra=True),
        ]
        if self.capabilities.orders:
            # The status beside the date, where the card's 62 columns show it whole (it was cut to "plac" at the right).
            spec = (("Placed", 10), ("Status", 9), ("Item", 20), ("Qty", 3), ("Total", 10), ("Order", 11))
            tabs.append(Tab("orders", "3 Orders", columns(*spec), zebra=True))
        if self.capabilities.billing:
            tabs.append(Tab("account", "4 Account"))
        tabs.append(Tab("profile", "5 Profile"))
        return tabs

    def on_mount(self) -> None:
        self.new_caller_form.display = False
        self.show_message("The caller's record appears here when a contact is offered.")

    # --- what the screen sets ---------------------------------------------------

    def show_lookup(self, contact_id: str | None, lookup: CallerLookup | None) -> None:
        """The popped contact's caller, as the CRM's lookup of them stands. Drawn only when the contact or its
        lookup's version changes: a redraw rebuilds the history table and would throw away where the agent had
        scrolled to."""
        shown = (contact_id, lookup.version if lookup is not None else None)
        if shown == self._shown_lookup:
            return
        same_contact = self._shown_lookup is not None and self._shown_lookup[0] == contact_id
        self._shown_lookup = shown
        if same_contact and lookup is not None and lookup.record is not None and lookup.record is self._record:
            self.show_timeline(lookup.timeline, lookup.timeline_error)  # only its timeline came: where the agent is
            return
        if lookup is None:
            self.show_message("The caller's record appears here when a contact is offered.")
        elif lookup.error:
            self.show_message(f"CRM lookup failed: {lookup.error}")
        elif lookup.record is not None:
            self.show_record(lookup.record, lookup.match_count, lookup.timeline, lookup.timeline_error)
        elif lookup.candidates:
            self.show_choices(lookup.candidates, lookup.matched_on)
        elif lookup.colleague is not None:
            self.show_colleague(lookup.colleague)
        elif lookup.withheld:
            self.show_withheld(contact_id)
        elif lookup.done:
            self.show_new_caller(lookup.address, contact_id)
        elif lookup.waiting:
            self.show_message(lookup.waiting)
        else:
            self.show_searching(lookup.address)

    @on(CardTabs.RowSelected)
    def _row_selected(self, event: CardTabs.RowSelected) -> None:
        event.stop()
        if event.tab != "history" or event.row >= len(self.history):
            return
        item = self.history[event.row]
        if item is None:
            if event.row and event.row == len(self.history) - 1 and self._timeline[0] is not None:
                self.post_message(self.TimelineWanted(older=True))  # the "older" line
        elif item.transcript_count and item.interaction_id:
            self.post_message(self.TranscriptWanted(item.interaction_id))
        elif item.interaction_id:
            self.app.notify("Nothing was kept of this contact but its notes.", title="History", timeout=3)

    @property
    def tabs(self) -> CardTabs:
        return self._tabs_widget

    def show_tab(self, number: int, *, focus: bool = False) -> None:
        """Switch to tab `number` (1–5). With `focus` (the agent pressed its key) the tabs take the keys, so
        arrows, page keys and end move through a table or scroll a long record (20 kB of notes); escape, the
        screen's key, gives them back to the contacts."""
        key = TABS[number - 1]
        tabs = self.tabs
        if key not in tabs.tabs:
            return  # not in this CRM (the key does not apply either: agent_desktop/agent_desk/commands.py)
        tabs.show(key)
        if focus:
            self.call_after_refresh(self.screen.set_focus, tabs)  # once the pane is displayed

    def _show_record_parts(self, shown: bool) -> None:
        """A green border while a record is shown (the tabs draw nothing without one). Not by a class on the card:
        a class change restyles the card's whole subtree. The same kind of edge as the stylesheet's: Textual
        lays the screen out again only when a border's spacing changes."""
        if shown == self._record_shown:
            return
        self._record_shown = shown
        if shown:
            self.styles.border = ("round", self._success_colour())
        else:
            for edge in ("border_top", "border_right", "border_bottom", "border_left"):
                self.styles.clear_rule(edge)
            self.refresh()

    def _success_colour(self) -> Color:
        """The theme's success colour (working out the theme's variables costs a millisecond: once per theme)."""
        theme = self.app.theme
        if self._success is None or self._success[0] != theme:
            self._success = (theme, Color.parse(self.app.get_css_variables()["success"]))
        return self._success[1]

    def _set_summary(self, content: Content, *, exact: bool = True, record: bool = False) -> None:
        """The caller's lines at the top. Their widget's height is set only when it must change, so that a screen
        pop lays nothing out again. A record's summary (`record`) takes at least `SUMMARY_LINES` lines and keeps a
        taller height up to `SUMMARY_KEPT_LINES`, so that the tabs under it stay where they are from one caller to
        the next: a pop that laid the screen out cost about half its CPU, and half the pops did, as records of
        four and five lines (two phones and an account wrap at the card's 62 columns) followed one another
        (timeline_screen_pop), and again with five and six ("do not call" too) on the offer's path (bench_attention). Other summaries take the lines they wrap to; with `exact` False (a one-line
        message, nothing under it but the empty tabs) the height it had is kept."""
        self._summary = (content, exact, record)
        summary = self._summary_line
        width = summary.size.width
        if not width:  # not laid out yet: its stylesheet's `height: auto`, then fitted at the card's first resize
            summary.update(content)
            return
        lines = content.get_height(summary.styles, width)  # type: ignore[arg-type]  # Textual passes styles as its RulesMap
        if record:
            lines = max(SUMMARY_LINES, lines)
        height = summary.styles.height
        now = int(height.value) if height is not None and height.is_cells else None
        kept = record and now is not None and now <= SUMMARY_KEPT_LINES  # a record's steady height
        if now is None or lines > now or (exact and lines < now and not kept):
            summary.styles.height = lines  # asks for the layout
        summary.update(content, layout=False)

    def on_resize(self) -> None:
        if self._summary is not None:
            content, exact, record = self._summary
            self._set_summary(content, exact=exact, record=record)  # as many lines as it wraps to at the new width

    def _clear_record(self) -> None:
        """No earlier caller's cases, history or orders may linger on screen."""
        self.rendered_customer_id = None
        if self._cleared:
            return  # nothing to clear: a clear still refreshes every table (a screen pop waits on that)
        self._cleared = True
        self._show_record_parts(False)
        self.tabs.fill({})
        self.history, self._record, self._timeline = [], None, (None, None)
        self.new_caller_form.display = False

    def show_message(self, message: str) -> None:
        self._clear_record()
        self._set_summary(Content.styled(message, "dim"), exact=False)

    def show_searching(self, address: str) -> None:
        self.show_message(f"Looking up {one_line(shown_phone(address), 80)} in the CRM…")

    def show_new_caller(self, address: str, contact_id: str | None = None) -> None:
        self._clear_record()
        self._set_summary(
            Content.assemble(
                ("New caller", "bold"),
                "  ",
                plain(one_line(shown_phone(address), 80)),
                ("\nNo CRM record matches. Fill in the form (p) to create one, or it is created at wrap-up.", "dim"),
            )
        )
        self._cleared = False
        form = self.new_caller_form
        form.prefill(address, contact_id)
        form.display = True

    def show_colleague(self, name: str) -> None:
        """A colleague called from the directory: no customer, nothing to look up or create."""
        self._clear_record()
        self.new_caller_form.display = False
        self._set_summary(
            Content.assemble(
                ("Colleague ", "bold"),
                plain(one_line(name, NAME_LIMIT), "bold"),
                (
                    "\nAn internal call: no customer to look up. Its wrap-up is written to the CRM with no customer.",
                    "dim",
                ),
            )
        )

    def show_withheld(self, contact_id: str | None = None) -> None:
        """A caller who hid their number: nothing to look up; the agent asks who they are."""
        self._clear_record()
        self._set_summary(
            Content.assemble(
                ("Caller withheld", "bold"),
                (
                    "\nf searches the CRM by name, phone, email or account; p fills in a new customer."
                    "\nWith neither, the interaction is written to the CRM with no customer.",
                    "dim",
                ),
            )
        )
        form = self.new_caller_form
        form.prefill("", contact_id)
        form.display = True

    def show_choices(self, customers: list[Customer], matched_on: str | None) -> None:
        self._clear_record()
        lines: list[Content | str | tuple[str, str]] = [
            (f"{len(customers)} customers match this {matched_on or 'address'}", "bold $warning"),
            ("  — p picks one", "dim"),
        ]
        for customer in customers[:4]:
            lines += ["\n• ", plain(one_line(customer.name, NAME_LIMIT), "bold")]
            if customer.account_number:
                lines += ["  ", plain(customer.account_number, "dim")]
        if len(customers) > 4:
            lines.append((f"\n… and {len(customers) - 4} more", "dim"))
        self._set_summary(Content.assemble(*lines))

    def show_record(
        self,
        record: CustomerRecord,
        match_count: int = 1,
        timeline: TimelinePage | None = None,
        error: str | None = None,
    ) -> None:
        self._clear_record()
        self._cleared = False
        customer = record.customer
        self._set_summary(self.summary_of(record, match_count), record=True)
        self._record, self._timeline = record, (timeline, error)
        tabs = self.tabs
        # Open cases matter most; without any, the history is the better first view.
        front = "cases" if any(case.is_open for case in record.cases) else "history"
        tabs.fill(self._contents(record), front=front)  # only the tab in front is made and laid out now
        self._show_record_parts(True)
        self.rendered_customer_id = customer.id
        self.call_after_refresh(self._mark_rendered, customer.id)

    def _mark_rendered(self, customer_id: str) -> None:
        if self.rendered_customer_id == customer_id:
            self.rendered_at = time.time()
            self.post_message(self.TimelineWanted())

    # --- the parts of a record ----------------------------------------------------

    @staticmethod
    def summary_of(record: CustomerRecord, match_count: int) -> Content:
        """The card's top lines for `record` (the screen-pop benchmark's reference floor paints the same)."""
        customer = record.customer
        matched = record.matched_on
        parts: list[Content | str | tuple[str, str]] = [plain(one_line(customer.name, NAME_LIMIT), "bold")]
        badges = [b for b in (customer.tier, customer.language and customer.language.upper(), customer.segment) if b]
        if badges:
            parts += ["   ", plain(one_line(" · ".join(badges), 40), "$accent")]
        parts.append("\n")
        for index, phone in enumerate(customer.phones[:2]):
            parts += [
                "   " if index else "",
                f"{CHANNEL_SYMBOLS[Channel.VOICE]} ",
                plain(one_line(shown_phone(phone), 20)),
            ]
            if matched == "phone":
                parts.append(MATCH_MARK)
                matched = None  # mark the first only: the backend matched one number
        if customer.account_number:
            parts += [("   account ", "dim"), plain(one_line(customer.account_number, 20))]
            if matched == "account":
                parts.append(MATCH_MARK)
        for email in customer.emails[:1]:
            parts += [f"\n{CHANNEL_SYMBOLS[Channel.EMAIL]} ", plain(one_line(email, 60))]
            if matched == "email":
                parts.append(MATCH_MARK)
        open_cases = sum(case.is_open for case in record.cases)
        parts += [
            ("\nConsent ", "dim"),
            # Both follow-up channels' consent (an email needs marketing consent: domain/messages/follow_up_consent.py).
            f"SMS {_yes_no(customer.consent_sms)} · email/marketing {_yes_no(customer.consent_marketing)} · "
            f"recording {_yes_no(customer.consent_recording)}",
            ("   open cases ", "dim"),
            (str(open_cases), "bold $warning" if open_cases else ""),
        ]
        if customer.do_not_call:
            parts.append(("   ⚠ do not call", "bold $error"))
        if match_count > 1:
            parts.append((f"\n{match_count} customers match; p picks another.", "$warning"))
        return Content.assemble(*parts)

    def show_timeline(self, timeline: TimelinePage | None, error: str | None = None) -> None:
        """A page of the customer's timeline came for the record shown: the History tab takes it where the agent
        left it (its other tabs, and the cursor, stay)."""
        if self._record is None or self._timeline == (timeline, error):
            return
        self._timeline = (timeline, error)
        self.tabs.refill("history", self._history_tab)

    def _history_tab(self) -> Tab:
        """The History tab: the timeline, its cursor on the newest item (the consent line above it)."""
        if self._record is None:
            return Tab("history", "")
        view = timeline_rows.timeline_view(self._record, *self._timeline, agent_names=self.agent_names)
        self.history = view.items
        return Tab("history", "", rows=view.rows, cursor=1 if len(view.rows) > 1 else 0)

    def _contents(self, record: CustomerRecord) -> dict[str, Callable[[], Tab]]:
        """Each tab's content, made when the tab is first shown or read (the tab in front at once)."""
        contents: dict[str, Callable[[], Tab]] = {
            "cases": lambda: Tab("cases", "", rows=self._case_rows(record)),
            "history": self._history_tab,
        }
        if self.capabilities.orders:
            contents["orders"] = lambda: Tab("orders", "", rows=self._order_rows(record))
        if self.capabilities.billing:
            contents["account"] = lambda: self._account(record)
        contents["profile"] = lambda: Tab("profile", "", fields=self._profile(record.customer))
        return contents

    @staticmethod
    def _case_rows(record: CustomerRecord) -> list[tuple[Cell, ...]]:
        rows: list[tuple[Cell, ...]] = []
        for case in sorted(record.cases, key=lambda c: not c.is_open)[:30]:
            rows.append(
                (
                    _cell(case.id),
                    _cell(case.subject, limit=60),
                    _cell(case.status, "bold" if case.is_open else "dim"),
                    _cell(case.priority, "warning" if case.priority in ("high", "urgent") else ""),
                    _cell(case.owner or "", limit=30),
                )
            )
        return rows

    @staticmethod
    def _order_rows(record: CustomerRecord) -> list[tuple[Cell, ...]]:
        return [
            (
                _cell(shown_date(order.placed_at)),
                _cell(order.status),
                _cell(order.item, limit=40),
                _cell(str(order.quantity)),
                _cell(_money(order.total, order.currency)),
                _cell(order.id),
            )
            for order in record.orders
        ]

    @staticmethod
    def _account(record: CustomerRecord) -> Tab:
        account = record.account
        if account is None:
            return Tab("account", "", message="No account on record.")
        return Tab(
            "account",
            "",
            fields=[
                ("Account", account.number),
                ("Plan", account.plan),
                ("Status", account.status),
                ("Customer since", shown_date(account.opened_on)),
                ("Balance due", _money(account.balance, account.currency)),
                ("Last bill", _money(account.last_bill_amount, account.currency)),
                ("Next bill", shown_date(account.next_bill_on) if account.next_bill_on else "—"),
                ("Pays with", f"{account.payment_method or '—'}{'  (autopay)' if account.autopay else ''}"),
            ],
        )

    @staticmethod
    def _profile(customer: Customer) -> list[tuple[str, str]]:
        return [
            ("Name", one_line(customer.name, 500)),
            ("Phones", ", ".join(map(shown_phone, customer.phones))),
            ("Emails", ", ".join(customer.emails)),
            ("Address", customer.address or "—"),
            ("Language", (customer.language or "—").upper()),
            ("Prefers", customer.preferred_channel.value if customer.preferred_channel else "—"),
            ("Best time", customer.contact_hours or "any"),
            ("Do not call", "yes" if customer.do_not_call else "no"),
            ("Notes", customer.notes or "—"),
        ]


def _cell(text: str | None, style: str = "", limit: int = 60) -> Cell:
    """A table cell: one literal line (control and invisible characters handled as everywhere: agent_desktop/domain/formats/text.py)."""
    return Cell(one_line(text, limit), style)
