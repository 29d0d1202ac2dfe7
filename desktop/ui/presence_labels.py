"""How a presence is shown: a symbol and a word, so it never depends on colour alone."""

from __future__ import annotations

from desktop.backends.models import Availability

PRESENCE_LABELS: dict[Availability, tuple[str, str, str]] = {
    # availability: (symbol, word, style)
    Availability.AVAILABLE: ("●", "Available", "bold green"),
    Availability.AVAILABLE_IDLE: ("○", "Available (idle)", "green"),
    Availability.BUSY: ("◆", "Busy", "red"),
    Availability.BUSY_IDLE: ("◇", "Busy (idle)", "red"),
    Availability.DO_NOT_DISTURB: ("⊘", "Do not disturb", "bold red"),
    Availability.BE_RIGHT_BACK: ("◔", "Be right back", "yellow"),
    Availability.AWAY: ("◑", "Away", "yellow"),
    Availability.OFFLINE: ("○", "Offline", "dim"),
    Availability.UNKNOWN: ("?", "Unknown", "dim"),
}

# Free people first, then those likely back soon, then the rest.
PRESENCE_ORDER = {
    availability: rank
    for rank, availability in enumerate(
        [
            Availability.AVAILABLE,
            Availability.AVAILABLE_IDLE,
            Availability.BE_RIGHT_BACK,
            Availability.AWAY,
            Availability.BUSY_IDLE,
            Availability.BUSY,
            Availability.DO_NOT_DISTURB,
            Availability.OFFLINE,
            Availability.UNKNOWN,
        ]
    )
}
