"""Offers in front: the desk's offer card, and the offer brought up over whatever the agent has open (a dialog,
a picker, the command palette, a text being typed) in the next frame, with its countdown and its keys
(agent_desktop/ui/agent/offers/offer_over.py, kept on the screen in front by the front of the desk). Where it shows is the attention model's rule
(agent_desktop/agent_desk/attention.py, rule 1): a select's list open on the desk counts as something open, the
offer comes over it and the list stays as it was. An offer that times out says so where the agent is looking: on that dialog if it
is up (or over whatever is open), else on the desk's offer card. The screen builds this with its front and
`answer` (which carries out the agent's answer on the dialog in the key's own turn), and sets the desk's state on it
(`desk_changed`, and `now` each tick).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, Unpack

from agent_desktop.agent_desk.attention import ShowOffer
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.focus_rules import ShortPop, short_pop
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.models import Offer
from agent_desktop.ui.agent.offers.offer_card import OfferCard
from agent_desktop.ui.agent.offers.offer_over import OfferOver
from agent_desktop.ui.plain_text import literal_title

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

__all__ = ["BuildsOffer", "DeskOffer", "OfferFront", "offer_title"]

# What builds the box of an offer the attention model puts up (or of the one just missed), as the desk has it now:
# the card's `build_offer`, handed to the front with the offer it tells it of.
BuildsOffer = Callable[[ShowOffer], OfferOver | None]


class OfferFront(Protocol):
    """What is open over the desk, as the offer card sees it (front_of_desk.py's FrontOfDesk, which mounts the offer
    over it): the attention model and the offer over what is open. The front imports this package, never the other
    way round."""

    def offer_over(self) -> OfferOver | None: ...

    def offer_pending(self, offer: Offer, build: BuildsOffer, *, missed: bool = False) -> None: ...

    def offer_sent_back(self, offer_id: str) -> None: ...

    def close_offer(self) -> bool: ...

    def keep_offer_in_front(self) -> None: ...


def offer_title(offer: Offer | None, replaced: Offer | None) -> str:
    """The offer card's title: it says when the caller changed under it (the first one hung up)."""
    if offer is not None and replaced is not None:
        return f"Offer · changed: {shown_phone(replaced.contact.from_address)} hung up or was taken"
    return "Offer"


