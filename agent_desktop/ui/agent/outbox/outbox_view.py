"""What the desktop still has to write to the CRM, what it wrote, and what the CRM refused — with the
keys that fix a refused write and send it again (agent_desktop/outbox/fixes.py), a transcript too big for the
CRM included (cut to half, or left out: the disposition and notes still go)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.wrap_up.written_rows import FixName, WrittenRow
from agent_desktop.ui.plain_text import cell, plain, toast
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

STATE_STYLES = {"pending": "bold $warning", "sent": "$success", "failed": "bold $error"}


@dataclass(frozen=True)
class OutboxFix:
    """A refused write the agent chose to fix, and how."""

    key: str
    fix: FixName


class OutboxView(OverlayScreen[OutboxFix | None]):
    """Dismisses with the fix chosen for a failed entry, or None."""

    OVERLAY_NAME = "The CRM outbox"

    ATTENTION = OverlayKind.VIEW

    CSS_PATH = "../dialog_box.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("enter", "fix('resend')", "Resend failed"),
        Binding("f", "fix('attach')", "Attach to a customer"),
        Binding("u", "fix('unattributed')", "Send with no customer"),
        Binding("c", "fix('cut')", "Cut transcript"),
        Binding("w", "fix('no_transcript')", "No transcript"),
    ]

    def __init__(self, entries: list[WrittenRow]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = "CRM outbox"
            box.border_subtitle = "enter resend · f attach · u no customer · c cut transcript · w no transcript · esc"
            yield DataTable(id="outbox-table", cursor_type="row")
            yield Static(id="outbox-detail", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("State", 8), ("Saved", 8), ("What", 11), ("Contact", 34), ("Tries", 5), ("Result", 14)):
            table.add_column(label, width=width)
        for entry in self.entries:
            table.add_row(
                cell(entry.state, STATE_STYLES[entry.state]),
                cell(entry.saved_at.astimezone().strftime("%H:%M:%S")),
                cell(entry.what),
                cell(entry.label, limit=34),
                cell(str(entry.tries)),
                cell(entry.result, limit=60),
                key=entry.key,
            )
        if not self.entries:
            self.query_one("#outbox-detail", Static).update(plain("Nothing written yet.", "dim"))
        self.set_focus(table)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        entry = next((e for e in self.entries if e.key == event.row_key.value), None)
        if entry is not None:
            self.query_one("#outbox-detail", Static).update(plain(entry.detail, "dim"))

    def action_fix(self, fix: FixName) -> None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row is None:
            return
        entry = self.entries[table.cursor_row]
        if fix in entry.fixes:
            self.dismiss(OutboxFix(entry.key, fix))
        elif entry.state == "failed":
            toast(self, plain(f"Not for this write: {entry.fix_hint}"), severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
