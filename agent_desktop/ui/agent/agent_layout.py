"""How the agent screen fits its terminal: at 120×40 every pane at once; in a narrow or short terminal (80×24,
the usual default; agent_desktop/ui/shared/breakpoints.py) the contacts and the selected contact stay in view and the
pane beside them (the caller's card, the conversation or a call's live transcript, the wrap-up, the experts) is one at a time, as k9s and
lazygit do.

The pane shown follows the selected contact (a conversation's transcript and composer, a wrap-up when it is
being wrapped up, else the card); the keys that go to a pane bring it (1-5 the card, i the conversation, w the
wrap-up, / the experts), and f6 steps through them. The layout is carried as CSS classes of the screen's areas
(agent_areas.py: `-narrow`, `-short`, `-one-pane`, `-pane-<name>`, `-in-hand`, `-conversation`, `-call`;
agent_screen.tcss draws each): this works them out from the desk and the terminal's size, and sets them on the
widget it is handed, with focus never left in a pane out of sight.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.widget import Widget

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW

PANES = {
    "card": "#customer",
    "conversation": "#conversation",
    "call": "#call",
    "wrap-up": "#wrap-up",
    "experts": "#experts",
}


class PaneLayout:
    def __init__(self, desk: Desk, focus_contacts: Callable[[], None]) -> None:
        """`focus_contacts`: focus left a pane out of sight (or the conversation it was in)."""
        self.desk = desk
        self._focus_contacts = focus_contacts
        self.one_pane = False  # a narrow or short terminal: one pane beside the contacts at a time
        # `/` shows the experts where the selected contact's conversation or call was: for that contact only (the
        # next selected, a second call, shows its own again; kept for good, it hid every call after the first).
        self._experts_over: str | None = None
        self._pane_chosen: str | None = None  # by a key, for the contact selected then; None: the pane follows it
        self._pane_chosen_for: str | None = None
        # The pane wanted now, as a class the screen is created with (`initial_class`): set on the first redraw
        # instead, it restyled the whole screen just after the first frame.
        self._pane_shown: str = self._pane_wanted()

    def initial_class(self) -> str:
        return f"-pane-{self._pane_shown}"

    def resize(self, node: Widget, size: Size) -> bool:
        """The size classes for `size`, in one restyle (each class changed alone restyles every widget); True when
        one-pane mode changed (the panes are arranged again, and the keys may differ)."""
        width, height = size
        one_pane = width < NARROW_BELOW or height < SHORT_BELOW
        changed, self.one_pane = one_pane != self.one_pane, one_pane
        node.update_classes({"-narrow": width < NARROW_BELOW, "-short": height < SHORT_BELOW, "-one-pane": one_pane})
        if changed:
            self.arrange(node)
        return changed

    def follow_desk(self, node: Widget) -> None:
        """The classes that follow the desk (contacts in hand, a conversation shown, the pane shown), first in a
        redraw and in one restyle: each class changed alone restyles every widget on the screen (three times on
        accepting a chat), and what is drawn next may ask what is shown."""
        before = set(node.classes)
        if self._experts_over is not None and self._experts_over != self.desk.selected_id:
            self._experts_over = None  # another contact selected: its conversation or call takes its place back
        node.set_class(bool(self.desk.held), "-in-hand", update=False)
        node.set_class(self.conversation_shown(), "-conversation", update=False)
        node.set_class(self.call_shown(), "-call", update=False)
        self.arrange(node, restyle=False)
        if set(node.classes) != before:
            node.update_node_styles()
        self.keep_focus_in_sight(node.screen.focused)

    def keep_focus_in_sight(self, focused: Widget | None) -> None:
        """Focus never stays in a pane out of sight (read once the screen's styles say what is shown)."""
        if self.one_pane and focused is not None and not _shown(focused):
            self._focus_contacts()

    def show_pane(self, pane: str) -> bool:
        """A key went to `pane`: it is the one shown (in one-pane mode) until another contact is selected. True
        when the conversation gave its place to the experts or took it back (it is drawn again)."""
        self._pane_chosen, self._pane_chosen_for = pane, self.desk.selected_id
        talk = self.desk.selected_conversation() is not None or self.desk.selected_call() is not None
        if pane in ("experts", "conversation", "call") and talk:
            self._experts_over = self.desk.selected_id if pane == "experts" else None  # the same place at 120 columns
            return True
        return False

    @property
    def experts_over_conversation(self) -> bool:
        """`/` brought the experts over the selected contact's conversation or call."""
        return self._experts_over is not None and self._experts_over == self.desk.selected_id

    def conversation_shown(self) -> bool:
        """The selected conversation is in the experts' place (the screen's `-conversation` class)."""
        return self.desk.selected_conversation() is not None and not self.experts_over_conversation

    def call_shown(self) -> bool:
        """The selected call's area (its live transcript, the bot's handoff) is in the experts' place (the screen's
        `-call` class)."""
        return self.desk.call_area_wanted() and not self.experts_over_conversation

    def available_panes(self) -> list[str]:
        panes = ["card"]
        if self.desk.selected_conversation() is not None:
            panes.append("conversation")
        if self.desk.call_area_wanted():
            panes.append("call")
        if self.desk.wrap_up() is not None:
            panes.append("wrap-up")
        return [*panes, "experts"]

    def _pane_wanted(self) -> str:
        chosen = self._pane_chosen
        if chosen is not None and self._pane_chosen_for == self.desk.selected_id and chosen in self.available_panes():
            return chosen
        self._pane_chosen = None
        selected = self.desk.selected()
        if selected is not None and selected.phase.wrapping_up:
            return "wrap-up"
        if self.desk.selected_conversation() is not None and not self.experts_over_conversation:
            return "conversation"
        return "card"

    def arrange(self, node: Widget, *, restyle: bool = True) -> None:
        """Show the pane wanted now (one-pane mode draws only it); focus never stays in a pane out of sight.
        `restyle=False`: the caller restyles the screen once for all the classes it changed (a redraw)."""
        pane = self._pane_wanted()
        if pane != self._pane_shown:
            self._pane_shown = pane
            # One restyle of the whole screen (a class set and one removed, each alone, restyled it twice).
            node.update_classes({f"-pane-{name}": name == pane for name in PANES}, update=restyle)
        if restyle:
            self.keep_focus_in_sight(node.screen.focused)

    def next_pane(self) -> str:
        panes = self.available_panes()
        shown = self._pane_shown if self._pane_shown in panes else panes[0]
        return panes[(panes.index(shown) + 1) % len(panes)]


def _shown(widget: Widget) -> bool:
    return all(node.display for node in (widget, *widget.ancestors) if isinstance(node, Widget))
