"""The agent's attention on the terminal: what happens on it told to the attention model (agent_desktop/agent_desk/
attention.py: the screens opened, closed or closing themselves over the desk, the focus, an offer, a key, an accept,
the agent's `e` and its wrap-up drawn, the contacts changed), and the effects it answers carried out in one place
(`carry_out`) — the offer put up and kept on the screen in front, a key routed where the agent meant it, overlays
stepped aside, brought back or closed (on top or from under another), the cursor put in a wrap-up.

The screen holds one of these; the app hands it each key from the terminal before Textual does (`route_key`),
so the decision is made in the key's own turn, in the order the keys arrived."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widget import Widget

from agent_desktop.agent_desk.attention import (
    AgentEnded,
    Attention,
    BringBack,
    Close,
    Closed,
    ContactsChanged,
    ConversationAccepted,
    CursorToWrapUp,
    Dismiss,
    Dismissing,
    Effect,
    Event,
    Focused,
    KeyArrived,
    KeyGoes,
    KeyTo,
    LeftComposer,
    OfferAnswered,
    OfferPending,
    OfferSentBack,
    OfferUp,
    Opened,
    Overlay,
    OverlayKind,
    ShowOffer,
    StepAside,
    WrapUpDrawn,
)
from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import Offer
from agent_desktop.transcripts.conversation import DIGITAL
from agent_desktop.ui.agent.offers.agent_offers import BuildsOffer
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.keys.key_turn import takes_typing
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen, close_as
from agent_desktop.ui.textual_compat import bring_screen_back, check_bindings, close_screen, set_screen_aside

T = TypeVar("T")


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
        self._by_key: dict[int, Screen[Any]] = {}  # each overlay the model holds (open or stepped aside), by key
        self._kept: dict[int, Any] = {}  # what a screen stepped aside keeps to come back with (its pending answer)
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
        """The model, told what opened and closed over the desk since it was last told, and where the focus is."""
        screens = self.over_desk()
        now = {id(s) for s in screens}
        aside = {o.key for o in self.attention.stepped_aside}
        for overlay in self.attention.open:
            if overlay.key not in now:
                self.attention.apply(Closed(overlay.key))
                self._by_key.pop(overlay.key, None)
        held = {o.key for o in self.attention.open}
        for screen in screens:
            if id(screen) not in held and id(screen) not in aside:
                self._by_key[id(screen)] = screen
                self.attention.apply(Opened(as_overlay(screen)))
        # The desk's focus takes letters (a text box, a select's open list: type-to-search, enter picks), and
        # the contact that field is about.
        focused = self.desk_screen.focused
        typing = takes_typing(focused)
        about = self.field_about(focused) if typing and focused is not None else None
        self.attention.apply(Focused(typing, about))
        return self.attention

    def apply(self, event: Event, build: BuildsOffer | None = None, *, result: object = None) -> list[Effect]:
        """`event` told to the model (what is open looked at first), and what it answers carried out (`build`: what
        builds the box of an offer it puts up; `result`: the answer of an overlay closing itself)."""
        self.look()
        return self.carry_out(self.attention.apply(event), build, result=result)

    # --- the one place the model's answers become Textual calls ---------------------------------------

    def carry_out(
        self,
        effects: list[Effect],
        build: BuildsOffer | None = None,
        *,
        to_wrap_up: Callable[[], object] | None = None,
        result: object = None,
    ) -> list[Effect]:
        """Carry out the model's effects, in order; they are returned (a key's says where it goes). What the one who
        told the event hands with it: `build`, what builds the box of an offer put up (the desk's card, which told of
        the offer); `to_wrap_up`, what puts the cursor in the wrap-up drawn; `result`, the answer of an overlay
        closing itself."""
        for effect in effects:
            match effect:
                case ShowOffer():
                    if build is not None and (box := build(effect)) is not None:
                        self.show_offer(box)
                        if effect.missed:
                            box.show_missed()
                case StepAside(overlays):
                    for overlay in overlays:
                        screen = self._by_key[overlay.key]
                        self._kept[overlay.key] = set_screen_aside(self.app, screen)
                case BringBack(overlays):
                    for overlay in overlays:
                        bring_screen_back(self.app, self._by_key[overlay.key], self._kept.pop(overlay.key))
                case Close(overlay):
                    self._close(overlay)
                case Dismiss(overlay, on_top):
                    self._dismiss(overlay, on_top, result)
                case CursorToWrapUp():
                    if to_wrap_up is not None:
                        to_wrap_up()
                case KeyTo():
                    pass  # (the key's own: `route_key` reads it)
        return effects

    def _dismiss(self, overlay: Overlay, on_top: bool, result: object) -> None:
        screen = self._by_key.pop(overlay.key, None)
        if isinstance(screen, OverlayScreen):
            close_as(screen, on_top, result)

    def _close(self, overlay: Overlay) -> None:
        screen = self._by_key.pop(overlay.key, None)
        if screen is None:
            return
        kept = self._kept.pop(overlay.key, None)
        if kept is not None:  # stepped aside, and will not come back: its waiting flow answered (None), removed
            bring_screen_back(self.app, screen, kept)
            close_screen(self.app, screen, None)
        elif isinstance(screen, OverlayScreen):  # (only an overlay screen has a contact to close with)
            screen.close(None)

    # --- rule 6: an overlay closes itself, wherever it is -------------------------------------------------

    def dismissing(self, screen: OverlayScreen[Any], result: object) -> None:
        """`screen` closes itself with `result` (`OverlayScreen.dismiss`): on top or under another, once, as the
        model says."""
        self.apply(Dismissing(id(screen)), result=result)

    # --- rule 1: the offer over what is open, on the screen in front ---------------------------------------

    def offer_over(self) -> OfferOver | None:
        """The offer over what is open, if it is up (and not answered)."""
        box = self._offer
        return box if box is not None and not box.closed else None

    def offer_pending(self, offer: Offer, build: BuildsOffer, *, missed: bool = False) -> None:
        """The desk has `offer` pending (or has just missed it): up over what is open, if the model says so, in the
        box `build` makes (the desk's card's, as the desk has the offer now)."""
        self.apply(OfferPending(offer.id, offer.contact.id, missed=missed), build)

    def answering(self, offer: Offer | None, request: T) -> T:
        """`r` on the offer (its `request` handed back): not up again while the answer is on its way (rule 3)."""
        if offer is not None:
            self.apply(OfferAnswered(offer.id))
        return request

    def accept_came_back(self, offer: Offer | None) -> None:
        """The accept was answered: if it was refused and the offer is still pending, it may come up again."""
        if offer is not None and offer.id == self.attention.offer_answered:
            self.apply(OfferAnswered(None))

    def offer_sent_back(self, offer_id: str) -> None:
        """Escape on the offer: back to what was open, the offer on the desk's card (rule 3)."""
        self.apply(OfferSentBack(offer_id))

    def show_offer(self, box: OfferOver) -> None:
        """Put `box` up over whatever is in front (replacing any offer up), and keep it in front from now on."""
        if self._offer is not None:
            self.close_offer()
        box.closing = self._closing
        self._offer = box
        self.attention.apply(OfferUp(True))
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
            self.attention.apply(OfferUp(False))
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
        (goes,) = self.attention.apply(KeyArrived(event.time, box.shown_at if box is not None else None))
        if box is None:
            return False
        if isinstance(goes, KeyTo) and goes.goes is KeyGoes.UNDER and event.key != "escape":
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

    # --- rule 4: a conversation accepted over what was open, and the wrap-up of the agent's `e` ----------------

    def accepting(self, offer: Offer | None) -> None:
        """`a` on the offer: not up again while the accept is on its way (rule 3); for a chat, SMS or email, the
        overlays under it step aside, whole, so that its composer is in front for the keys that follow (rule 4);
        `bring_back` puts them back."""
        if offer is not None:
            self.answering(offer, None)
        if offer is not None and offer.contact.channel in DIGITAL:
            self.apply(ConversationAccepted(offer.contact.id))

    def bring_back(self) -> None:
        """The agent left the composer (or the conversation accepted never came): what stepped aside comes back on
        top in its order, unless the wrap-up of the agent's own `e` is in front (it waits for it to be saved)."""
        self.apply(LeftComposer())

    def ended(self, contact_id: str) -> None:
        """What the agent's `e` calls with the contact it ended: its wrap-up is in front of what stepped aside until
        it is saved (rule 4), and takes the cursor as it is drawn (rule 8)."""
        self.apply(AgentEnded(contact_id))

    def wrap_up_drawn(self, contact_id: str | None, take_cursor: Callable[[], object]) -> None:
        """The desk drew its wrap-up (of `contact_id`, if any): `take_cursor` puts the cursor on its disposition,
        if the agent's `e` ended it (rule 8), in the key's turn, so that what they type next is the wrap-up's."""
        self.carry_out(self.attention.apply(WrapUpDrawn(contact_id)), to_wrap_up=take_cursor)

    # --- rule 5: what a contact took with it -------------------------------------------------------------

    def close_what_left(self, desk: Desk, changes: DeskChanges) -> Iterator[str]:
        """Close the overlays whose contact is no longer what they were for (open or stepped aside), after the desk
        changed its contacts or wrap-ups, and bring back what waited for a wrap-up saved; yields why, for a notice
        each."""
        attention = self.attention
        if not (changes.contacts or changes.wrap_up):
            return
        if not (self.over_desk() or attention.open or attention.stepped_aside or attention.wrap_up_in_front):
            return
        held = desk.held
        wrapping = {cid for cid, h in held.items() if h.phase is Phase.WRAP_UP}
        for effect in self.apply(ContactsChanged(set(held), wrapping)):
            if isinstance(effect, Close):
                yield effect.why
