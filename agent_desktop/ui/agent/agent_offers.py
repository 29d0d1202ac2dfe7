"""Offers above everything: an offer that arrives while the agent's keys would not reach the desk (a dialog
or the command palette is open, or they are typing) is shown over it, with its countdown and its keys
(agent_desktop/ui/agent/dialogs/offer_dialog.py); an open disposition list closes (the select keeps the focus) so the
card and `a` are not behind it. An offer that times out says so where the agent is looking: on that dialog
if it is up (or over whatever is open), else on the desk's offer card. The desk's offer card is this widget:
the screen sets the desk's state on it (`desk_changed`, and `now` each tick) and it posts the agent's answer
on the dialog up (`Answered`), which the screen carries out as the same key on the desk.

Neither comes in the middle of the agent's keys: within SETTLE_S of the last key the offer waits (its card
and bell are there already) for the keys to pause, MAX_WAIT_S at most. The agent's next key was meant for
what they had open — `y` on "End while the customer waits?", the enter that picks a disposition — and an
offer's dialog that came up under it (just before `y`, in a run of the tmux demo test) took the key from
the dialog it was for; a list closed as they picked from it left the focus nowhere and the pick undone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Select, TextArea

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.focus_rules import ShortPop, short_pop
from agent_desktop.domain.models import Offer
from agent_desktop.ui.agent.offer_card import OfferCard
from agent_desktop.ui.agent.typing_pause import MAX_WAIT_S, SETTLE_S
from agent_desktop.ui.plain_text import literal_title

if TYPE_CHECKING:
    from agent_desktop.ui.agent.dialogs.offer_dialog import OfferDialog

__all__ = ["MAX_WAIT_S", "SETTLE_S", "DeskOffer", "offer_title"]


def offer_title(offer, replaced) -> str:
    """The offer card's title: it says when the caller changed under it (the first one hung up)."""
    if offer is not None and replaced is not None:
        return f"Offer · changed: {replaced.contact.from_address} hung up or was taken"
    return "Offer"


