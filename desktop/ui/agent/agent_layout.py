"""How the agent screen fits its terminal: at 120×40 every pane at once; in a narrow or short terminal (80×24,
the usual default; desktop/ui/shared/breakpoints.py) the contacts and the selected contact stay in view and the
pane beside them (the caller's card, the conversation, the wrap-up, the experts) is one at a time, as k9s and
lazygit do.

The pane shown follows the selected contact (a conversation's transcript and composer, a wrap-up when it is
being wrapped up, else the card); the keys that go to a pane bring it (1-5 the card, i the conversation, w the
wrap-up, / the experts), and f6 steps through them. The screen carries the layout as CSS classes
(`-narrow`, `-short`, `-one-pane`, `-pane-<name>`); agent_screen.tcss draws each. A part of the agent
screen (agent_screen.py), which owns it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from desktop.desk.desk import Desk
from desktop.ui.shared.breakpoints import NARROW_BELOW, SHORT_BELOW

PANES = {"card": "#customer", "conversation": "#conversation", "wrap-up": "#wrap-up", "experts": "#experts"}


class PaneLayout:
    def __init__(
        self,
        screen: Screen,
        desk: Desk,
        *,
        conversation_moved: Callable[[], None],
        keys_changed: Callable[[], None],
        focus_contacts: Callable[[], None],
    ) -> None:
        """`conversation_moved`: the conversation gave its place to the experts or took it back (the screen
        draws it again); `keys_changed`: what the keys do may differ now; `focus_contacts`: focus left a pane
        out of sight."""
        self.screen = screen
        self.desk = desk
        self._conversation_moved = conversation_moved
        self._keys_changed = keys_changed
        self._focus_contacts = focus_contacts
        self.experts_over_conversation = False  # `/` shows the experts where the conversation was
        self._pane_chosen: str | None = None  # by a key, for the contact selected then; None: the pane follows it
        self._pane_chosen_for: str | None = None
        # The pane wanted now, as a class the screen is created with: set on the first redraw instead, it
        # restyled the whole screen just after the first frame.
        self._pane_shown: str | None = self._pane_wanted()
        screen.add_class(f"-pane-{self._pane_shown}")

    @property
    def one_pane(self) -> bool:
        return self.screen.has_class("-one-pane")

    def resize(self, size: Size) -> None:
        width, height = size
        one_pane = width < NARROW_BELOW or height < SHORT_BELOW
        changed = one_pane != self.one_pane
        # One restyle of the whole screen for all three (each class changed alone restyles every widget in it).
        self.screen.update_classes({"-narrow": width < NARROW_BELOW, "-short": height < SHORT_BELOW, "-one-pane": one_pane})
        if changed:
            self.arrange()
            self._keys_changed()

    def show_pane(self, pane: str) -> None:
        """A key went to `pane`: it is the one shown (in one-pane mode) until another contact is selected."""
        self._pane_chosen, self._pane_chosen_for = pane, self.desk.selected_id
        if pane in ("experts", "conversation") and self.desk.selected_conversation() is not None:
            self.experts_over_conversation = pane == "experts"  # the same place at 120 columns
            self._conversation_moved()
        self.arrange()

    def available_panes(self) -> list[str]:
        panes = ["card"]
        if self.desk.selected_conversation() is not None:
            panes.append("conversation")
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

    def arrange(self, *, restyle: bool = True) -> None:
        """Show the pane wanted now (one-pane mode draws only it); focus never stays in a pane out of sight.
        `restyle=False`: the caller restyles the screen once for all the classes it changed (a redraw)."""
        pane = self._pane_wanted()
        if pane != self._pane_shown:
            self._pane_shown = pane
            # One restyle of the whole screen (a class set and one removed, each alone, restyled it twice:
            # ~30 ms each on this machine at 120×40).
            self.screen.update_classes({f"-pane-{name}": name == pane for name in PANES}, update=restyle)
        if restyle:
            self.keep_focus_in_sight()

    def keep_focus_in_sight(self) -> None:
        """Focus never stays in a pane out of sight (read once the screen's styles say what is shown)."""
        focused = self.screen.focused
        if self.one_pane and focused is not None and not _shown(focused):
            self._focus_contacts()

    def next_pane(self) -> None:
        panes = self.available_panes()
        shown = self._pane_shown if self._pane_shown in panes else panes[0]
        self.show_pane(panes[(panes.index(shown) + 1) % len(panes)])


def _shown(widget: Widget) -> bool:
    return all(node.display for node in (widget, *widget.ancestors) if isinstance(node, Widget))
