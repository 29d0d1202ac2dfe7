"""What is in front of the agent, and who gets the next key: the stack of what is open over the desk, what stepped
aside, where a pending offer shows, and the rules between them (docs/architecture.md, "The agent's attention").

No terminal here. The model owns its state and is told what happened (`apply(event)`: an overlay opened, closed or
closing itself, an offer pending, a key, a conversation accepted, the agent's `e`, its wrap-up drawn, the contacts
changed); it answers with what to do (`Effect`s: the offer to put up, where a key goes, the overlays to step aside,
to bring back or to close, how an overlay closing itself closes, the cursor to the wrap-up), which
the ui carries out in one place (`ui/agent/front_of_desk.py`), as the desk's model answers events with changes. One
rule for every overlay, by its kind; a new dialog declares its kind and its contact, nothing else.

Keys are judged by when they *arrived* from the terminal, never by when the desk got round to them: on a busy
machine a run of keys typed half a second apart can be read in one burst, and a rule on the reading time gave
them to whatever had come up meanwhile.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
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


class KeyGoes(StrEnum):
    """Where a key that arrives while an offer is on top goes."""

    OFFER = "offer"  # the offer's: a, r, escape, or a notice that the key does nothing there
    UNDER = "under"  # what the agent was typing in when the offer came up over it


# --- what the model is told -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """`overlay` opened over the desk, on top of what is open."""

    overlay: Overlay


@dataclass(frozen=True)
class Closed:
    """The overlay `key` is no longer open (closed by the agent, by its own flow, or by an effect carried out)."""

    key: int


@dataclass(frozen=True)
class Focused:
    """Where the desk's focus is: whether it takes letters (a text box, a select's open list), and the contact
    that field is about, where it is one contact's."""

    typing: bool
    about: str | None = None


@dataclass(frozen=True)
class OfferPending:
    """Rule 1: the desk has an offer pending (`offer_id`, for `contact_id`), or just missed one (`missed`)."""

    offer_id: str
    contact_id: str | None = None
    missed: bool = False


@dataclass(frozen=True)
class OfferUp:
    """The offer's box is up over what is open (True) or down (answered, gone, replaced)."""

    up: bool


@dataclass(frozen=True)
class OfferAnswered:
    """Rule 3: the agent answered the offer (`a`, `r`, on its box or on the desk's card); the answer is on its way.
    None: the answer came back refused, and the offer still pending may come up again."""

    offer_id: str | None


@dataclass(frozen=True)
class OfferSentBack:
    """Rule 3: escape on the offer: back to what was open; the offer stays on the desk's card."""

    offer_id: str


@dataclass(frozen=True)
class KeyArrived:
    """Rule 2: a key from the terminal, stamped `at` (when it arrived); `offer_shown_at`: when the offer on top, if
    one is, was first in sight."""

    at: float
    offer_shown_at: float | None = None


@dataclass(frozen=True)
class ConversationAccepted:
    """Rule 4: `a` on a chat, SMS or email offered over what was open."""

    contact_id: str


@dataclass(frozen=True)
class LeftComposer:
    """Rule 4: the agent left the composer (escape), or the conversation accepted never came."""


@dataclass(frozen=True)
class AgentEnded:
    """Rules 4 and 8: the agent's own `e` ended `contact_id`: its wrap-up is in front from now on, and takes the cursor
    as it is drawn."""

    contact_id: str


@dataclass(frozen=True)
class WrapUpDrawn:
    """Rule 8: the desk drew its wrap-up, of `contact_id` (None: none, the end refused or another contact selected)."""

    contact_id: str | None


@dataclass(frozen=True)
class Dismissing:
    """Rule 6: the overlay `key` closes itself (its answer given, or escape), wherever it is in the stack."""

    key: int


@dataclass(frozen=True)
class ContactsChanged:
    """Rule 5: the contacts the agent holds (`in_hand`, wrap-up included) and those whose wrap-up is not saved
    (`wrapping`), after the desk changed them."""

    in_hand: Collection[str]
    wrapping: Collection[str]


