"""What each channel accepts from an agent: text length, email subjects, and SMS segmenting.

SMS segments are counted the way carriers do (3GPP TS 23.038): text that fits the GSM 03.38
alphabet is sent as GSM-7 (160 septets in one segment, 153 per segment once split; the
extension characters `^{}\\[~]|€` and form feed take two septets and are never split across
segments); anything else is sent as UCS-2 (70 UTF-16 code units in one segment, 67 per segment
once split; a surrogate pair is never split). The 1,600-character limit counts code points, as
Twilio does.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop_mocks.ccaas.core.wire.schemas import Channel

CHAT_MAX_CHARS = 4096
SMS_MAX_CHARS = 1600
EMAIL_MAX_CHARS = 20_000
EMAIL_SUBJECT_MAX_CHARS = 200

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

MAX_CHARS = {Channel.CHAT: CHAT_MAX_CHARS, Channel.SMS: SMS_MAX_CHARS, Channel.EMAIL: EMAIL_MAX_CHARS}


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    count: int


def sms_segments(text: str) -> Segments:
    """How many SMS segments `text` takes, and in which encoding."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        units = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        return Segments("GSM-7", _count(units, single=160, multi=153))
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]  # UTF-16 code units; a pair stays whole
    return Segments("UCS-2", _count(units, single=70, multi=67))


def _count(units: list[int], *, single: int, multi: int) -> int:
    """Greedy packing of indivisible units into segments of `multi` once more than `single` are needed."""
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for unit in units:
        if used + unit > multi:
            segments, used = segments + 1, 0
        used += unit
    return segments


class LimitError(ValueError):
    """A message over a channel's limit; `field` is the request field it names."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_message(channel: Channel, text: str, subject: str | None) -> None:
    """Raise LimitError naming the limit an agent's message breaks."""
    if not text.strip():
        raise LimitError("text", "a message needs some text")
    limit = MAX_CHARS[channel]
    if len(text) > limit:
        name = {Channel.CHAT: "a chat message", Channel.SMS: "an SMS", Channel.EMAIL: "an email body"}[channel]
        raise LimitError("text", f"{name} is at most {limit:,} characters (this one has {len(text):,})")
    if subject is not None:
        if channel != Channel.EMAIL:
            raise LimitError("subject", f"only emails have a subject (this is {channel.value})")
        if not subject.strip():
            raise LimitError("subject", "an email subject cannot be blank")
        if len(subject) > EMAIL_SUBJECT_MAX_CHARS:
            raise LimitError(
                "subject",
                f"an email subject is at most {EMAIL_SUBJECT_MAX_CHARS} characters (this one has {len(subject)})",
            )
