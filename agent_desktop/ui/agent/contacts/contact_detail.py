"""The selected contact's routing details: hold time, the consult leg, the ACW countdown, transfers, and a written
contact's SLA clock (the reply it waits for, against the contact center's target)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from agent_desktop.agent_desk.conversations.sla_clocks import ClockLevel, SlaClock, contact_clock
from agent_desktop.agent_desk.voice.call_media import CallMedia, MediaState
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.formats.durations import format_duration
from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Contact, Flag, ResponseTarget
from agent_desktop.domain.vocabulary import ConsultState, ContactState
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.agent.contacts.journey_lines import attached_parts, callback_parts
from agent_desktop.ui.plain_text import plain
from agent_desktop.ui.shared.channel_symbols import CHANNEL_SYMBOLS

CONSULT_STYLES = {
    ConsultState.RINGING: "bold $warning",
    ConsultState.CONNECTED: "bold $success",
    ConsultState.FAILED: "bold $error",
}

Parts = list[Content | str | tuple[str, str]]
REASON_LIMIT = 40  # on the status line, which is not wrapped: the keys stay on the third line
BAR_CELLS = 4  # a call's level bar: LEVEL_STEPS (8) in four cells
MIN_REASON = 8  # with less room than this the reason is left out rather than cut to nothing
CLOCK_STYLES = {ClockLevel.OK: "dim", ClockLevel.NEAR: "bold $warning", ClockLevel.BREACHED: "bold reverse $error"}


def flag_words(flag: Flag) -> str:
    """Where the contact's flag stands, on its keys line: ! opens the thread."""
    last = flag.lines[-1] if flag.lines else None
    if flag.state == "closed":
        return "flag closed · ! thread"
    if last is not None and last.author == "supervisor":
        return f"{last.name} answered · ! reads"
    return "flag raised · ! thread"


def media_parts(media: CallMedia | None, room: int = 1 << 16) -> Parts:
    """`   ☎ connected · PCMU 8 kHz · muted  caller ██░░ you ░░░░  from “the caller's display name”`: the call's
    sound, as its softphone has it, and each side's level as the contact center hears it pass (the display name is
    the caller's own text: drawn literally, on one line). With the levels, within `room` cells where it can: the
    display name left out first, then the codec; the state and the levels are what the agent needs (a wrapped line
    would push the keys out)."""
    if media is None:
        return []
    style = "bold $error" if media.lost else "bold $warning" if media.muted else "$success"
    levels: Parts = []
    if media.live and media.metered:
        levels = [("  caller ", "dim"), level_bar(media.caller_level), (" you ", "dim"), level_bar(media.agent_level)]
    name: Parts = []
    if media.peer_name and not media.lost:
        name = [("  from ", "dim"), plain(f"“{one_line(media.peer_name, 40)}”", "dim")]
    sound: Parts = [("   ☎ ", style), plain(media.words(), style), *levels]
    if not levels or Content.assemble(*sound, *name).cell_length <= room:
        return [*sound, *name]
    # The bars make the line long: fitted to the room, the name given up first, then the codec.
    if Content.assemble(*sound).cell_length <= room:
        return sound
    return [("   ☎ ", style), plain(media.words(codec=False), style), *levels]


def message_parts(contact: Contact, playing: bool | None) -> Parts:
    """A voicemail in hand once the agent played it: whether its recording plays through the softphone now."""
    if contact.voicemail is None or playing is None or contact.state != ContactState.CONNECTED:
        return []
    return [("   ▶ message playing · L stops", "bold $accent")] if playing else [("   ■ message stopped", "dim")]


