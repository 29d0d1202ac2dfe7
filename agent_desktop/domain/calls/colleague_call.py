"""Whether a colleague of the presence directory may be called now, and why not in words: free by their presence, with
a softphone's address the contact center can ring (docs/voice.md "A call to a colleague")."""

from __future__ import annotations

import re

from agent_desktop.domain.formats.text import one_line
from agent_desktop.domain.models import Expert
from agent_desktop.domain.vocabulary import Availability

# The contact center's rule for an address it rings on an internal call (the mock's `InternalCallRequest`).
SOFTPHONE_ADDRESS = re.compile(r"^sip:[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,120}$")

_NOT_FREE = {
    Availability.BUSY: "is busy: send them a message instead (m)",
    Availability.BUSY_IDLE: "is busy: send them a message instead (m)",
    Availability.DO_NOT_DISTURB: "does not want to be disturbed: send them a message instead (m)",
    Availability.BE_RIGHT_BACK: "is away for a moment: call when they are back, or send a message (m)",
    Availability.AWAY: "is away: call when they are back, or send a message (m)",
    Availability.OFFLINE: "is offline: nobody would answer",
    Availability.UNKNOWN: "has no presence known: nobody may be there to answer",
}


def colleague_call_refusal(expert: Expert) -> str | None:
    """Why `expert` cannot be called now, as a sentence naming them (None: they can): someone not free by their
    presence, or with no softphone's `sip:` address."""
    name = one_line(expert.name, 40)
    availability = expert.presence.availability
    if not availability.is_free:
        return f"{name} {_NOT_FREE[availability]}."
    if not expert.address:
        return f"{name} has no address the contact center can call."
    if not SOFTPHONE_ADDRESS.match(expert.address):
        return f"{name}'s address is no softphone's (sip:name@domain): {one_line(expert.address, 60)}."
    return None