class DeskOffer(OfferCard):
    """The desk's offer card, and the offer over whatever is open."""

    def __init__(
        self,
        desk: Desk,
        clock: Callable[[], datetime],
        front: OfferFront,
        answer: Callable[[str], None],
        **kwargs: Unpack[WidgetOptions],
    ) -> None:
        """`clock`: the desk's (the dialog's countdown starts from it, not from the last tick); `front`: the screen's,
        what is open over the desk; `answer`: the screen's, which carries out the agent's answer on the box
        ("accept", "reject", "go_available") in the key's turn."""
        super().__init__(deadline=desk.offer_deadline, **kwargs)
        self.desk = desk
        self.clock = clock
        self.front = front
        self.answer = answer

    @property
    def _offer_over(self) -> OfferOver | None:
        """The offer over what is open, if it is up (the front keeps it on the screen in front)."""
        return self.front.offer_over()

    def on_mount(self) -> None:
        # Something opened or closed over the desk, or the focus moved into a text box or out: where the offer
        # shows is looked at again (rule 1).
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _screen_changed(self, _: object) -> None:
        top = self.app.screen
        if not top.is_mounted:
            # A screen may read the stack as it mounts (the command palette takes the screen under it for its
            # commands: with the offer already over it, that was the palette itself, and it found nothing). The
            # offer comes over it once it has mounted, in its first frame.
            top.call_after_refresh(self._screen_changed, None)
            return
        self.front.keep_offer_in_front()
        self.show()

    def _focus_moved(self, _: object) -> None:
        if self.desk.offer is not None:
            self.show()

    def desk_changed(self, offer_changed: bool, agent_changed: bool) -> None:
        """Draw what the desk changed: the agent's state, the offer and its title, its caller's line."""
        desk = self.desk
        if agent_changed and desk.agent is not None:
            self.agent_state = desk.agent.state
        if offer_changed:
            if desk.offer is not None:
                desk.offer_deadline.seen(desk.offer, self.clock())  # as it arrives, before any drawing
            self.offer = desk.offer
            self.border_title = literal_title(offer_title(desk.offer, desk.replaced_offer))
            self._count_down(self.clock())  # from its first drawing
        self.show()
        self._show_caller()

    def _show_caller(self) -> None:
        """The offered contact's caller, in one line on the card (and on the dialog when it is up)."""
        offer = self.desk.offer
        lookup = self.desk.lookups.get(offer.contact.id) if offer else None
        caller: ShortPop | None = None
        if lookup is not None:
            caller = short_pop(
                record=lookup.record,
                candidates=len(lookup.candidates),
                done=lookup.done,
                error=lookup.error,
                withheld=lookup.withheld,
            )
        if self.caller != caller:
            self.caller = caller
        if self._offer_over is not None:
            self._offer_over.show_caller(caller)

    def watch_now(self, now: datetime | None) -> None:
        """The dialog's countdown, with the card's."""
        if self._offer_over is not None and now is not None:
            self._offer_over.tick(now)
        if now is not None:
            self._count_down(now)

    def _count_down(self, now: datetime) -> None:
        """An auto-accepted offer's countdown (agent_desk/auto_accept.py): run out, accepted as by `a`."""
        auto_accept, offer = self.desk.auto_accept, self.desk.offer
        if auto_accept.due(offer, now):
            self.answer("accept")
        self.auto_accept = auto_accept.countdown(offer, now)

    def show(self) -> None:
        """After the desk changed, or what is open over it: the offer (or the one just missed) where the agent
        can see and answer it (not while another desk is in front: the supervisor's). Where it shows is the
        attention model's to say (`FrontOfDesk.offer_pending`), which has it built here (`build_offer`)."""
        self.missed = self.desk.missed_offer if self.desk.offer is None else None
        if not self.is_attached or self.screen not in self.app.screen_stack:  # (not attached: the app is closing)
            return
        offer = self.desk.offer
        dialog = self._offer_over
        if dialog is not None and (offer is None or offer.id != dialog.offer.id):
            missed = self.desk.missed_offer
            if offer is None and missed is not None and missed.id == dialog.offer.id:
                dialog.show_missed()  # said on the box up, where the agent is looking
                self.front.offer_pending(missed, self.build_offer, missed=True)
                return
            self.front.close_offer()
            dialog = None
        if dialog is not None:
            return
        if offer is not None:
            self.front.offer_pending(offer, self.build_offer)
        elif (missed := self.desk.missed_offer) is not None:
            self.front.offer_pending(missed, self.build_offer, missed=True)

    def build_offer(self, show: ShowOffer) -> OfferOver | None:
        """The box of the offer the attention model puts up (or of the one just missed), as the desk has it now."""
        offer = self.desk.missed_offer if show.missed else self.desk.offer
        if offer is None or offer.id != show.offer_id:
            return None
        dialog = OfferOver(offer, now=self.clock(), deadline=self.desk.offer_deadline)
        replaced = self.desk.replaced_offer
        dialog.replaced_from = (
            shown_phone(replaced.contact.from_address) if replaced is not None and offer is self.desk.offer else None
        )
        dialog.answered = self._offer_answered
        if offer is self.desk.offer:
            dialog.show_caller(self.caller)  # as the card says it now (the lookup may have finished long ago)
        return dialog

    def _offer_answered(self, dialog: OfferOver, action: str | None) -> None:
        """On the offer over what was open, in the key's turn: the answer carried out before the next key is read."""
        if action in ("accept", "reject", "go_available"):
            self.answer(action)
        elif self.desk.offer is not None and self.desk.offer.id == dialog.offer.id:
            self.front.offer_sent_back(dialog.offer.id)  # escape: back to what was open
