"""An offer over whatever the agent has open (a dialog, a picker, the command palette, a text being typed): its card
with the countdown, `a` accepts, `r` rejects, `escape` goes back to what was open (the offer stays on the
desk's card). What was open stays as it was underneath: nothing typed is lost.

Not a screen of its own: a box in a layer of the screen in front (as Textual's toasts are), which the desk's front
(agent_desktop/ui/agent/front_of_desk.py) puts on whatever screen is on top and moves when that changes. A
screen pushed over two others made Textual render and re-tint both under it in full (the figures are in
docs/benchmarks.md); this paints its own region only, and what was open keeps its widgets, focus and layout untouched.

If the offer times out while this is up, it says so here, where the agent is looking, until they close it
(`v` makes them Available again). Whose each key is, is the attention model's rule (agent_desktop/agent_desk/
attention.py, carried out by the front as the key is read): the keys of a run of typing that began before this
was painted go on to what was under it (`hand_under`) — letters and the keys that edit or send a text, the keys
of the dialog under it — so someone in the middle of a sentence neither accepts nor rejects a contact with its
letters; once they pause, the keys are this box's (`answer_key`), and no other key reaches what is under it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingsMap
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from agent_desktop.agent_desk.focus_rules import ShortPop
from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.domain.models import Offer
from agent_desktop.ui.agent.offers.offer_card import OfferCard
from agent_desktop.ui.keys.key_turn import own_binding
from agent_desktop.ui.plain_text import literal_title
from agent_desktop.ui.textual_compat import app_keymap

WIDTH = 64
# Its height for centring (a border, the card's three or four lines, the keys' line): a guess kept fixed, so
# that it is laid out once where it lands rather than measured and moved.
HEIGHT = 9


class OfferOver(Vertical):
    """The offer in front. `answered(box, action)`: the action chosen ("accept", "reject", "go_available") or None
    (back to what was open), called once, in the key's turn; `closing(box)` takes it off the screen first."""

    DEFAULT_CSS = """
    OfferOver {
        layer: offer;
        dock: top;
        width: 64;
        max-width: 100%;
        height: auto;
        border: heavy $warning;
        background: $surface;
        padding: 0 1;
    }
    OfferOver.-missed {
        border: heavy $error;
    }
    OfferOver #offer-over {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    OfferOver #offer-over.-missed {
        text-wrap: wrap;
    }
    OfferOver #offer-over-keys {
        margin-top: 1;
        color: $text-muted;
    }
    """

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
        # No id: a box replaced (another offer in its place) or moved back onto a screen is mounted there in the
        # same turn as the one before it is removed, and Textual removes a widget later (in its own message loop),
        # so a fixed id was still taken by the leaving box (DuplicateIds, and the desk stopped).
        super().__init__()
        self.deadline = deadline
        self.offer = offer
        self.now = now
        self.replaced_from: str | None = None  # the caller of the offer this one replaced (they hung up)
        self.missed = False  # it timed out: this says so until the agent closes it
        self.caller: ShortPop | None = None
        # When this was first painted (monotonic, as the terminal's keys are stamped): keys that arrived before
        # were typed without it in sight. Kept when it moves to another screen.
        self.shown_at = math.inf
        self.closed = False
        # The desk's answer, carried out in the key's own turn (the keys behind it find what it put in front).
        self.answered: Callable[[OfferOver, str | None], None] = lambda box, action: None
        self.closing: Callable[[OfferOver], None] = lambda box: None

    def moved(self) -> OfferOver:
        """The same offer, as it stands, for the screen now on top (a widget lives on one screen)."""
        box = OfferOver(self.offer, self.now, self.deadline)
        box.replaced_from, box.missed, box.caller, box.shown_at = (
            self.replaced_from,
            self.missed,
            self.caller,
            self.shown_at,
        )
        box.answered, box.closing = self.answered, self.closing
        return box

    def compose(self) -> ComposeResult:
        yield OfferCard(id="offer-over", deadline=self.deadline)
        yield Static(id="offer-over-keys")

    def shown_card(self) -> OfferCard | None:
        """The card once composed (the desk may tell this box things before then)."""
        cards = self.query(OfferCard)
        return cards.first() if cards else None

    def on_mount(self) -> None:
        self._centre()
        self.screen.screen_layout_refresh_signal.subscribe(self, lambda _: self._centre())
        card = self.shown_card()
        if card is None:  # closed as it opened
            return
        card.offer = None if self.missed else self.offer
        card.now = self.now
        card.missed = self.offer if self.missed else None
        card.caller = self.caller
        self._show_keys()
        self.call_after_refresh(self._painted)

    def on_unmount(self) -> None:
        self.screen.refresh_bindings()  # the footer shows the keys of what it covered again

    def _centre(self) -> None:
        """Across the middle of the screen it is on, at its top: just under the agent's status line, where the desk's
        own Offer pane is (docked at the top, pushed down and across by its margin). A dialog is centred, so its
        middle (the follow-up's message, the transfer's list) stays in view; in the middle of the screen this box
        hid exactly that. Without the agent's status line under it, in the middle."""
        width, height = self.screen.size
        status = next(iter(self.app.screen_stack[0].query("#agent-status")), None)
        top = status.region.bottom if status is not None and status.region else (height - HEIGHT) // 2
        margin = (max(0, top), 0, 0, max(0, (width - WIDTH) // 2))
        if tuple(self.styles.margin) != margin:
            self.styles.margin = margin

    def _painted(self) -> None:
        self.shown_at = min(self.shown_at, time.monotonic())

    def show_caller(self, caller: ShortPop | None) -> None:
        """Who is calling, as the desk's card says it (the lookup may finish after this opened)."""
        self.caller = caller
        if (card := self.shown_card()) is not None and card.caller != caller:
            card.caller = caller

    def tick(self, now: datetime) -> None:
        """The countdown, redrawn where the card is."""
        card = self.shown_card()
        self.now = now
        if card is not None and card.now != now:
            card.now = now

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
        self.screen.refresh_bindings()  # the footer shows this box's keys (`keys_in_front`)
        title = "Missed offer" if self.missed else "Offer"
        if not self.missed and self.replaced_from:
            title = f"Offer · changed: {self.replaced_from} hung up or was taken"
        self.border_title = literal_title(title)

    def keys(self) -> dict[str, str]:
        """Each key that answers this now, with its answer, after the app's keymap."""
        return {key: answer for key, (_, answer) in self._answering().items()}

    def keys_in_front(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows while this is up (ui/shared/footer.py `KeysInFront`): this box's, not the
        dialog's under it."""
        return {key: ActiveBinding(self, b, True, b.tooltip) for key, (b, _) in self._answering().items()}

    def _answering(self) -> dict[str, tuple[Binding, str]]:
        bindings = BindingsMap(self.BINDINGS)
        bindings.apply_keymap(app_keymap(self.app))
        return {
            key: (binding, answer)
            for key, found in bindings.key_to_bindings.items()
            for binding in found
            if (answer := self.ANSWERS.get(binding.id or "")) is not None
            and (answer == "" or (answer == "go_available") == self.missed)
        }

    def answer_key(self, event: events.Key) -> bool:
        """A key that is this box's: its answer carried out now (True), or False (a key that does nothing here)."""
        answer = self.keys().get(event.key)
        if answer is None:
            return False
        self.choose(answer)
        return True

    def hand_under(self, event: events.Key) -> None:
        """A key typed before this was in sight, or in the same run of typing: for what was open under it, the
        screen it is on. Every key goes through the queue of the widget focused there, so they are carried out
        in the order typed."""
        below = self.screen
        target = below.focused
        typed = event.character is not None and event.is_printable
        if isinstance(target, Input | TextArea) and (
            typed or (event.key == "enter" and own_binding(target, "enter") is None)
        ):
            key = events.Key(event.key, event.character)  # typed, or enter the widget reads itself
            key.stop()  # to the widget alone, never bubbling up to the desk's keys
            target.post_message(key)
        elif target is not None and (action := own_binding(target, event.key)) is not None:
            target.call_later(target.run_action, action)  # backspace, delete, arrows in a text box
        elif (bound := below.active_bindings.get(event.key)) is not None and bound.enabled:
            # A key of what was open, not its text's (`y` on "End while the customer waits?", ctrl+s that saves
            # the wrap-up): carried out there, under the offer, which stays up.
            (target or below).call_later(self.app.run_action, bound.binding.action, bound.node)
        elif target is not None and typed:
            key = events.Key(event.key, event.character)  # a letter for a list: type-to-search, or nothing
            key.stop()
            target.post_message(key)

    def choose(self, action: str) -> None:
        """The answer (or escape): this leaves the screen, then the desk carries it out before the next key is
        read."""
        if self.closed:
            return  # answered already
        self.closed = True
        self.closing(self)
        self.answered(self, action or None)
