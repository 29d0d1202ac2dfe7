"""Choosing where a contact goes: a queue, an agent or an expert, blind or after a consult.

The list has the keys: 1 queues, 2 agents (with their queues and state), 3 experts (free first); b blind,
c consult, n a note; ↑↓ and enter transfer to the highlighted one; escape cancels. `/` (or `f`) opens the
filter: there every key is text (a name may hold a b, a c or a 2), ↓ goes back into the list, enter
transfers to the highlighted match and escape returns to the list. The mode keys act only while the list
has focus, so they are never typed into a box, and the footer shows only the keys that act where the
focus is. The screen does the transfer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.domain.capabilities import ChannelCapabilities
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Colleague, Contact, Expert, Queue, Target
from agent_desktop.domain.vocabulary import AgentState, Channel, TargetKind
from agent_desktop.ui.agent.experts.presence_labels import PRESENCE_LABELS, PRESENCE_ORDER
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.agent_state_styles import AGENT_STATE_STYLES
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

TransferMode = Literal["blind", "consult"]

# Where an agent's state puts them in the list (free first, signed out last) and its symbol there; the word is
# the state's label and its colour the desk's one map (AGENT_STATE_STYLES), as on the status line.
AGENT_ORDER: dict[AgentState, tuple[int, str]] = {
    AgentState.AVAILABLE: (0, "●"),
    AgentState.AFTER_CONTACT_WORK: (1, "◔"),
    AgentState.BUSY: (2, "◆"),
    AgentState.OFFERED: (2, "◆"),
    AgentState.MISSED: (3, "◑"),
    AgentState.NOT_READY: (3, "◑"),
    AgentState.OFFLINE: (4, "○"),
}
FILTER_PLACEHOLDER = {
    TargetKind.QUEUE: "/ filter queues by name",
    TargetKind.AGENT: "/ filter agents by name, queue or state",
    TargetKind.ADDRESS: "/ filter experts by name, department or skill",
}


@dataclass(frozen=True)
class TransferChoice:
    target: Target
    mode: TransferMode
    note: str | None = None  # a chat's, SMS's or email's next agent reads it in the transcript


def experts_free_first(experts: list[Expert]) -> list[Expert]:
    return sorted(experts, key=lambda e: (PRESENCE_ORDER[e.presence.availability], e.name))


def colleagues_free_first(colleagues: Sequence[Colleague]) -> list[Colleague]:
    return sorted(colleagues, key=lambda c: (AGENT_ORDER[c.state][0], c.name.lower(), c.id))


def matches(words: str, *fields: str | None) -> bool:
    """Every word of the filter is in one of the fields (any case)."""
    haystack = " ".join(field for field in fields if field).casefold()
    return all(word in haystack for word in words.casefold().split())


class TransferDialog(OverlayScreen[TransferChoice | None]):
    OVERLAY_NAME = "The transfer dialog"
    ATTENTION = OverlayKind.DIALOG
    CSS_PATH = "transfer_dialog.tcss"
    BINDINGS = [
        Binding("1", "kind('queue')", "Queues"),
        Binding("2", "kind('agent')", "Agents"),
        Binding("3", "kind('address')", "Experts"),
        Binding("b", "mode('blind')", "Blind"),
        Binding("c", "mode('consult')", "Consult"),
        Binding("n", "note", "Note"),
        Binding("slash,f", "filter", "Filter", key_display="/"),
        Binding("down", "into_list", "List", key_display="↓"),
        Binding("enter", "transfer", "Transfer", priority=True),
        Binding("escape", "back", "Cancel"),
    ]
    # Keys that act on the list: while a box (the filter, the note) has focus they are the box's letters.
    LIST_KEYS = {"kind", "mode", "note", "filter"}

    def __init__(
        self,
        contact: Contact,
        queues: list[Queue],
        experts: list[Expert],
        colleagues: Sequence[Colleague] = (),
        capabilities: ChannelCapabilities | None = None,
        note: str = "",
        *,
        model_drafting: bool = False,
    ) -> None:
        """`capabilities`: what the contact center can do on the contact's channel; the kinds of target and
        the modes it cannot serve are not offered (the command `t` applies only if one of each is left). `note`: the
        note the dialog opens with (the conversation so far, drafted: the agent edits or clears it);
        `model_drafting`: the assistant's model is drafting one, which replaces it unless the agent edited it
        (`model_drafted`)."""
        super().__init__()
        self.drafted_note = note
        self.model_drafting = model_drafting
        self.contact = contact
        self.queues = queues
        self.experts = experts_free_first(experts)
        self.colleagues = colleagues_free_first(colleagues)
        can = capabilities or ChannelCapabilities()
        self.modes: tuple[TransferMode, ...] = (
            *(("blind",) if can.transfer_to else ()),
            *(("consult",) if can.consult else ()),
        )
        # A consult rings a target of the same kinds a blind transfer reaches (all of them, if it alone is served).
        self.kinds = [kind for kind in TargetKind if kind in can.transfer_to or not can.transfer_to]
        self.kind = self.kinds[0] if self.kinds else TargetKind.QUEUE
        self.mode: TransferMode = self.modes[0] if self.modes else "blind"
        self._shown: list[Queue | Colleague | Expert] = []  # the options, in order (ids may repeat)

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-box") as box:
            box.border_title = "Transfer"
            yield Static(
                Content.assemble(
                    ("Transfer ", "dim"),
                    plain(shown_phone(self.contact.from_address), "bold"),
                    ("  from ", "dim"),
                    plain(self.contact.queue_name),
                ),
                id="transfer-contact",
            )
            with RadioSet(id="transfer-kind"):
                for kind, key in ((TargetKind.QUEUE, 1), (TargetKind.AGENT, 2), (TargetKind.ADDRESS, 3)):
                    if kind in self.kinds:
                        yield RadioButton(
                            Content(f"{key} {kind.label}"), value=kind == self.kind, id=f"kind-{kind.value}"
                        )
            self._filter, self._targets = Input(id="transfer-filter", max_length=100), OptionList(id="transfer-targets")
            yield self._filter
            yield self._targets
            with RadioSet(id="transfer-mode"):
                if "blind" in self.modes:
                    yield RadioButton("b Blind (leaves you now)", value=self.mode == "blind", id="mode-blind")
                if "consult" in self.modes:
                    yield RadioButton("c Consult (caller holds)", value=self.mode == "consult", id="mode-consult")
            self._note = Input(
                self.drafted_note,
                placeholder="n: a note the next agent reads before answering",
                id="transfer-note",
                max_length=1000,
                select_on_focus=False,  # `n` edits the drafted note: a key typed then must not replace it whole
            )
            self._hint = Static(id="transfer-hint")
            if self.drafted_note:
                self._note.border_title = (
                    "note for the next agent, drafted from the call (n edits)"
                    if self.contact.channel == Channel.VOICE
                    else "note for the next agent, drafted from the conversation (n edits)"
                )
                if self.model_drafting:
                    self._note.border_subtitle = "the assistant is drafting one"
            yield self._note
            yield self._hint
        yield KeyFooter()

    def on_mount(self) -> None:
        for radio_set in self.query(RadioSet):
            radio_set.can_focus = False  # keys choose; focus stays on the targets
        self._show_kind()

    # --- what is shown ---------------------------------------------------------

    def _show_kind(self) -> None:
        self.query_one(f"#kind-{self.kind.value}", RadioButton).value = True
        search = self._filter
        search.placeholder = FILTER_PLACEHOLDER[self.kind]
        self._show_targets()
        self.screen.set_focus(self._targets)
        self._show_hint()

    def _show_targets(self) -> None:
        """The targets of the kind chosen that match the filter, the first highlighted."""
        words = self._filter.value
        targets = self._targets
        targets.clear_options()
        options: list[Option] = []
        if self.kind == TargetKind.QUEUE:
            self._shown = [q for q in self.queues if matches(words, q.name, q.id)]
            for queue in self._shown:
                here = ("  (this contact's queue)", "dim") if queue.id == self.contact.queue_id else ""
                options.append(Option(Content.assemble(plain(queue.name, "bold"), here)))
        elif self.kind == TargetKind.AGENT:
            names = {q.id: q.name for q in self.queues}
            shown_agents = [
                c
                for c in self.colleagues
                if matches(words, c.name, c.id, c.state.label, *(names.get(q, q) for q in c.queues))
            ]
            self._shown = list(shown_agents)
            options = [self._agent_option(c, names) for c in shown_agents]
        else:
            shown_experts = [
                e for e in self.experts if matches(words, e.name, e.department, e.title, " ".join(e.skills))
            ]
            self._shown = list(shown_experts)
            options = [self._expert_option(e) for e in shown_experts]
        targets.add_options(options)
        first = next((i for i, option in enumerate(options) if not option.disabled), None)
        targets.highlighted = first
        if not options:
            targets.add_option(Option(Content.styled("Nothing matches the filter.", "dim italic"), disabled=True))
            self._shown = []

    @staticmethod
    def _agent_option(colleague: Colleague, queue_names: dict[str, str]) -> Option:
        symbol = AGENT_ORDER[colleague.state][1]
        style = AGENT_STATE_STYLES[colleague.state]
        word = colleague.state.label
        state = f"{word} — {colleague.reason}" if colleague.reason and colleague.state != AgentState.AVAILABLE else word
        queues = ", ".join(queue_names.get(q, q) for q in colleague.queues)
        prompt = Content.assemble(
            (f"{symbol} ", style),
            plain(f"{one_line(state, 18):<18}", style),
            " ",
            plain(f"{one_line(colleague.name, 22):<22}", "bold"),
            " ",
            plain(one_line(queues, 22), "dim"),
        )
        return Option(prompt, disabled=colleague.state == AgentState.OFFLINE)

    @staticmethod
    def _expert_option(expert: Expert) -> Option:
        symbol, word, style = PRESENCE_LABELS[expert.presence.availability]
        prompt = Content.assemble(
            (f"{symbol} {word:<16}", style),
            " ",
            plain(expert.name, "bold"),
            ("  ", ""),
            plain(expert.department or "", "dim"),
            ("" if expert.address else ("  no address", "italic $error")),
        )
        return Option(prompt, disabled=not expert.address)

    def _show_hint(self) -> None:
        what = {"blind": "Blind transfer", "consult": "Consult"}[self.mode]
        target = {TargetKind.QUEUE: "queue", TargetKind.AGENT: "agent", TargetKind.ADDRESS: "expert"}[self.kind]
        in_a_box = isinstance(self.focused, Input)
        keys = (
            "   ↓ the list · escape" if in_a_box else ("   b / c mode" if len(self.modes) > 1 else "") + " · / filter"
        )
        self._hint.update(Content.assemble(("enter ", "bold"), f"{what} to the highlighted {target}", (keys, "dim")))

    # --- keys ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys act only while the list has focus (in a box they are letters); ↓ is the list's own
        there."""
        in_a_box = isinstance(self.focused, Input)
        if action in self.LIST_KEYS and in_a_box:
            return False
        if action == "into_list":
            return in_a_box
        if action == "kind":
            return TargetKind(str(parameters[0])) in self.kinds
        if action == "mode":
            return parameters[0] in self.modes and len(self.modes) > 1
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        self._show_hint()

    def action_kind(self, kind: str) -> None:
        if TargetKind(kind) not in self.kinds:
            return  # a key bound for all dialogs; this contact center does not transfer there
        self.kind = TargetKind(kind)
        self._show_kind()

    def action_mode(self, mode: TransferMode) -> None:
        if mode not in self.modes:
            return
        self.mode = mode
        self.query_one(f"#mode-{mode}", RadioButton).value = True
        self._show_hint()

    def action_filter(self) -> None:
        self.screen.set_focus(self._filter)

    def action_into_list(self) -> None:
        self.screen.set_focus(self._targets)

    def action_back(self) -> None:
        """escape: from a box back to the list; from the list, cancel."""
        if isinstance(self.focused, Input):
            self.action_into_list()
        else:
            self.dismiss(None)

    @on(Input.Changed, "#transfer-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_targets()

    def action_transfer(self) -> None:
        target = self.chosen_target()
        if target is None:
            self._hint.update(
                Content.styled("Choose a target first (one that is signed in, or has an address).", "bold $error")
            )
            return
        note = self._note.value.strip()
        self.dismiss(TransferChoice(target, self.mode, note or None))

    def model_drafted(self, note: str | None, model: str) -> None:
        """The assistant's summary came (None: it gave none): it replaces the note the dialog opened with, unless the
        agent has edited that; the box says whose draft it is."""
        box = self._note
        box.border_subtitle = ""
        if note is None or box.value != self.drafted_note:
            return
        box.value = note
        box.cursor_position = 0
        box.border_title = literal_title(f"note for the next agent, drafted by {model} (n edits)")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_transfer()

    def action_note(self) -> None:
        note = self._note
        if note.display:
            self.screen.set_focus(note)
            note.cursor_position = len(note.value)  # after the draft: what the agent types adds to it

    def chosen_target(self) -> Target | None:
        targets = self._targets
        if targets.highlighted is None or targets.highlighted >= len(self._shown):
            return None
        if targets.get_option_at_index(targets.highlighted).disabled:
            return None
        # options are in the order of self._shown (keyed by position: ids may repeat)
        chosen = self._shown[targets.highlighted]
        if isinstance(chosen, Queue):
            return Target(kind=TargetKind.QUEUE, id=chosen.id, name=chosen.name)
        if isinstance(chosen, Colleague):
            return Target(kind=TargetKind.AGENT, id=chosen.id, name=chosen.name)
        assert chosen.address is not None  # disabled otherwise
        return Target(kind=TargetKind.ADDRESS, id=chosen.address, name=chosen.name)
