"""What to do with an expert: message, consult or transfer — and, when they are not free,
a warning with the next best available person offered first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Expert
from agent_desktop.ui.agent.experts.presence_labels import presence_words, status_beyond
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

ActionKind = Literal["message", "consult", "transfer"]


@dataclass(frozen=True)
class ExpertAction:
    kind: ActionKind
    expert: Expert


def _who(expert: Expert) -> Content:
    status = status_beyond(expert.presence)
    text = f"{one_line(expert.name, 40)}  {presence_words(expert.presence)}"
    return plain(f"{text} — {one_line(status, 40)}" if status else text)


class ExpertActions(OverlayScreen[ExpertAction | None]):
    OVERLAY_NAME = "The expert's actions"
    ATTENTION = OverlayKind.PICKER
    CSS_PATH = "expert_actions.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, expert: Expert, alternative: Expert | None, transfer_blocked: str | None) -> None:
        """`transfer_blocked` says why consult and transfer are not possible now (None: they are)."""
        super().__init__()
        self.expert = expert
        self.alternative = alternative
        self.transfer_blocked = transfer_blocked
        self._actions: list[ExpertAction] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="expert-actions-box") as box:
            box.border_title = "Expert"
            yield Static(_who(self.expert), id="expert-actions-who")
            if not self.expert.presence.availability.is_free:
                if self.alternative is not None:
                    skills = one_line(", ".join(self.alternative.skills), 40)
                    warning = (
                        f"⚠ {one_line(self.expert.name, 40)} is not available. Next best available: "
                        f"{one_line(self.alternative.name, 40)} ({presence_words(self.alternative.presence)}; {skills})."
                    )
                else:
                    warning = f"⚠ {one_line(self.expert.name, 40)} is not available, and nobody free has their skills."
                yield Static(plain(warning), id="expert-actions-warning")
            yield OptionList(*self._options(), id="expert-actions-list")

    def _options(self) -> list[Option]:
        options: list[Option] = []
        if self.expert.presence.availability.is_free or self.alternative is None:
            people = [(self.expert, "")]
        else:
            people = [(self.alternative, " instead"), (self.expert, " anyway")]
        for person, suffix in people:
            name = one_line(person.name, 40)
            blocked = self.transfer_blocked or (None if person.address else "no address to reach them")
            for kind, label in (
                ("message", f"Message {name}{suffix}…"),
                ("consult", f"Consult {name}{suffix}"),
                ("transfer", f"Transfer to {name}{suffix}"),
            ):
                disabled = kind != "message" and blocked is not None
                text = f"{label}  ({blocked})" if disabled else label
                options.append(Option(plain(text), id=str(len(self._actions)), disabled=disabled))
                self._actions.append(ExpertAction(kind, person))  # type: ignore[arg-type]
        return options

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._actions[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
