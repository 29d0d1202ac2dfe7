"""What is in front of the agent, and who gets the next key: the desk screen, the stack of what is open over it,
where a pending offer shows, and the rules between them (docs/architecture.md, "The agent's attention").

No terminal here: the screen tells this model what is open (`open_over_desk`) and asks it where an offer goes,
whose a key is, what closes when a contact leaves the agent's hands and what steps aside for a conversation just
accepted. One rule for every overlay, by its kind; a new dialog declares its kind and its contact, nothing else.

Keys are judged by when they *arrived* from the terminal, never by when the desk got round to them: on a busy
machine a run of keys typed half a second apart can be read in one burst, and a rule on the reading time gave
them to whatever had come up meanwhile.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

# Keys that follow each other within this long are one run of typing: a run that began before an offer came up
# over it goes on to what the agent was typing in (a person cannot stop mid-word for a card they have not read).
TYPING_RUN_S = 0.4


class OverlayKind(StrEnum):
    """What an overlay is to the agent: it decides whether it outlives its contact."""

    DIALOG = "dialog"  # asks for what the agent writes or sets (transfer, callback, follow-up, flag, case, quit…)
    PICKER = "picker"  # a choice from a list (reasons, disposition, quick responses, customers, copy, skill)
    VIEW = "view"  # something to read (my day, the outbox, a transcript, the help)
    PALETTE = "palette"  # the command palette
    OFFER = "offer"  # the offer itself, over the rest


class Lasts(StrEnum):
    """How long an overlay about a contact stays open."""

    UNTIL_CLOSED = "until closed"  # about the customer, not the contact: it stays until the agent closes it
    WHILE_WRAPPING = "while wrapping"  # a part of the contact's wrap-up: it closes once the wrap-up is saved
    WHILE_IN_HAND = "while in hand"  # an action on the live contact: it closes when the contact leaves the hands


@dataclass(frozen=True)
class Overlay:
    """One thing open over the desk. `key` tells overlays apart (the screen's identity); `contact_id` is the
    contact it is about, if any."""

    key: int
    kind: OverlayKind
    name: str
    contact_id: str | None = None
    lasts: Lasts = Lasts.UNTIL_CLOSED
    raised_by_desk: bool = False  # opened by the desk itself (a notice), not by the agent's key


@dataclass(frozen=True)
class Closing:
    """An overlay that closes by itself, and the line that tells the agent why."""

    overlay: Overlay
    why: str


class KeyGoes(StrEnum):
    """Where a key that arrives while an offer is on top goes."""

    OFFER = "offer"  # the offer's: a, r, escape, or a notice that the key does nothing there
    UNDER = "under"  # what the agent was typing in when the offer came up over it


class Attention:
    """The model of what is in front of the agent. The screen keeps `open` true to its stack of overlays; the rest
    of the state is what the rules need to remember: the offer put aside with escape, the overlays set aside for
    a conversation just accepted, and the run of keys an offer came up in."""

    def __init__(self, typing_run_s: float = TYPING_RUN_S) -> None:
        self.typing_run_s = typing_run_s
        self.open: tuple[Overlay, ...] = ()  # over the desk, bottom first
        self.typing = False  # the desk's focus takes letters: a text box (the composer, the notes), an open list
        self.typing_about: str | None = None  # the contact that text box is about, where it is one contact's
        self.put_aside: str | None = None  # the offer escape sent back to the card; it does not come up again
        self.set_aside: tuple[Overlay, ...] = ()  # stepped aside for a conversation accepted over them
        self._last_key_at = float("-inf")  # when the last key arrived from the terminal
        self._run_began_at = float("-inf")  # when the run of typing the last key belongs to began

    # --- what is open ------------------------------------------------------------------------

    def open_over_desk(self, overlays: Sequence[Overlay], *, typing: bool, typing_about: str | None = None) -> None:
        """What is open over the desk now, bottom first, and whether the desk's focus is in a text box (and the
        contact it is about: the caller's card's new-customer form is its caller's)."""
        self.open = tuple(overlays)
        self.typing, self.typing_about = typing, typing_about

    # --- rule 1: a pending offer is in front, whatever is open -------------------------------------------

    def offer_comes_over(self, offer_id: str | None, contact_id: str | None = None) -> bool:
        """A pending offer comes up over what is open, in the next frame: over any overlay, or over a field the
        agent is typing in (where `a` and `r` are letters), whenever it was opened — before the offer came or a
        moment after, while it showed on the desk's card. Not twice, and not once the agent sent it back to the
        card with escape. With nothing open and no typing, the desk's own card is in front and answers it. Nor
        over what is about the offered contact itself (`contact_id`: the customer to pick for this caller is
        part of answering it)."""
        if offer_id is None or offer_id == self.put_aside:
            return False
        if any(o.kind is OverlayKind.OFFER for o in self.open):
            return False
        if contact_id is not None and self.open and self.open[-1].contact_id == contact_id:
            return False
        if self.open:
            return True
        # A field about the offered contact (the new caller's name): typing it is part of answering the offer, which
        # stays on the desk's card beside it; brought over it, the name's next `a` accepted once the agent paused.
        return self.typing and (contact_id is None or self.typing_about != contact_id)

    def offer_sent_back(self, offer_id: str) -> None:
        """Escape on the offer: back to what was open; the offer stays on the desk's card (rule 3)."""
        self.put_aside = offer_id

    # --- rule 2: keys go where the agent meant them -------------------------------------------------

    def key_arrived(self, at: float, *, offer_shown_at: float | None) -> KeyGoes:
        """Whose a key is, by when it arrived (`at`, the terminal's time of the key). Keys that follow each other
        within `typing_run_s` are one run of typing. With an offer on top (`offer_shown_at`: when it was first in
        sight), a key of a run that began before that goes on to what was under it; a run that began after is
        the offer's. With no offer on top, every key is the top's."""
        if at - self._last_key_at >= self.typing_run_s:
            self._run_began_at = at
        self._last_key_at = max(self._last_key_at, at)
        if offer_shown_at is not None and self._run_began_at < offer_shown_at:
            return KeyGoes.UNDER
        return KeyGoes.OFFER

    def key_seen(self, at: float) -> None:
        """A key that arrived with no offer on top: it begins or continues a run of typing."""
        self.key_arrived(at, offer_shown_at=None)

    # --- rule 4: a conversation accepted over what was open ---------------------------------------

    def accepted_conversation(self, contact_id: str) -> tuple[Overlay, ...]:
        """A chat, SMS or email was accepted over open overlays: they step aside, whole (their fields as the agent
        left them), so that its composer is in front and the greeting typed next lands there. Returned bottom first;
        `bring_back` returns them when the agent leaves the composer."""
        stepping = tuple(o for o in self.open if o.kind is not OverlayKind.OFFER and o.contact_id != contact_id)
        self.set_aside = self.set_aside + stepping
        self.open = tuple(o for o in self.open if o not in stepping)
        return stepping

    def bring_back(self) -> tuple[Overlay, ...]:
        """The overlays set aside, bottom first, to be put back over the desk (the agent left the composer)."""
        back, self.set_aside = self.set_aside, ()
        return back

    # --- rule 5: an overlay whose contact has gone -------------------------------------------------

    def closing(self, *, in_hand: Collection[str], wrapping: Collection[str]) -> list[Closing]:
        """The overlays (open or set aside) whose contact is no longer what they are for, with why. `in_hand`: the
        contacts the agent holds (wrap-up included); `wrapping`: those whose wrap-up is not saved yet."""
        closing = []
        for overlay in (*self.open, *self.set_aside):
            contact = overlay.contact_id
            if contact is None or overlay.lasts is Lasts.UNTIL_CLOSED:
                continue
            if overlay.lasts is Lasts.WHILE_WRAPPING and contact not in wrapping:
                closing.append(Closing(overlay, f"{overlay.name} closed: the wrap-up was saved"))
            elif overlay.lasts is Lasts.WHILE_IN_HAND and contact not in in_hand:
                closing.append(Closing(overlay, f"{overlay.name} closed: the contact is no longer yours"))
        gone = {c.overlay.key for c in closing}
        self.set_aside = tuple(o for o in self.set_aside if o.key not in gone)
        return closing
