"""Scheduling a callback the agent owns: date, time, time zone and a line for whoever calls. What the
desk or the contact center refuses is said here, under the fields, and nothing typed is lost; saved, it closes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.callbacks.callback_rules import CallbackDraft
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Submit = Callable[[CallbackDraft], Awaitable[str | None]]  # None: scheduled; else why not, in words


class CallbackDialog(OverlayScreen[bool]):
    """Returns True once the callback is scheduled, False when the agent cancels."""

    OVERLAY_NAME = "The callback dialog"

    ATTENTION = OverlayKind.DIALOG

    CSS_PATH = "callback_dialog.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Schedule", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, draft: CallbackDraft, who: str, submit: Submit) -> None:
        super().__init__()
        self.draft = draft
        self.who = who
        self._submit = submit

    def compose(self) -> ComposeResult:
        draft = self.draft
        # Kept, not queried: what the agent typed is read back from them, and stays there when refused.
        self.fields = {
            "day": Input(draft.day, placeholder="YYYY-MM-DD", id="callback-day"),
            "at": Input(draft.at, placeholder="HH:MM", id="callback-at"),
            "zone": Input(draft.zone, placeholder="Europe/Paris", id="callback-zone"),
            "note": Input(draft.note, placeholder="what the call is about", max_length=500, id="callback-note"),
        }
        self.error = Static("", id="callback-error")
        with Vertical(id="callback-box") as box:
            box.border_title = "Schedule a callback"
            box.border_subtitle = "enter/ctrl+s schedule · esc cancel"
            yield Static(plain(self.who), id="callback-who")
            with Horizontal(classes="callback-row"):
                yield Label("Date", classes="callback-label")
                yield self.fields["day"]
                yield Label("Time", classes="callback-label")
                yield self.fields["at"]
            for name, label in (("zone", "Zone"), ("note", "Note")):
                with Horizontal(classes="callback-row"):
                    yield Label(label, classes="callback-label")
                    yield self.fields[name]
            yield self.error

    def on_mount(self) -> None:
        self.set_focus(self.fields["day"])

    def typed(self) -> CallbackDraft:
        return CallbackDraft(**{name: field.value for name, field in self.fields.items()})

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self._save(self.typed())

    @work(exclusive=True, group="callback-save")
    async def _save(self, draft: CallbackDraft) -> None:
        refusal = await self._submit(draft)
        if refusal is None:
            self.dismiss(True)
            return
        self.error.update(plain(refusal, "bold $error"))

    def action_cancel(self) -> None:
        self.dismiss(False)
