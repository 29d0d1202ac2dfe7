"""An offer over whatever the agent has open (a dialog, the command palette, a text being typed): its card
with the countdown, `a` accepts, `r` rejects, `escape` goes back to what was open (the offer stays on the
desk's card). What was open stays as it was underneath: nothing typed is lost.

If the offer times out while this is up, it says so here, where the agent is looking, until they close it
(`v` makes them Available again). Keys typed as it appears, and every key that follows the one before within
the same moment, go on to what the agent was typing in — letters, and the keys that edit or send it
(backspace, delete, arrows, enter) — so someone in the middle of a sentence ("…for the refund") neither
accepts nor rejects a contact with its letters nor loses a correction or the message they were sending. A key
of what was open that is not its text's (`y` on a question, ctrl+s that saves the wrap-up) makes this step
aside, as escape does, and goes there. Once they stop typing, the keys are this dialog's. (The desk waits for a
pause in the keys before it opens this: agent_desktop/ui/agent/agent_offers.py.)
"""

from __future__ import annotations

import time
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from agent_desktop.agent_desk.focus_rules import ShortPop
from agent_desktop.domain.models import Offer
from agent_desktop.ui.agent.offer_card import OfferCard
from agent_desktop.ui.agent.typing_pause import SETTLE_S  # a key this soon after the last one is still typing
from agent_desktop.ui.plain_text import literal_title


class OfferDialog(ModalScreen[str | None]):
    """Dismissed with the action chosen ("accept", "reject", "go_available") or None (back to what was open)."""

    CSS_PATH = "offer_dialog.tcss"
    # The desk's ids (agent_desktop/agent_desk/commands.py): a key remapped in `[keymap]` answers an offer here too.
    BINDINGS = [
        Binding("a", "choose('accept')", "Accept", tooltip="Accept the offered contact", id="desk.accept"),
        Binding("r", "choose('reject')", "Reject", tooltip="Reject it: it goes back to the queue", id="desk.reject"),
        Binding(
            "v",
            "choose('go_available')",
            "Available",
            tooltip="Go Available again after a missed offer",
            id="desk.go_available",
        ),
        Binding("escape", "choose('')", "Back", tooltip="Back to what was open (the offer stays on the desk)"),
    ]

    def __init__(self, offer: Offer, now: datetime | None = None) -> None:
        """`now`: the desk's clock as it opens (else its countdown reads "0 s left" until the first tick)."""
        super().__init__()
        self.offer = offer
        self.now = now
        self.replaced_from: str | None = None  # the caller of the offer this one replaced (they hung up)
        self.missed = False  # it timed out: this says so until the agent closes it
        self.caller: ShortPop | None = None
        self._typing_until = time.monotonic() + SETTLE_S

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-over-box"):
            yield OfferCard(id="offer-over")
            yield Static(id="offer-over-keys")

    def shown_card(self) -> OfferCard | None:
        """The card once composed (the desk may tell this dialog things before then)."""
        cards = self.query(OfferCard)
        return cards.first() if cards else None

    def on_mount(self) -> None:
        card = self.shown_card()
        if card is None:  # closed as it opened (the offer went as it came): Textual mounted nothing in it
            return
        card.offer = None if self.missed else self.offer
        card.now = self.now
        card.missed = self.offer if self.missed else None
        card.caller = self.caller
        self._show_keys()

    def show_caller(self, caller: ShortPop | None) -> None:
        """Who is calling, as the desk's card says it (the lookup may finish after this opened)."""
        self.caller = caller
        if (card := self.shown_card()) is not None and card.caller != caller:
            card.caller = caller

    def tick(self, now: datetime) -> None:
        """The countdown, redrawn where the card is. Over an open composer the screen underneath repaints its
        blinking cursor every half second, which makes this screen repaint those regions only and drops the
        card's own update (Textual 8.2: `Screen._on_timer_update` clears the dirty widgets for a screen-wide
        repaint): the text stayed at "20 s left" and the bar was drawn where it crossed the composer. The
        card's region, marked on this screen too, is drawn either way."""
        card = self.shown_card()
        self.now = now
        if card is None or card.now == now:
            return
        card.now = now
        if card.region:
            self.refresh(card.region)

    def show_missed(self) -> None:
        """The offer timed out while this was up: say so here, and stay until the agent has read it."""
        self.missed = True
        if (card := self.shown_card()) is not None:
            card.offer = None
            card.missed = self.offer
            self._show_keys()

    def _show_keys(self) -> None:
        keys = "escape  back to what was open" + ("" if self.missed else "; the offer stays on the card")
        self.query_one("#offer-over-keys", Static).update(keys)
        self.set_class(self.missed, "-missed")
        title = "Missed offer" if self.missed else "Offer"
        if not self.missed and self.replaced_from:
            title = f"Offer · changed: {self.replaced_from} hung up or was taken"
        self.query_one("#offer-over-box").border_title = literal_title(title)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "choose" or not parameters or parameters[0] == "":
            return True
        return (parameters[0] == "go_available") == self.missed

    def on_key(self, event: events.Key) -> None:
        now = time.monotonic()
        if now >= self._typing_until or event.key == "escape":
            return  # escape is nobody's typing: back to what was open, at once
        # Still typing, not answering the offer: for what was open underneath.
        self._typing_until = now + SETTLE_S
        event.stop()
        event.prevent_default()
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if below is None:
            return
        target = below.focused
        typed = event.character is not None and event.is_printable
        if isinstance(target, Input | TextArea) and (
            typed or (event.key == "enter" and _bound(target, "enter") is None)
        ):
            key = events.Key(event.key, event.character)  # typed, or enter the widget reads itself
            # The widget's or nobody's: one it does not take (a list, the help) bubbled up to the app, which
            # handed it back here as a new key, still "typing", and round again for ever — the desk at 100 %
            # of a core and this dialog deaf to `a` until the offer timed out. Nor may it reach the desk's keys.
            key.stop()  # to the widget alone, never bubbling up
            target.post_message(key)
        elif target is not None and (action := _bound(target, event.key)) is not None:
            target.call_later(target.run_action, action)  # backspace, delete, arrows, enter in a text box
        elif (bound := below.active_bindings.get(event.key)) is not None and bound.enabled:
            # A key of what was open, not the text box's (`y` on "End while the customer waits?", ctrl+s that
            # saves the wrap-up): this steps aside as escape would (the offer stays on the desk's card) and the
            # key goes where it was meant. Dropped, `y` left the question open and the chat unended.
            self.dismiss(None)
            self.app.post_message(events.Key(event.key, event.character))
        elif target is not None and typed:
            key = events.Key(event.key, event.character)  # a letter for a list: it reads type-to-search, or nothing
            key.stop()  # to the widget alone, never bubbling up
            target.post_message(key)

    def action_choose(self, action: str) -> None:
        self.dismiss(action or None)


def _bound(widget: Widget, key: str) -> str | None:
    """The action `widget` binds `key` to itself (its class's BINDINGS and its bases'), if it does."""
    for cls in type(widget).__mro__:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            if binding.key == key:
                return binding.action
    return None
