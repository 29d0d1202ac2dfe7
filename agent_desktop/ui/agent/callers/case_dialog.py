"""Opening a case from the current contact, or linking the contact to one of the caller's open cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Case
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


@dataclass(frozen=True)
class CaseChoice:
    action: Literal["create", "link"]
    subject: str = ""
    case_id: str = ""


class CaseDialog(OverlayScreen[CaseChoice | None]):
    OVERLAY_NAME = "The case dialog"
    ATTENTION = OverlayKind.DIALOG
    CSS_PATH = "../dialog_box.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, open_cases: list[Case], customer_name: str) -> None:
        super().__init__()
        self.open_cases = open_cases
        self.customer_name = customer_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = literal_title(f"Case for {one_line(self.customer_name, 50)}")
            box.border_subtitle = "enter chooses · escape cancels"
            # keyed by position (first: a new case): a case id may repeat, or even read like a key of ours
            options = [Option(Content.styled("＋ Open a new case from this contact", "bold"))]
            options += [
                Option(
                    Content.assemble(
                        ("Link to ", "dim"),
                        plain(case.id, "bold"),
                        "  ",
                        plain(one_line(case.subject, 40)),
                        "  ",
                        plain(case.status, "dim"),
                        "  ",
                        plain(case.priority, "dim"),
                    ),
                )
                for case in self.open_cases
            ]
            yield OptionList(*options, id="case-options")
            yield Input(placeholder="Subject of the new case, then enter", id="case-subject", max_length=200)
            yield Static("", id="case-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#case-subject", Input).display = False
        self.set_focus(self.query_one(OptionList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index == 0:
            subject = self.query_one("#case-subject", Input)
            subject.display = True
            self.set_focus(subject)
        else:
            self.dismiss(CaseChoice("link", case_id=self.open_cases[event.option_index - 1].id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        subject = event.value.strip()
        if not subject:
            self.query_one("#case-hint", Static).update(plain("A subject is needed.", "bold $error"))
            return
        self.dismiss(CaseChoice("create", subject=subject))

    def action_cancel(self) -> None:
        self.dismiss(None)
