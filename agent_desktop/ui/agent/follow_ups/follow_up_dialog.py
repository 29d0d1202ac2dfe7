"""The follow-up after wrap-up: the channel (s: SMS, e: email, only those the contact center sends on),
the template (1-3), and a preview of the text the customer gets, filled from their record and PCI-masked; ctrl+s
queues it. A customer whose consent does not allow the channel gets nothing: the dialog says why and stays open."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from agent_desktop.agent_desk.attention import OverlayKind
from agent_desktop.agent_desk.follow_ups.follow_up import TEMPLATES, WrappedUp, address, preview, refusal
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.messages.follow_up_consent import channel_name
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.ui.plain_text import literal_title, plain
from agent_desktop.ui.shared.overlay_screen import OverlayScreen

Submit = Callable[[Channel, str], Awaitable[str | None]]  # None: queued; else why not, in words


class FollowUpDialog(OverlayScreen[bool]):
    OVERLAY_NAME = "The follow-up dialog"
    ATTENTION = OverlayKind.DIALOG
    CSS_PATH = "follow_up_dialog.tcss"
    BINDINGS = [
        Binding("s", "channel('sms')", "SMS"),
        Binding("e", "channel('email')", "Email"),
        *(Binding(str(n), f"template({n - 1})", t.label) for n, t in enumerate(TEMPLATES, 1)),
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, wrapped: WrappedUp, channels: frozenset[Channel], submit: Submit) -> None:
        super().__init__()
        self.wrapped = wrapped
        self.channels = [c for c in (Channel.SMS, Channel.EMAIL) if c in channels]
        self.channel: Channel = self.channels[0]
        self.template = TEMPLATES[0]
        self._submit = submit

    def compose(self) -> ComposeResult:
        self.choice = Static("", id="follow-up-choice")
        self.preview = Static("", id="follow-up-preview")
        self.error = Static("", id="follow-up-error")
        with Vertical(id="follow-up-box") as box:
            box.border_title = "Follow-up"
            keys = " · ".join(f"{c.value[0]} {channel_name(c)}" for c in self.channels)
            box.border_subtitle = literal_title(f"{keys} · 1-{len(TEMPLATES)} template · ctrl+s send · esc cancel")
            yield Static(plain(f"{self.wrapped.customer.name} · contact {self.wrapped.contact_id}"), id="follow-up-who")
            yield self.choice
            yield self.preview
            yield self.error

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        sent_to = address(self.wrapped.customer, self.channel)  # a number as the card reads it; sent as stored
        to = shown_phone(sent_to) if sent_to else "no address on the record"
        templates = "  ".join(f"{'▸' if t is self.template else ' '}{n} {t.label}" for n, t in enumerate(TEMPLATES, 1))
        self.choice.update(plain(f"{channel_name(self.channel)} to {to}\n{templates}"))
        self.preview.update(plain(preview(self.template, self.wrapped)))
        why = refusal(self.wrapped.customer, self.channel)
        self.error.update(plain(why or "", "bold $warning"))

    def action_channel(self, channel: str) -> None:
        if Channel(channel) in self.channels:
            self.channel = Channel(channel)
            self._draw()

    def action_template(self, index: int) -> None:
        self.template = TEMPLATES[index]
        self._draw()

    def action_send(self) -> None:
        self._send(self.channel, self.template.id)

    @work(exclusive=True, group="follow-up-send")
    async def _send(self, channel: Channel, template_id: str) -> None:
        refused = await self._submit(channel, template_id)
        if refused is None:
            self.dismiss(True)
            return
        self.error.update(plain(refused, "bold $error"))

    def action_cancel(self) -> None:
        self.dismiss(False)
