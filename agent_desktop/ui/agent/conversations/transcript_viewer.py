"""A past chat's, SMS's or email's transcript, read-only, opened from the History tab (enter on a row
marked ☰). Everything in it came from a customer or the CRM: shown literally."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.models import Interaction
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

ROLE_STYLES = {"customer": "bold $accent", "agent": "bold $success", "supervisor": "bold $warning", "system": "dim"}


def transcript_content(interaction: Interaction) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    for line in interaction.transcript:
        if parts:
            parts.append("\n\n" if line.role != "system" else "\n")
        if line.role == "system":
            parts += [(f"— {line.at:%H:%M} ", "dim"), plain(line.text, "dim italic")]
            continue
        parts += [plain(line.name, ROLE_STYLES.get(line.role, "bold")), (f"  {line.at:%Y-%m-%d %H:%M}", "dim"), "\n"]
        parts.append(plain(line.text))
    if interaction.private_notes:
        parts += ["\n\n", ("Private notes (never sent to the customer)", "bold $warning")]
        for note in interaction.private_notes:
            parts += ["\n• ", plain(note, "italic")]
    return Content.assemble(*parts) if parts else Content.styled("No messages were kept.", "dim")


class TranscriptViewer(OverlayScreen[None]):
    OVERLAY_NAME = "The past transcript"
    ATTENTION = OverlayKind.VIEW
    CSS_PATH = "transcript_viewer.tcss"
    BINDINGS = [Binding("escape", "close", "Close"), Binding("q", "close", "Close", show=False)]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__()
        self.interaction = interaction

    def compose(self) -> ComposeResult:
        interaction = self.interaction
        when = (interaction.ended_at or interaction.created_at).strftime("%Y-%m-%d %H:%M")
        with Vertical(id="viewer-box") as box:
            box.border_title = literal_title(f"{interaction.channel.value} of {when} · {interaction.disposition or ''}")
            box.border_subtitle = "↑ ↓ page up/down scroll · escape closes"
            with VerticalScroll(id="viewer-scroll"):
                yield Static(transcript_content(interaction), id="viewer-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#viewer-scroll"))

    def action_close(self) -> None:
        self.dismiss(None)
