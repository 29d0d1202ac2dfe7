"""How a presence is shown: a symbol and a word, so it never depends on colour alone."""

from __future__ import annotations

from agent_desktop.agent_desk.experts.experts import AVAILABILITY_ORDER
from agent_desktop.domain.models import Presence
from agent_desktop.domain.vocabulary import Availability

PRESENCE_LABELS: dict[Availability, tuple[str, str, str]] = {
    # availability: (symbol, word, style)
    Availability.AVAILABLE: ("●", "Available", "bold green"),
    Availability.AVAILABLE_IDLE: ("◎", "Available (idle)", "green"),
    Availability.BUSY: ("◆", "Busy", "red"),
    Availability.BUSY_IDLE: ("◇", "Busy (idle)", "red"),
    Availability.DO_NOT_DISTURB: ("⊘", "Do not disturb", "bold red"),
    Availability.BE_RIGHT_BACK: ("◔", "Be right back", "yellow"),
    Availability.AWAY: ("◑", "Away", "yellow"),
    Availability.OFFLINE: ("○", "Offline", "dim"),
    Availability.UNKNOWN: ("?", "Unknown", "dim"),
}

# Free people first, then those likely back soon, then the rest.
PRESENCE_ORDER = AVAILABILITY_ORDER


def presence_words(presence: Presence) -> str:
    """'◆ Busy' : the symbol and the word, for messages and menus."""
    symbol, word, _ = PRESENCE_LABELS[presence.availability]
    return f"{symbol} {word}"


def activity_words(activity: str | None) -> str:
    """Graph's activity as words: 'InAMeeting' -> 'In a meeting'."""
    if not activity:
        return ""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in activity).strip()
    return words[:1].upper() + words[1:]


def status_beyond(presence: Presence) -> str:
    """The status message, else the activity in words, when it says more than the presence word ("In a call" beside
    "Busy"; not "Available" twice): "" otherwise."""
    status = presence.status_message or activity_words(presence.activity)
    return "" if status.strip().lower() == PRESENCE_LABELS[presence.availability][1].lower() else status