Event = (
    Opened
    | Closed
    | Focused
    | OfferPending
    | OfferUp
    | OfferAnswered
    | OfferSentBack
    | KeyArrived
    | ConversationAccepted
    | LeftComposer
    | AgentEnded
    | WrapUpDrawn
    | Dismissing
    | ContactsChanged
)


# --- what the model answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowOffer:
    """Put the offer up over what is open, in the next frame (`missed`: the one just missed, said over a dialog)."""

    offer_id: str
    missed: bool = False


@dataclass(frozen=True)
class KeyTo:
    """Where the key just told goes."""

    goes: KeyGoes


@dataclass(frozen=True)
class StepAside:
    """Take these overlays off the stack, whole (their fields as typed, their flows still waiting), bottom first."""

    overlays: tuple[Overlay, ...]


@dataclass(frozen=True)
class BringBack:
    """Put these overlays, stepped aside, back on top in their order."""

    overlays: tuple[Overlay, ...]


@dataclass(frozen=True)
class Close:
    """Close this overlay (open or stepped aside) with no answer, and tell the agent `why`."""

    overlay: Overlay
    why: str


@dataclass(frozen=True)
class Dismiss:
    """Close this overlay with its answer: the top screen as Textual closes it (`on_top`), or one under another
    taken out from under it, the rest as they were."""

    overlay: Overlay
    on_top: bool


@dataclass(frozen=True)
class CursorToWrapUp:
    """Put the cursor in the wrap-up of `contact_id`, on its disposition, in this turn."""

    contact_id: str


Effect = ShowOffer | KeyTo | StepAside | BringBack | Close | Dismiss | CursorToWrapUp


# --- rule 7: the next key once this one is done (the app's, for every desk: keys/key_turns.py reads by it) ------


@dataclass(frozen=True)
class KeyWasRead:
    """Rule 7: a key (or a paste) from the terminal was read: whether what is open changed with it (a screen opened
    or closed), whether it did all it does in its own turn (its binding ran as it was read), and whether it was typed
    into the focused text box or open list (`typed_into`), which still has the focus."""

    screens_changed: bool
    in_turn: bool
    typed_into_focused: bool


class NextKey(StrEnum):
    """When the key after one read is read."""

    AT_ONCE = "at once"  # it did all it does in its turn: the focus it moved is where the next goes
    BEHIND_TYPING = "behind typing"  # the next typed into the same widget goes behind it in its queue, at once;
    # any other waits until the widget has read what was typed
    ONCE_SETTLED = "once settled"  # what it set off in later turns (a screen mounting or closing, a widget's own
    # key that posts, submits or dismisses) is done first


def next_key(read: KeyWasRead) -> NextKey:
    """Rule 7: when the key after `read` is read. A screen opened or closed mounts, or answers its opener, in later
    turns, whatever else the key did; a key whose binding ran in its turn is done; one typed into a widget that kept
    the focus is in its queue; any other was handed to a widget that reads it later."""
    if read.screens_changed:
        return NextKey.ONCE_SETTLED
    if read.in_turn:
        return NextKey.AT_ONCE
    return NextKey.BEHIND_TYPING if read.typed_into_focused else NextKey.ONCE_SETTLED


@dataclass
class _Run:
    """The run of typing the last key belongs to."""

    last_key_at: float = float("-inf")
    began_at: float = float("-inf")


