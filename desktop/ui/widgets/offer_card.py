"""The contact being offered to the agent: who the caller is (a short pop), and a countdown to its timeout."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from desktop.backends.models import AgentState, Channel, Offer
from desktop.screen_pop_focus import ShortPop
from desktop.text import one_line
from desktop.ui.plain_text import plain

CHANNEL_SYMBOLS = {Channel.VOICE: "☎", Channel.CHAT: "✉", Channel.EMAIL: "@", Channel.SMS: "✆"}
CHANNEL_LABELS = {
    channel: f"{CHANNEL_SYMBOLS[channel]} {channel.value.capitalize() if channel != Channel.SMS else 'SMS'}"
    for channel in Channel
}
BAR_WIDTH = 36
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

    def watch_offer(self, offer: Offer | None) -> None:
        self.set_class(offer is not None, "-offered")

    def seconds_left(self) -> float:
        if self.offer is None or self.now is None:
            return 0.0
        return max(0.0, (self.offer.expires_at - self.now).total_seconds())

    def render(self) -> Content:
        offer = self.offer
        if offer is None:
            return Content.styled(IDLE_HINTS.get(self.agent_state, IDLE_HINTS[None]), "dim")
        contact = offer.contact
        total = max(1.0, (offer.expires_at - offer.offered_at).total_seconds())
        left = self.seconds_left()
        filled = round(BAR_WIDTH * left / total)
        return Content.assemble(
            (CHANNEL_LABELS[contact.channel], "bold"),
            "  ",
            plain(contact.queue_name, "bold"),
            ("  from ", "dim"),
            plain(contact.from_address, "bold"),
            "\n",
            self._caller_line(),
            "\n",
            plain(contact.subject or "", "italic"),
            "\n",
            ("█" * filled, "$warning"),
            ("░" * (BAR_WIDTH - filled), "dim"),
            (f" {left:3.0f} s left", "bold"),
            "\n",
            (" a ", "bold reverse $success"),
            " accept   ",
            (" r ", "bold reverse $error"),
            " reject",
        )

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
