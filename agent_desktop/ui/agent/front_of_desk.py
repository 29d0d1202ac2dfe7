"""The agent's attention on the terminal: the app's stack of screens told to the attention model
(agent_desktop/agent_desk/attention.py), and its answers carried out — a key routed where the agent meant it,
the overlays a contact took with it closed, the ones a conversation just accepted stepped aside and brought back.

The screen holds one of these; the app hands it each key from the terminal before Textual does (`route_key`),
so the decision is made in the key's own turn, in the order the keys arrived."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.screen import Screen

from agent_desktop.agent_desk.attention import Attention, KeyGoes, Overlay, OverlayKind
from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Offer
from agent_desktop.transcripts.conversation import DIGITAL
from agent_desktop.ui.key_turn import takes_typing
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from agent_desktop.ui.textual_compat import bring_screen_back, close_screen, set_screen_aside

if TYPE_CHECKING:
    from agent_desktop.ui.agent.dialogs.offer_dialog import OfferDialog


def _is_overlay(screen: Screen) -> bool:
    return isinstance(screen, OverlayScreen | CommandPalette)


def as_overlay(screen: Screen) -> Overlay:
    if isinstance(screen, OverlayScreen):
        return screen.overlay()
    if isinstance(screen, CommandPalette):
        return Overlay(id(screen), OverlayKind.PALETTE, "The command palette")
    return Overlay(id(screen), OverlayKind.DIALOG, "The dialog")


class FrontOfDesk:
    def __init__(self, app: App) -> None:
        self.app = app
        self.attention = Attention()
        self._set_aside: list[tuple[Screen, Any]] = []

    @property
    def desk_screen(self) -> Screen:
        """The screen the overlays are open over: the highest in the stack that is not one."""
        stack = self.app.screen_stack
        return next((s for s in reversed(stack) if not _is_overlay(s)), stack[0])

    # --- what is open -----------------------------------------------------------------------------

    def over_desk(self) -> list[Screen]:
        """The screens open over the desk screen, bottom first."""
        stack = self.app.screen_stack
        return stack[stack.index(self.desk_screen) + 1 :]

    def look(self) -> Attention:
        """The model, told what is open now."""
        self.attention.open_over_desk([as_overlay(s) for s in self.over_desk()], typing=self._keys_in_a_field())
        return self.attention

    def _keys_in_a_field(self) -> bool:
        """The desk's focus takes letters: a text box, or a select's open list (type-to-search, enter picks)."""
        return takes_typing(self.desk_screen.focused)

    def offer_dialog(self) -> OfferDialog | None:
        from agent_desktop.ui.agent.dialogs.offer_dialog import OfferDialog

        top = self.app.screen
        if not isinstance(top, OfferDialog) or top not in self.over_desk():
            return None
        return cast("OfferDialog", top)  # (mypy does not narrow Screen[object] to a Screen[str | None])

    def keep_offer_on_top(self) -> None:
        """The offer's dialog back on top of what the desk raised by itself over it (a wrap-up's time ran out):
        the agent did not open that, and the offer under it would be missed (rule 1)."""
        over = self.over_desk()
        at = next((i for i, s in enumerate(over) if as_overlay(s).kind is OverlayKind.OFFER), None)
        if at is None or at == len(over) - 1:
            return
        dialog, above = over[at], over[at + 1 :]
        if all(isinstance(s, OverlayScreen) and s.RAISED_BY_DESK for s in above):
            bring_screen_back(self.app, dialog, set_screen_aside(self.app, dialog))

    # --- rule 2: each key where the agent meant it, decided as it is read ---------------------------------

    async def route_key(self, event: events.Key) -> bool:
        """A key from the terminal, before Textual hands it on: True if it was carried out here. Over an offer, a
        key of the run of typing the offer came up in goes on to what was under it; the offer's own keys answer
        it now, so that the keys behind them find what the answer put in front."""
        dialog = self.offer_dialog()
        if dialog is None:
            self.attention.key_seen(event.time)
            return False
        goes = self.attention.key_arrived(event.time, offer_shown_at=dialog.shown_at)
        if goes is KeyGoes.UNDER and event.key != "escape":
            dialog.hand_under(event)
            return True
        return dialog.answer_key(event)

    # --- rule 4: a conversation accepted over what was open -----------------------------------------------

    def accepting(self, offer: Offer | None) -> None:
        """`a` on an offer over what was open: for a chat, SMS or email, the overlays under the offer step aside,
        whole, so that its composer is in front for the keys that follow; `bring_back` puts them back."""
        if offer is None or offer.contact.channel not in DIGITAL:
            return
        keys = {o.key for o in self.look().accepted_conversation(offer.contact.id)}
        for screen in [s for s in self.over_desk() if id(s) in keys]:
            self._set_aside.append((screen, set_screen_aside(self.app, screen)))

    def bring_back(self) -> None:
        """The overlays set aside, back on top in their order (the agent left the composer)."""
        self.attention.bring_back()
        back, self._set_aside = self._set_aside, []
        for screen, kept in back:
            bring_screen_back(self.app, screen, kept)

    # --- rule 5: what a contact took with it -------------------------------------------------------------

    def close_what_left(self, desk: Desk, changes: DeskChanges) -> Iterator[str]:
        """Close the overlays whose contact is no longer what they were for (open or set aside), after the desk
        changed its contacts or wrap-ups; yields why, for a notice each."""
        if not (changes.contacts or changes.wrap_up) or not (self.over_desk() or self._set_aside):
            return
        held = desk.held
        wrapping = {cid for cid, h in held.items() if h.phase is Phase.WRAP_UP}
        self.look()
        closing = self.attention.closing(in_hand=set(held), wrapping=wrapping)
        by_key = {id(s): s for s in self.over_desk()}
        for entry in closing:
            screen = by_key.get(entry.overlay.key)
            if isinstance(screen, OverlayScreen):  # (only an overlay screen has a contact to close with)
                screen.close(None)
            else:
                for kept in [k for k in self._set_aside if id(k[0]) == entry.overlay.key]:
                    self._set_aside.remove(kept)
                    self._forget(*kept)
            yield entry.why

    def _forget(self, screen: Screen, kept: Any) -> None:
        """A screen set aside that will not come back: its waiting flow answered (None), the screen removed."""
        bring_screen_back(self.app, screen, kept)
        close_screen(self.app, screen, None)
