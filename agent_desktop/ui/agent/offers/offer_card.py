"""The contact being offered to the agent: who the caller is (a short pop), and a countdown to its timeout;
after one timed out, that it was missed and how to be routable again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from agent_desktop.agent_desk.auto_accept import AutoAcceptCountdown
from agent_desktop.agent_desk.focus_rules import ShortPop
from agent_desktop.agent_desk.offer_deadline import OfferDeadline
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import BotHandoff, Contact, Offer
from agent_desktop.domain.vocabulary import AgentState, Channel
from agent_desktop.ui.agent.contacts.journey_lines import (
    Parts,
    attached_parts,
    before_this_agent,
    handoff_parts,
    message_parts,
)
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS

if TYPE_CHECKING:
    from agent_desktop.ui.lines.widget_options import WidgetOptions

CHANNEL_LABELS = {
    channel: f"{CHANNEL_SYMBOLS[channel]} {channel.value.capitalize() if channel != Channel.SMS else 'SMS'}"
    for channel in Channel
}
BAR_WIDTH = 36
ABOUT_WIDTH = 56  # the card's width at 120 columns, before it is laid out
IDLE_HINTS = {
    AgentState.AVAILABLE: "No contact offered. Waiting for the next contact…",
    AgentState.BUSY: "On a contact (e ends it). Offers within your capacity appear here.",
    AgentState.AFTER_CONTACT_WORK: "Wrapping up: ctrl+s saves and makes you available again.",
    None: "No contact offered. Go Available (v) to receive contacts.",
}


class OfferCard(Static):
    offer: reactive[Offer | None] = reactive(None)
    now: reactive[datetime | None] = reactive(None)
    agent_state: reactive[AgentState | None] = reactive(None)
    caller: reactive[ShortPop | None] = reactive(None)
    missed: reactive[Offer | None] = reactive(None)
    auto_accept: reactive[AutoAcceptCountdown | None] = reactive(None)  # the offer's countdown to its auto-accept

    def __init__(self, *, deadline: OfferDeadline | None = None, **kwargs: Unpack[WidgetOptions]) -> None:
        """`deadline`: the desk's, shared by every card showing its offer (the countdown is the same on each)."""
        super().__init__(**kwargs)
        self.deadline = deadline or OfferDeadline()

    def watch_offer(self, offer: Offer | None) -> None:
        self.set_class(offer is not None, "-offered")

    def watch_missed(self, missed: Offer | None) -> None:
        self.set_class(missed is not None, "-missed")

    def seconds_left(self) -> float:
        if self.offer is None or self.now is None:
            return 0.0
        return self.deadline.left_s(self.offer, self.now)

    def render(self) -> Content:
        offer = self.offer
        if offer is None and self.missed is not None:
            return missed_text(self.missed)
        if offer is None:
            return Content.styled(IDLE_HINTS.get(self.agent_state, IDLE_HINTS[None]), "dim")
        contact = offer.contact
        total = max(1.0, (offer.expires_at - offer.offered_at).total_seconds())
        left = self.seconds_left()
        filled = round(BAR_WIDTH * left / total)
        callback = contact.callback
        return Content.assemble(
            *((("↻ Callback  ", "bold $accent"),) if callback is not None else ()),
            *((("✉ Voicemail  ", "bold $accent"),) if contact.voicemail is not None else ()),
            (CHANNEL_LABELS[contact.channel], "bold"),
            "  ",
            plain(contact.queue_name, "bold"),
            ("  to " if callback is not None else "  from ", "dim"),
            plain(shown_phone(callback.number if callback is not None else contact.from_address), "bold"),
            "\n",
            self._caller_line(),
            "\n",
            *self._about_line(contact, self.content_size.width or ABOUT_WIDTH),
            "\n",
            ("█" * filled, "$warning"),
            ("░" * (BAR_WIDTH - filled), "dim"),
            (f" {left:3.0f} s left", "bold"),
            "\n",
            *self._keys_line(),
        )

    def _keys_line(self) -> Parts:
        """The offer's keys; before them, an auto-accept's countdown and the key that stops it, the
        spacing closer so that the line fits the card at 80 columns and at 120."""
        auto = self.auto_accept
        gap = "   "
        parts: Parts = []
        if auto is not None and self.offer is not None and auto.offer_id == self.offer.id:
            gap = "  "
            parts = [(f"{auto.text} ", "bold $accent"), (" space ", "bold reverse $warning"), " stop "]
        return [*parts, (" a ", "bold reverse $success"), f" accept{gap}", (" r ", "bold reverse $error"), " reject"]

    @staticmethod
    def _about_line(contact: Contact, width: int) -> Parts:
        """What the contact is about: the note of the agent who transferred it (the start of it, on one line of
        `width`: the whole is beside the conversation once answered), else why the virtual agent handed it on (its
        reason, the intent it read, the customer's mood: `handoff_parts`), else the subject (a callback's reason and
        attempt), then what the IVR collected."""
        callback = contact.callback
        parts: Parts = []
        before = before_this_agent(contact)
        if isinstance(before, BotHandoff):
            return handoff_parts(before, width)
        if before is not None:
            by = one_line(before.by, 24) or "The last agent"
            room = max(10, width - len(by) - 4)
            return [("↪ ", "bold $accent"), plain(by, "bold"), ": ", plain(one_line(before.note, room), "italic")]
        if contact.voicemail is not None:
            parts += message_parts(contact.voicemail, width)
        elif callback is not None:
            parts += [plain(callback.reason or "No reason given", "italic")]
            attempt = callback.attempts + 1
            parts.append(
                (f"  ·  dial {attempt}" + (f" of {callback.max_attempts}" if callback.max_attempts else ""), "dim")
            )
        elif contact.subject:
            parts.append(plain(contact.subject, "italic"))
        ivr = attached_parts(contact.attached)
        if ivr:
            parts += [("   " if parts else ""), *ivr]
        return parts

    def _caller_line(self) -> Content:
        caller = self.caller
        if caller is None:
            return Content("")
        if caller.name is None:
            return plain(caller.note, "dim")
        cases = f"{caller.open_cases} open case{'s' if caller.open_cases != 1 else ''}"
        return Content.assemble(
            plain(one_line(caller.name, 40), "bold"),
            *((("  ·  ", "dim"), plain(one_line(caller.tier, 20), "$accent")) if caller.tier else ()),
            ("  ·  ", "dim"),
            (cases, "bold $warning" if caller.open_cases else "dim"),
        )


def missed_text(offer: Offer) -> Content:
    """A timed-out offer: whose, when, and that no more come until the agent says Available."""
    contact = offer.contact
    return Content.assemble(
        ("Missed ", "bold $error"),
        (CHANNEL_LABELS[contact.channel], "bold"),
        "  ",
        plain(contact.queue_name, "bold"),
        ("  from ", "dim"),
        plain(shown_phone(contact.from_address), "bold"),
        "\n",
        ("Nobody answered it in time: it went back to the queue.", ""),
        "\n",
        ("No more offers come to you until you press ", ""),
        (" v ", "bold reverse $success"),
        " Available.",
    )