def level_bar(level: int) -> tuple[str, str]:
    """A side's level as four cells, two steps a cell (`██░░`: speaking at about -24 dB); nothing heard, all empty."""
    filled = min(BAR_CELLS, (max(0, level) + 1) // 2)
    return "█" * filled + "░" * (BAR_CELLS - filled), "$success" if filled else "dim"


def media_keys(media: CallMedia | None) -> str:
    if media is None:
        return ""
    if media.lost:
        return " · R reconnects the softphone"
    return " · M mutes · # keypad" if media.state is not MediaState.ENDED else ""


class ContactDetail(Static):
    """What the keys act on: the contact selected in the list, and what is going on with it."""

    contact: reactive[Contact | None] = reactive(None)
    now: reactive[datetime | None] = reactive(None)
    conversation: reactive[ConversationState | None] = reactive(None)  # a chat's, SMS's or email's: whose turn
    flag: reactive[Flag | None] = reactive(None)  # its flag to the supervisor, with the thread
    media: reactive[CallMedia | None] = reactive(None)  # its call on the softphone: the sound's state (voice/)
    playing: reactive[bool | None] = reactive(None)  # its voicemail played: playing now, stopped, or never played

    def __init__(
        self,
        capabilities: ContactCenterCapabilities | None = None,
        *,
        sla_target: Callable[[Contact], ResponseTarget | None] | None = None,
        acw_left_s: Callable[[Contact, datetime], float | None] | None = None,
        id: str | None = None,
    ) -> None:
        """`acw_left_s`: what is left of a contact's wrap-up time box on the desk's clock (agent_desk/
        wrap_up_deadline.py), else read from its deadline."""
        super().__init__(id=id)
        self.capabilities = capabilities or ContactCenterCapabilities()
        self.sla_target = sla_target
        self.acw_left_s = acw_left_s

    def _clock(self, contact: Contact, now: datetime) -> SlaClock | None:
        target = self.sla_target(contact) if self.sla_target is not None else None
        conversation = self.conversation
        if target is None:
            return None
        return contact_clock(
            contact,
            target,
            conversation.items if conversation else (),
            bool(conversation and conversation.has_more),
            bool(conversation and conversation.ended),
            now,
        )

    def _keys(self, contact: Contact, hold: str) -> str:
        """The keys this contact's channel has on this backend (a key the backend cannot serve is not named)."""
        channel = self.capabilities.channel(contact.channel)
        keys = [hold] if channel.hold else []
        keys += ["t transfers"] if channel.transfer_to else []
        return " · ".join([*keys, "e ends"])

    def render(self) -> Content:
        """Three lines: which contact, what is going on with it, and the keys (or where it has been)."""
        contact = self.contact
        if contact is None:
            return Content.styled("No contact selected.", "dim")
        now = self.now or contact.entered_queue_at
        status, keys = self._status(contact, now)
        status += message_parts(contact, self.playing)  # (within the status line's room: the keys stay on the third)
        parts: Parts = [
            ("▶ ", "bold"),
            CHANNEL_SYMBOLS[contact.channel],
            " ",
            plain(shown_phone(contact.from_address), "bold"),
            ("  in ", "dim"),
            plain(contact.queue_name),
            *((("   ", ""), *ivr) if (ivr := attached_parts(contact.attached)) else ()),
            "\n",
            *status,
            *(sound := media_parts(self.media, self.content_size.width - Content.assemble(*status).cell_length)),
            *self._reason(contact, self.content_size.width - Content.assemble(*status, *sound).cell_length),
            "\n",
            (keys + media_keys(self.media), "dim"),
        ]
        if contact.transfer_path:
            parts += [("   via ", "dim"), plain(" → ".join(contact.transfer_path), "dim")]
        if self.flag is not None:
            parts += [("   ⚑ ", "bold $warning"), plain(flag_words(self.flag), "bold $warning")]
        return Content.assemble(*parts)

    @staticmethod
    def _reason(contact: Contact, room: int) -> Parts:
        """Why the customer came (the subject, a callback's reason), still there once the offer card has gone;
        cut to the `room` left on the status line (never wrapped: the keys stay on the third line)."""
        callback = contact.callback
        reason = (callback.reason if callback is not None else None) or contact.subject
        limit = min(REASON_LIMIT, room - 5)
        return [("  ·  ", "dim"), plain(one_line(reason, limit), "italic")] if reason and limit >= MIN_REASON else []

    def _status(self, contact: Contact, now: datetime) -> tuple[Parts, str]:
        consult = contact.consult
        if consult is not None:
            since = format_duration((now - consult.started_at).total_seconds())
            parts: Parts = [
                ("Consult → ", "bold"),
                plain(consult.target.label, "bold"),
                (f" ({consult.target.kind.label.lower()}) ", "dim"),
                (consult.state.value, CONSULT_STYLES[consult.state]),
                f" {since}",
            ]
            keys = {
                ConsultState.CONNECTED: "k completes the transfer · x cancels it",
                ConsultState.FAILED: "x returns to the customer",
                ConsultState.RINGING: "x cancels the consult",
            }[consult.state]
            return parts, keys
        if contact.state == ContactState.ON_HOLD:
            held = format_duration((now - contact.held_at).total_seconds()) if contact.held_at else ""
            return [
                ("On hold ", "bold $warning"),
                (held, "bold"),
                (f"   total hold {format_duration(contact.hold_seconds(now))}", "dim"),
            ], self._keys(contact, "h resumes")
        callback = contact.callback
        if contact.state == ContactState.CONNECTED and callback is not None and callback.state == "dialling":
            return callback_parts(callback), "the customer's phone is ringing · e hangs up"
        if contact.state == ContactState.COMPLETED and callback is not None and callback.state == "failed":
            dials = f"{callback.attempts} dial{'s' if callback.attempts != 1 else ''}"
            return [
                ("Callback not answered ", "bold $error"),
                (f"after {dials}: closed by the contact center ", "bold"),
                plain(contact.disposition or "", "dim"),
            ], "Your notes are kept: ctrl+s writes them to the CRM"
        if contact.state == ContactState.CONNECTED:
            parts = [("Connected", "bold $success")]
            waiting = self.conversation.customer_waiting_since() if self.conversation is not None else None
            clock = self._clock(contact, now)
            if clock is not None:  # whose turn, and how long the contact center gives: one line, never wrapped
                due = "due now" if clock.level is ClockLevel.BREACHED else f"in {clock.text}"
                parts.append((f"   {clock.label} {due}", CLOCK_STYLES[clock.level]))
            elif waiting is not None:
                waited = max(0, int((now - waiting).total_seconds()))
                parts.append((f"   waiting for you {waited} s", "bold $error" if waited >= 60 else "bold $warning"))
            if callback is not None:
                parts.append(("   callback answered", "$success"))
            if contact.hold_s:
                parts.append((f"   held {format_duration(contact.hold_s)} in all", "dim"))
            return parts, self._keys(contact, "h holds")
        if contact.state == ContactState.AFTER_CONTACT_WORK:
            if contact.acw_deadline is None:
                return [
                    ("After-contact work", "bold $secondary"),
                    ("   no time limit", "dim"),
                ], "w wrap-up · ctrl+s saves"
            boxed = self.acw_left_s(contact, now) if self.acw_left_s is not None else None
            left = boxed if boxed is not None else (contact.acw_deadline - now).total_seconds()
            return [
                ("After-contact work ", "bold $secondary"),
                (f"{format_duration(left)} left", "bold $error" if left <= 10 else "bold"),
            ], "closes by itself then; notes stay · ctrl+s saves"
        if contact.state == ContactState.COMPLETED:
            return [
                ("Closed by the after-contact-work timeout", "bold $error")
            ], "Your wrap-up is kept: ctrl+s saves it"
        return [plain(contact.state.value)], ""
