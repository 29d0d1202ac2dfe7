"""An offer over whatever the agent has open (a dialog, a picker, the command palette, a text being typed): its card
with the countdown, `a` accepts, `r` rejects, `escape` goes back to what was open (the offer stays on the
desk's card). What was open stays as it was underneath: nothing typed is lost.

If the offer times out while this is up, it says so here, where the agent is looking, until they close it
(`v` makes them Available again). Whose each key is, is the attention model's rule (agent_desktop/agent_desk/
attention.py, carried out by agent_desktop/ui/agent/front_of_desk.py as the key is read): the keys of a run of
typing that began before this was painted go on to what was under it (`hand_under`) — letters and the keys that
edit or send a text, the keys of the dialog under it — so someone in the middle of a sentence neither accepts nor
rejects a contact with its letters; once they pause, the keys are this dialog's (`answer_key`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.focus_rules import ShortPop
from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.domain.models import Offer
from agent_desktop.ui.agent.offer_card import OfferCard
from agent_desktop.ui.plain_text import literal_title
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


class OfferDialog(OverlayScreen[str | None]):
    """Dismissed with the action chosen ("accept", "reject", "go_available") or None (back to what was open)."""

    ATTENTION = OverlayKind.OFFER

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
        Binding(
            "escape",
            "choose('')",
            "Back",
            tooltip="Back to what was open (the offer stays on the desk)",
            id="offer.back",
        ),
    ]
    ANSWERS = {"desk.accept": "accept", "desk.reject": "reject", "desk.go_available": "go_available", "offer.back": ""}

    def __init__(self, offer: Offer, now: datetime | None = None, deadline: OfferDeadline | None = None) -> None:
        """`now`: the desk's clock as it opens (else its countdown reads "0 s left" until the first tick);
        `deadline`: the desk's, so that the countdown here is the one on the desk's card."""
        super().__init__()
        self.deadline = deadline
        self.offer = offer
        self.now = now
        self.replaced_from: str | None = None  # the caller of the offer this one replaced (they hung up)
        self.missed = False  # it timed out: this says so until the agent closes it
        self.caller: ShortPop | None = None
        # When this was first painted (monotonic, as the terminal's keys are stamped): keys that arrived before
        # were typed without it in sight.
        self.shown_at = math.inf
        # The desk's answer, carried out in the key's own turn (the keys behind it find what it put in front).
        self.answered: Callable[[OfferDialog, str | None], None] = lambda dialog, action: None

    def compose(self) -> ComposeResult:
        with Vertical(id="offer-over-box"):
            yield OfferCard(id="offer-over", deadline=self.deadline)
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
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.shown_at = min(self.shown_at, time.monotonic())

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

    def answer_key(self, event: events.Key) -> bool:
        """A key that is this dialog's: its answer carried out now (True), or left to Textual (False: a key that
        does nothing here, which the app says)."""
        active = self.active_bindings.get(event.key)
        if active is None or active.node is not self or not active.enabled:
            return False
        action = self.ANSWERS.get(active.binding.id or "")
        if action is None:
            return False
        self.action_choose(action)
        return True

    def hand_under(self, event: events.Key) -> None:
        """A key typed before this was in sight, or in the same run of typing: for what was open under it. Every
        key goes through the queue of the widget focused there, so they are carried out in the order typed."""
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack and stack.index(self) > 0 else None
        if below is None:
            return
        target = below.focused
        typed = event.character is not None and event.is_printable
        if isinstance(target, Input | TextArea) and (
            typed or (event.key == "enter" and _bound(target, "enter") is None)
        ):
            key = events.Key(event.key, event.character)  # typed, or enter the widget reads itself
            key.stop()  # to the widget alone, never bubbling up to the desk's keys
            target.post_message(key)
        elif target is not None and (action := _bound(target, event.key)) is not None:
            target.call_later(target.run_action, action)  # backspace, delete, arrows in a text box
        elif (bound := below.active_bindings.get(event.key)) is not None and bound.enabled:
            # A key of what was open, not its text's (`y` on "End while the customer waits?", ctrl+s that saves
            # the wrap-up): carried out there, under the offer, which stays up.
            (target or below).call_later(self.app.run_action, bound.binding.action, bound.node)
        elif target is not None and typed:
            key = events.Key(event.key, event.character)  # a letter for a list: type-to-search, or nothing
            key.stop()
            target.post_message(key)

    def action_choose(self, action: str) -> None:
        """The answer (or escape): the desk carries it out before the next key is read, then this closes."""
        if self.app.screen is not self:
            return  # answered already
        self.answered(self, action or None)
        self.dismiss(action or None)


def _bound(widget: Widget, key: str) -> str | None:
    """The action `widget` binds `key` to itself (its class's BINDINGS and its bases'), if it does."""
    for cls in type(widget).__mro__:
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            if binding.key == key:
                return binding.action
    return None
