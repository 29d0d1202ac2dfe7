"""Choosing where a contact goes: a queue, an agent or an expert, blind or after a consult.

Keys: 1 queues, 2 agent (type its id), 3 experts (free first); b blind, c consult;
enter transfers to the highlighted target; escape cancels. The screen does the transfer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from desktop.backends.models import Channel, Contact, Expert, Queue, Target, TargetKind
from desktop.ui.plain_text import plain
from desktop.ui.presence_labels import PRESENCE_LABELS, PRESENCE_ORDER
from desktop.ui.widgets.footer import KeyFooter

TransferMode = Literal["blind", "consult"]


@dataclass(frozen=True)
class TransferChoice:
    target: Target
    mode: TransferMode
    note: str | None = None  # a chat's, SMS's or email's next agent reads it in the transcript


def experts_free_first(experts: list[Expert]) -> list[Expert]:
    return sorted(experts, key=lambda e: (PRESENCE_ORDER[e.presence.availability], e.name))


class TransferDialog(ModalScreen[TransferChoice | None]):
    CSS_PATH = "transfer_dialog.tcss"
    BINDINGS = [
        Binding("1", "kind('queue')", "Queues"),
        Binding("2", "kind('agent')", "Agent"),
        Binding("3", "kind('address')", "Experts"),
        Binding("b", "mode('blind')", "Blind"),
        Binding("c", "mode('consult')", "Consult"),
        Binding("n", "note", "Note"),
        Binding("enter", "transfer", "Transfer", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, contact: Contact, queues: list[Queue], experts: list[Expert]) -> None:
        super().__init__()
        self.contact = contact
        self.queues = queues
        self.experts = experts_free_first(experts)
        self.kind = TargetKind.QUEUE
        self.mode: TransferMode = "blind"

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-box") as box:
            box.border_title = "Transfer"
            yield Static(
                Content.assemble(("Transfer ", "dim"), plain(self.contact.from_address, "bold"), ("  from ", "dim"),
                                 plain(self.contact.queue_name)),
                id="transfer-contact",
            )
            with RadioSet(id="transfer-kind"):
                for kind, key in ((TargetKind.QUEUE, 1), (TargetKind.AGENT, 2), (TargetKind.ADDRESS, 3)):
                    yield RadioButton(Content(f"{key} {kind.label}"), value=kind == self.kind, id=f"kind-{kind.value}")
            yield OptionList(id="transfer-targets")
            yield Input(placeholder="Agent id, e.g. agent-003 — then enter", id="transfer-agent")
            with RadioSet(id="transfer-mode"):
                yield RadioButton("b Blind (leaves you now)", value=True, id="mode-blind")
                yield RadioButton("c Consult (caller holds)", id="mode-consult")
            yield Input(
                placeholder="n: a note for the next agent (in the transcript), then enter", id="transfer-note",
                max_length=1000,
            )
            yield Static(id="transfer-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        for radio_set in self.query(RadioSet):
            radio_set.can_focus = False  # keys choose; focus stays on the targets
        self.query_one("#transfer-note", Input).display = self.contact.channel != Channel.VOICE
        self._show_kind()

    # --- what is shown ---------------------------------------------------------

    def _show_kind(self) -> None:
        targets = self.query_one("#transfer-targets", OptionList)
        agent_input = self.query_one("#transfer-agent", Input)
        targets.clear_options()
        targets.display = self.kind != TargetKind.AGENT
        agent_input.display = self.kind == TargetKind.AGENT
        self.query_one(f"#kind-{self.kind.value}", RadioButton).value = True
        if self.kind == TargetKind.QUEUE:
            for queue in self.queues:
                here = ("  (this contact's queue)", "dim") if queue.id == self.contact.queue_id else ""
                targets.add_option(Option(Content.assemble(plain(queue.name, "bold"), here)))
        elif self.kind == TargetKind.ADDRESS:
            for expert in self.experts:
                symbol, word, style = PRESENCE_LABELS[expert.presence.availability]
                prompt = Content.assemble(
                    (f"{symbol} {word:<16}", style),
                    " ",
                    plain(expert.name, "bold"),
                    ("  ", ""),
                    plain(expert.department or "", "dim"),
                    ("" if expert.address else ("  no address", "italic $error")),
                )
                targets.add_option(Option(prompt, disabled=not expert.address))
        if self.kind == TargetKind.AGENT:
            self.screen.set_focus(agent_input)
        else:
            if targets.option_count:
                targets.highlighted = 0
            self.screen.set_focus(targets)
        self._show_hint()

    def _show_hint(self) -> None:
        what = {"blind": "Blind transfer", "consult": "Consult"}[self.mode]
        if self.kind == TargetKind.AGENT:
            # Letters go into the agent id here, so b / c cannot switch the mode: say so.
            hint = Content.assemble(
                ("enter ", "bold"), (f"{what} to the agent typed", ""), ("   (b / c before 2 set the mode)", "dim")
            )
        else:
            hint = Content.assemble(
                ("enter ", "bold"), (f"{what} to the highlighted {self.kind.label.lower()}", ""),
                ("   (b blind · c consult)", "dim"),
            )
        self.query_one("#transfer-hint", Static).update(hint)

    # --- keys ----------------------------------------------------------------------

    def action_kind(self, kind: str) -> None:
        self.kind = TargetKind(kind)
        self._show_kind()

    def action_mode(self, mode: TransferMode) -> None:
        self.mode = mode
        self.query_one(f"#mode-{mode}", RadioButton).value = True
        self._show_hint()

    def action_transfer(self) -> None:
        target = self.chosen_target()
        if target is None:
            self.query_one("#transfer-hint", Static).update(
                Content.styled("Choose a target first (an agent id, or one with an address).", "bold $error")
            )
            return
        note = self.query_one("#transfer-note", Input).value.strip() if self.contact.channel != Channel.VOICE else ""
        self.dismiss(TransferChoice(target, self.mode, note or None))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#transfer-agent")
    @on(Input.Submitted, "#transfer-note")
    def _agent_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_transfer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A note goes to a chat's, SMS's or email's next agent: no `n` for a call."""
        return not (action == "note" and self.contact.channel == Channel.VOICE)

    def action_note(self) -> None:
        note = self.query_one("#transfer-note", Input)
        if note.display:
            self.screen.set_focus(note)

    def chosen_target(self) -> Target | None:
        if self.kind == TargetKind.AGENT:
            agent_id = self.query_one("#transfer-agent", Input).value.strip()
            return Target(kind=TargetKind.AGENT, id=agent_id) if agent_id else None
        targets = self.query_one("#transfer-targets", OptionList)
        if targets.highlighted is None:
            return None
        option = targets.get_option_at_index(targets.highlighted)
        if option.disabled:
            return None
        # options are in the order of self.queues / self.experts (keyed by position: ids may repeat)
        if self.kind == TargetKind.QUEUE:
            queue = self.queues[targets.highlighted]
            return Target(kind=TargetKind.QUEUE, id=queue.id, name=queue.name)
        expert = self.experts[targets.highlighted]
        assert expert.address is not None  # disabled otherwise
        return Target(kind=TargetKind.ADDRESS, id=expert.address, name=expert.name)