class DeskOffer(OfferCard):
    """The desk's offer card, and the offer over whatever is open."""

    class Answered(Message):
        """The agent answered the offer on its dialog: "accept", "reject" or "go_available"."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, desk: Desk, clock: Callable[[], datetime], **kwargs) -> None:
        """`clock`: the desk's (the dialog's countdown starts from it, not from the last tick)."""
        super().__init__(**kwargs)
        self.desk = desk
        self.clock = clock
        self._offer_since: tuple[str, float] | None = None  # the offer presented next, and since when it waits
        self._presented: str | None = None  # the offer shown over what was open or that closed the open list (once)
        self._elsewhere_when_offered = False  # the agent's keys did not reach the desk when the offer came
        self._after_pause: Timer | None = None
        self._offer_dialog: OfferDialog | None = None
        # The offer the agent sent back under what was open (escape). One id, not a set of them: a desk has one
        # offer at a time, and a set grew by an offer id with every one put aside, all shift long.
        self._put_aside: str | None = None
        self._missed_told: str | None = None  # the missed offer already shown over a dialog

    def desk_changed(self, offer_changed: bool, agent_changed: bool) -> None:
        """Draw what the desk changed: the agent's state, the offer and its title, its caller's line."""
        desk = self.desk
        if agent_changed and desk.agent is not None:
            self.agent_state = desk.agent.state
        if offer_changed:
            self.offer = desk.offer
            self.border_title = literal_title(offer_title(desk.offer, desk.replaced_offer))
            self._count_down(self.clock())  # from its first drawing
        if offer_changed or agent_changed:
            self.show()
        self._show_caller()

    def _show_caller(self) -> None:
        """The offered contact's caller, in one line on the card (and on the dialog when it is up)."""
        offer = self.desk.offer
        lookup = self.desk.lookups.get(offer.contact.id) if offer else None
        caller: ShortPop | None = None
        if lookup is not None:
            caller = short_pop(
                record=lookup.record, candidates=len(lookup.candidates), done=lookup.done, error=lookup.error,
                withheld=lookup.withheld,
            )  # fmt: skip
        if self.caller != caller:
            self.caller = caller
        if self._offer_dialog is not None:
            self._offer_dialog.show_caller(caller)

    def watch_now(self, now: datetime | None) -> None:
        """The dialog's countdown, with the card's. (A dialog the agent opens while an offer rings is theirs:
        often the offered caller's own, a customer to pick; the offer does not come over it.)"""
        if self._offer_dialog is not None and now is not None:
            self._offer_dialog.tick(now)
        if now is not None:
            self._count_down(now)

    def _count_down(self, now: datetime) -> None:
        """An auto-accepted offer's countdown (agent_desk/auto_accept.py): run out, accepted as by `a`."""
        auto_accept, offer = self.desk.auto_accept, self.desk.offer
        if auto_accept.due(offer, now):
            self.post_message(self.Answered("accept"))
        self.auto_accept = auto_accept.countdown(offer, now)

    def show(self) -> None:
        """After the desk changed: the offer (or the one just missed) where the agent can see and answer it."""
        self.missed = self.desk.missed_offer if self.desk.offer is None else None
        offer = self.desk.offer
        dialog = self._offer_dialog
        if dialog is not None and (offer is None or offer.id != dialog.offer.id):
            missed = self.desk.missed_offer
            if offer is None and missed is not None and missed.id == dialog.offer.id:
                dialog.show_missed()
                self._missed_told = missed.id
                return
            if self.app.screen is dialog:  # (the palette opened over it: escape closes it after)
                dialog.dismiss(None)
            elif (shown := dialog.shown_card()) is not None:
                shown.offer = None
            dialog = None
        if offer is None:
            self._tell_missed_over_a_dialog()
            return
        if self._keys_going(offer.id):
            return  # shown when they pause
        over_what_was_open = dialog is None and offer.id != self._put_aside and self._keys_elsewhere()
        if offer.id != self._presented:
            self._presented = offer.id
            self._close_lists()
            # Over what was open when it came, if still open: not over a dialog the agent opened since (the help,
            # a customer to pick for this very caller).
            over_what_was_open = over_what_was_open and self._elsewhere_when_offered
        if over_what_was_open:
            self._open(offer)

    def _keys_going(self, offer_id: str) -> bool:
        """The agent is in the middle of their keys (the last one within SETTLE_S): `show` again once they pause,
        or once the offer has waited MAX_WAIT_S."""
        now = time.monotonic()
        if self._offer_since is None or self._offer_since[0] != offer_id:
            self._offer_since = (offer_id, now)
            self._elsewhere_when_offered = self._keys_elsewhere()
        last_key_at: float = getattr(self.app, "last_key_at", float("-inf"))  # the desk app's (its on_event)
        left = min(last_key_at + SETTLE_S, self._offer_since[1] + MAX_WAIT_S) - now
        if left <= 0:
            return False
        if self._after_pause is None:
            self._after_pause = self.set_timer(left, self._paused)
        return True

    def _paused(self) -> None:
        self._after_pause = None
        if self.is_attached:
            self.show()

    def _close_lists(self) -> None:
        """An open list would hide the card and take `a` as a search: closed, its select keeping the focus (the
        agent's pick so far stays; enter opens the list again). An open list holds the focus (its overlay; Textual
        closes it when the focus leaves), so the focused widget's ancestors are looked at, not the whole screen."""
        focused = self.screen.focused
        for node in focused.ancestors_with_self if focused is not None else ():
            if isinstance(node, Select):
                if node.expanded:
                    node.expanded = False
                    self.screen.set_focus(node)
                return

    def _tell_missed_over_a_dialog(self) -> None:
        missed = self.desk.missed_offer
        if missed is None or missed.id == self._missed_told or not self._covered():
            return
        self._missed_told = missed.id
        self._open(missed).show_missed()

    def _open(self, offer: Offer) -> OfferDialog:
        from agent_desktop.ui.agent.dialogs.offer_dialog import OfferDialog  # (only when something is over the desk)

        dialog = self._offer_dialog = OfferDialog(offer, now=self.clock())
        replaced = self.desk.replaced_offer
        dialog.replaced_from = (
            replaced.contact.from_address if replaced is not None and offer is self.desk.offer else None
        )
        self.app.push_screen(dialog, partial(self._offer_answered, dialog))
        return dialog

    def _covered(self) -> bool:
        """Something is open over the desk (a dialog, the command palette)."""
        stack = self.app.screen_stack
        return self.screen in stack and stack[-1] is not self.screen

    def _keys_elsewhere(self) -> bool:
        """`a` would not reach the desk: something is open over it, or the agent is typing in it."""
        screen = self.screen
        return self._covered() or (screen in self.app.screen_stack and isinstance(screen.focused, Input | TextArea))

    def _offer_answered(self, dialog: OfferDialog, action: str | None) -> None:
        if self._offer_dialog is dialog:
            self._offer_dialog = None
        if action in ("accept", "reject", "go_available"):
            self.post_message(self.Answered(action))
        elif self.desk.offer is not None and self.desk.offer.id == dialog.offer.id:
            self._put_aside = dialog.offer.id  # escape: back to what was open; the card still has it