@dataclass
class Attention:
    """The model of what is in front of the agent: what is open over the desk (bottom first), what stepped aside
    for a conversation just accepted, whether the offer is up, the offer sent back with escape, the wrap-up the
    agent's `e` put in front, and the run of keys an offer came up in."""

    typing_run_s: float = TYPING_RUN_S
    open: tuple[Overlay, ...] = ()  # over the desk, bottom first (the offer's box is `offer_up`, not in here)
    stepped_aside: tuple[Overlay, ...] = ()  # for a conversation accepted over them, to come back in their order
    offer_up: bool = False  # the offer's box is over what is open
    offer_sent_back: str | None = None  # the offer escape sent back to the card; it does not come up again
    offer_answered: str | None = None  # the offer the agent answered: not up again while the answer is on its way
    missed_told: str | None = None  # the missed offer already said over what is open
    wrap_up_in_front: str | None = None  # the contact whose wrap-up the agent's own `e` put in front
    wrap_up_takes_cursor: str | None = None  # the contact the agent's `e` ended: its wrap-up, once drawn, the cursor's
    typing: bool = False  # the desk's focus takes letters: a text box (the composer, the notes), an open list
    typing_about: str | None = None  # the contact that text box is about, where it is one contact's
    _run: _Run = field(default_factory=_Run)
    _wrap_up_seen: bool = False  # the wrap-up in front was seen unsaved (its end was not refused before it)

    def apply(self, event: Event) -> list[Effect]:
        """What `event` changes here, and what the ui is to carry out for it, in order."""
        match event:
            case Opened(overlay):
                self.open = (*(o for o in self.open if o.key != overlay.key), overlay)
            case Closed(key):
                self.open = tuple(o for o in self.open if o.key != key)
                self.stepped_aside = tuple(o for o in self.stepped_aside if o.key != key)
            case Focused(typing, about):
                self.typing, self.typing_about = typing, about if typing else None
            case OfferPending():
                return self._offer_pending(event)
            case OfferUp(up):
                self.offer_up = up
            case OfferAnswered(offer_id):
                self.offer_answered = offer_id
            case OfferSentBack(offer_id):
                self.offer_sent_back = offer_id
            case KeyArrived(at, shown_at):
                return [KeyTo(self._key_goes(at, shown_at))]
            case ConversationAccepted(contact_id):
                self.wrap_up_in_front = None  # (the agent moved on to another conversation)
                return self._step_aside(contact_id)
            case LeftComposer():
                return [] if self.wrap_up_in_front is not None else self._bring_back()
            case AgentEnded(contact_id):
                self.wrap_up_takes_cursor = contact_id
                if self.stepped_aside:  # (nothing aside: nothing to keep behind it)
                    self.wrap_up_in_front, self._wrap_up_seen = contact_id, False
            case WrapUpDrawn(shown):
                return self._wrap_up_drawn(shown)
            case Dismissing(key):
                return self._dismissing(key)
            case ContactsChanged(in_hand, wrapping):
                return self._contacts_changed(in_hand, wrapping)
        return []

    # --- rule 1: a pending offer is in front, whatever is open -------------------------------------------

    def offer_comes_over(self, offer_id: str, contact_id: str | None = None) -> bool:
        """A pending offer comes up over what is open, in the next frame: over any overlay, or over a field the
        agent is typing in (where `a` and `r` are letters), whenever it was opened — before the offer came or a
        moment after, while it showed on the desk's card. Not twice, not once the agent sent it back to the card
        with escape, nor once they answered it (its accept on its way, the notes typed meanwhile are not its). With nothing open and no typing, the desk's own card is in front and answers it. Nor
        over what is about the offered contact itself (`contact_id`: the customer to pick for this caller is
        part of answering it)."""
        if offer_id in (self.offer_sent_back, self.offer_answered) or self.offer_up:
            return False
        if contact_id is not None and self.open and self.open[-1].contact_id == contact_id:
            return False
        if self.open:
            return True
        # A field about the offered contact (the new caller's name): typing it is part of answering the offer, which
        # stays on the desk's card beside it; brought over it, the name's next `a` accepted once the agent paused.
        return self.typing and (contact_id is None or self.typing_about != contact_id)

    def _offer_pending(self, event: OfferPending) -> list[Effect]:
        if not event.missed:
            return [ShowOffer(event.offer_id)] if self.offer_comes_over(event.offer_id, event.contact_id) else []
        # Missed while something was open over the desk: said there, once, for the card is under it (by the box
        # still up, if it is, in place).
        if self.missed_told == event.offer_id or not (self.open or self.offer_up):
            return []
        self.missed_told = event.offer_id
        return [] if self.offer_up else [ShowOffer(event.offer_id, missed=True)]

    # --- rule 2: keys go where the agent meant them -------------------------------------------------

    def _key_goes(self, at: float, offer_shown_at: float | None) -> KeyGoes:
        """Whose a key is, by when it arrived (`at`, the terminal's time of the key). Keys that follow each other
        within `typing_run_s` are one run of typing. With an offer on top (`offer_shown_at`: when it was first in
        sight), a key of a run that began before that goes on to what was under it; a run that began after is
        the offer's. With no offer on top, every key is the top's (it begins or continues a run)."""
        run = self._run
        if at - run.last_key_at >= self.typing_run_s:
            run.began_at = at
        run.last_key_at = max(run.last_key_at, at)
        if offer_shown_at is not None and run.began_at < offer_shown_at:
            return KeyGoes.UNDER
        return KeyGoes.OFFER

    # --- rule 4: a conversation accepted over what was open, and the wrap-up of the agent's `e` ---------------

    def _step_aside(self, contact_id: str) -> list[Effect]:
        """A chat, SMS or email was accepted over open overlays: they step aside, whole (their fields as the agent
        left them), so that its composer is in front and the greeting typed next lands there."""
        stepping = tuple(o for o in self.open if o.contact_id != contact_id)
        if not stepping:
            return []
        self.stepped_aside = self.stepped_aside + stepping
        self.open = tuple(o for o in self.open if o not in stepping)
        return [StepAside(stepping)]

    def _bring_back(self) -> list[Effect]:
        """The overlays stepped aside, bottom first, back over the desk."""
        back, self.stepped_aside = self.stepped_aside, ()
        self.open = self.open + back
        return [BringBack(back)] if back else []

    # --- rule 6: an overlay closes itself, wherever it is ---------------------------------------------

    def _dismissing(self, key: int) -> list[Effect]:
        """The overlay `key` closes itself: on top, as Textual closes the top screen; under another (a picker's
        answer while a dialog came over it), taken out from under it, for Textual's own dismissal pops the top
        screen whichever it is called on. Once: one closed already (or stepped aside) closes nothing."""
        overlay = next((o for o in self.open if o.key == key), None)
        if overlay is None:
            return []
        on_top = overlay is self.open[-1]
        self.open = tuple(o for o in self.open if o.key != key)
        return [Dismiss(overlay, on_top)]

    # --- rule 8: the wrap-up of the agent's `e` takes the cursor -------------------------------------

    def _wrap_up_drawn(self, shown: str | None) -> list[Effect]:
        """The wrap-up the agent's `e` ended takes the cursor as it is drawn, in the key's turn, so that what they
        type next (enter for the dispositions, the notes) is the wrap-up's. Once: drawn, or gone (the end refused,
        another contact selected); a contact the customer ended does not move the cursor."""
        wanted, self.wrap_up_takes_cursor = self.wrap_up_takes_cursor, None
        return [CursorToWrapUp(wanted)] if wanted is not None and wanted == shown else []

    # --- rule 5: an overlay whose contact has gone -------------------------------------------------

    def _contacts_changed(self, in_hand: Collection[str], wrapping: Collection[str]) -> list[Effect]:
        """The overlays (open or stepped aside) whose contact is no longer what they are for close, with why; the
        wrap-up the agent's `e` put in front, once saved (or the end refused), lets what stepped aside come back."""
        effects: list[Effect] = []
        for overlay in (*self.open, *self.stepped_aside):
            contact = overlay.contact_id
            if contact is None or overlay.lasts is Lasts.UNTIL_CLOSED:
                continue
            if overlay.lasts is Lasts.WHILE_WRAPPING and contact not in wrapping:
                effects.append(Close(overlay, f"{overlay.name} closed: the wrap-up was saved"))
            elif overlay.lasts is Lasts.WHILE_IN_HAND and contact not in in_hand:
                effects.append(Close(overlay, f"{overlay.name} closed: the contact is no longer yours"))
        gone = {e.overlay.key for e in effects if isinstance(e, Close)}
        self.open = tuple(o for o in self.open if o.key not in gone)
        self.stepped_aside = tuple(o for o in self.stepped_aside if o.key not in gone)
        ended = self.wrap_up_in_front
        if ended is not None:
            self._wrap_up_seen = self._wrap_up_seen or ended in wrapping
            if ended not in wrapping and (self._wrap_up_seen or ended not in in_hand):
                self.wrap_up_in_front = None
                if not self.typing:  # (in a composer: they come back when the agent leaves it)
                    effects += self._bring_back()
        return effects
