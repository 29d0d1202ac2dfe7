"""What the composer counts as the agent types: characters against the channel's limit and, for SMS, the
segments a carrier will send (3GPP TS 23.038: GSM-7 160 septets in one segment, 153 once split, the
extension characters taking two and never split; otherwise UCS-2, 70 UTF-16 units, 67 once split, a
surrogate pair never split).

The mock CCaaS counts the same way (agent_desktop_mocks/ccaas/conversations/limits.py); the desktop may not
import the mock backends (import-linter), so the rule is written here too, and a test holds the two
to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_desktop.domain.models import ChannelLimits
from agent_desktop.domain.vocabulary import Channel

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
DEFAULT_MAX = {Channel.CHAT: 4096, Channel.SMS: 1600, Channel.EMAIL: 20_000}


@dataclass(frozen=True)
class Count:
    chars: int
    max_chars: int
    segments: int | None = None  # SMS only
    encoding: str | None = None  # SMS only: GSM-7 or UCS-2

    @property
    def over(self) -> bool:
        return self.chars > self.max_chars


def sms_segments(text: str) -> tuple[int, str]:
    """How many SMS segments `text` takes, and in which encoding."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return _count([2 if ch in GSM7_EXTENSION else 1 for ch in text], single=160, multi=153), "GSM-7"
    return _count([2 if ord(ch) > 0xFFFF else 1 for ch in text], single=70, multi=67), "UCS-2"


def _count(units: list[int], *, single: int, multi: int) -> int:
    if sum(units) <= single:
        return 1
    segments, used = 1, 0
    for unit in units:
        if used + unit > multi:
            segments, used = segments + 1, 0
        used += unit
    return segments


def count(text: str, channel: Channel, limits: ChannelLimits | None = None) -> Count:
    """Characters are code points (as the contact center counts them), against the channel's limit."""
    max_chars = limits.max_chars if limits is not None else DEFAULT_MAX.get(channel, 4096)
    if channel is Channel.SMS:
        segments, encoding = sms_segments(text) if text else (0, "GSM-7")
        return Count(len(text), max_chars, segments, encoding)
    return Count(len(text), max_chars)
