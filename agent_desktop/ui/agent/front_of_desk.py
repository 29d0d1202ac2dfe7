"""The agent's attention on the terminal: the app's stack of screens told to the attention model
(agent_desktop/agent_desk/attention.py), and its answers carried out — the offer kept on the screen in front, a
key routed where the agent meant it, the overlays a contact took with it closed, the ones a conversation just
accepted stepped aside and brought back.

The screen holds one of these; the app hands it each key from the terminal before Textual does (`route_key`),
so the decision is made in the key's own turn, in the order the keys arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget

from agent_desktop.agent_desk.attention import Attention, KeyGoes, Overlay, OverlayKind
from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Offer
from agent_desktop.transcripts.conversation import DIGITAL
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.key_turn import takes_typing
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen
from agent_desktop.ui.textual_compat import bring_screen_back, check_bindings, close_screen, set_screen_aside


def _is_overlay(screen: Screen[Any]) -> bool:
    return isinstance(screen, OverlayScreen | CommandPalette)


def as_overlay(screen: Screen[Any]) -> Overlay:
    if isinstance(screen, OverlayScreen):
        return screen.overlay()
    if isinstance(screen, CommandPalette):
        return Overlay(id(screen), OverlayKind.PALETTE, "The command palette")
    return Overlay(id(screen), OverlayKind.DIALOG, "The dialog")


class FrontOfDesk:
    def __init__(
        self,
        app: App[Any],
        desk_shown: Callable[[], bool] = lambda: True,
        field_about: Callable[[Widget], str | None] = lambda _: None,
    ) -> None:
        """`desk_shown`: whether the desk this is the front of is in the app's stack (the offer stays off another
        desk's screen, the supervisor's); `field_about`: the contact a text box of the desk is about, if one's."""
        self.app = app
        self.desk_shown = desk_shown
        self.field_about = field_about
        self.attention = Attention()
        self._set_aside: list[tuple[Screen[Any], Any]] = []
        self._offer: OfferOver | None = None  # the offer over what is open, on the screen in front
        self._following = False  # the app's screen changes (to keep the offer in front)

    @property
    def desk_screen(self) -> Screen[Any]:
        """The screen the overlays are open over: the highest in the stack that is not one."""
        stack = self.app.screen_stack
        return next((s for s in reversed(stack) if not _is_overlay(s)), stack[0])

    # --- what is open -----------------------------------------------------------------------------

    def over_desk(self) -> list[Screen[Any]]:
        """The screens open over the desk screen, bottom first."""
        stack = self.app.screen_stack
        return stack[stack.index(self.desk_screen) + 1 :]

    def look(self) -> Attention:
        """The model, told what is open now."""
        overlays = [as_overlay(s) for s in self.over_desk()]
        if (box := self.offer_over()) is not None:
            overlays.append(Overlay(id(box), OverlayKind.OFFER, "The offer"))
        # The desk's focus takes letters (a text box, a select's open list: type-to-search, enter picks), and
        # the contact that field is about.
        focused = self.desk_screen.focused
        typing = takes_typing(focused)
        about = self.field_about(focused) if typing and focused is not None else None
        self.attention.open_over_desk(overlays, typing=typing, typing_about=about)
        return self.attention

    # --- rule 1: the offer over what is open, on the screen in front ---------------------------------------

    def offer_over(self) -> OfferOver | None:
        """The offer over what is open, if it is up (and not answered)."""
        box = self._offer
        return box if box is not None and not box.closed else None

    def show_offer(self, box: OfferOver) -> None:
        """Put `box` up over whatever is in front (replacing any offer up), and keep it in front from now on."""
        if self._offer is not None:
            self.close_offer()
        box.closing = self._closing
        self._offer = box
        if not self._following:
            self._following = True
            self.app.screen_change_signal.subscribe(self.app, lambda _: self.keep_offer_in_front(), immediate=True)
        self._mount(box, self.app.screen)

    def close_offer(self) -> bool:
        """Take the offer down without an answer (it went, or another took its place); False if none was up."""
        box = self.offer_over()
        if box is None:
            return False
        box.closed = True
        self._closing(box)
        return True

    def _closing(self, box: OfferOver) -> None:
        if self._offer is box:
            self._offer = None
        if box.parent is not None:
            box.remove()

    def keep_offer_in_front(self) -> None:
        """The offer onto the screen now on top (something opened over it, or the screen it was on closed): what
        the agent or the desk raised over it, or what comes back from under it, has it over it in its first
        frame (rule 1). A screen that reads the stack as it mounts (the command palette) has it once mounted."""
        box = self.offer_over()
        top = self.app.screen
        if box is None or box.parent is top or not self.desk_shown():
            return
        if not top.is_mounted:
            top.call_after_refresh(self.keep_offer_in_front)
            return
        moved = box.moved()
        self._offer = moved
        box.closed = True  # (leaving: its keys and its place in front are the moved box's from now on)
        if box.parent is not None:
            box.remove()
        self._mount(moved, top)

    def _mount(self, box: OfferOver, screen: Screen[Any]) -> None:
        if screen.is_mounted:
            screen.mount(box)
        else:
            screen.call_after_refresh(self.keep_offer_in_front)  # (box is the offer: mounted once the screen is)

    # --- rule 2: each key where the agent meant it, decided as it is read ---------------------------------

    async def route_key(self, event: events.Key) -> bool:
        """A key from the terminal, before Textual hands it on: True if it was carried out here. Over an offer, a
        key of the run of typing the offer came up in goes on to what was under it; the offer's own keys answer
        it now, so that the keys behind them find what the answer put in front; no other key reaches what is
        under it (a priority key of the app's, quit, still runs)."""
        self.keep_offer_in_front()
        box = self.offer_over()
        if box is None:
            self.attention.key_seen(event.time)
            return False
        goes = self.attention.key_arrived(event.time, offer_shown_at=box.shown_at)
        if goes is KeyGoes.UNDER and event.key != "escape":
            box.hand_under(event)
            return True
        if box.answer_key(event) or await check_bindings(self.app, event.key, priority=True):
            return True
        if (event.is_printable and event.key != "space") or event.key == "enter":
            shown = event.character if event.character and event.character.isprintable() else event.key
            answers = {"accept": "accepts", "reject": "rejects", "go_available": "makes you Available", "": "goes back"}
            said = ", ".join(
                f"{self.app.get_key_display(Binding(key, ''))} {answers[answer]}" for key, answer in box.keys().items()
            )
            words = plain(f"{shown} does nothing over the offer: {said}.")
            self.app.notify(words, title="Key", timeout=4)  # type: ignore[arg-type]  # the desk's app takes Content
        return True

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

    def _forget(self, screen: Screen[Any], kept: Any) -> None:
        """A screen set aside that will not come back: its waiting flow answered (None), the screen removed."""
        bring_screen_back(self.app, screen, kept)
        close_screen(self.app, screen, None)
