"""The far end: the people the contact center reaches outside itself, who answer or not when they will.

The core decides routing alone, deterministically; whether a customer answers a callback's dial and when a
consult leg picks up is asked of a `FarEnd` the engine injects, chosen by whoever builds the engine (the server,
the simulator, a test). `RandomFarEnd` is the mock's own (a seeded rng and the configured answer rate: what the
demos play); `NeverAnswers` and `AlwaysAnswers` are the two ends of it, for runs that must not depend on chance.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Protocol

from agent_desktop_mocks.ccaas.core.wire.schemas import Contact

DIAL_S = (3.0, 8.0)  # how long the mock's customer phone rings before answering or not
CONSULT_S = (1.0, 3.0)  # how long a consult leg rings before it is picked up
CONSULT_AGAIN_S = 1.0  # a leg ringing when the server stopped is picked up this long after the restart


class FarEnd(Protocol):
    def dial_rings_s(self, contact: Contact) -> float:
        """How long the customer's phone rings for this callback's dial before they answer or not."""
        ...

    def dial_answered(self, contact: Contact) -> bool:
        """Whether the customer answers the dial (asked once it has rung)."""
        ...

    def consult_pickup_s(self, contact: Contact, *, again: bool = False) -> float | None:
        """Seconds until the consult leg is picked up (None: never; `again`: it was ringing across a restart).

        Picked up, the leg connects if its target can take it (an agent with room, a queue with a free agent)."""
        ...

    def records_message(self, contact: Contact, why: str, max_s: int) -> bool:
        """Whether the caller leaving a message is on a real call that records it (voice/voicemail_box.py leaves it
        with its audio when it ends); False: the message is left at once, as the caller's lines said."""
        ...


class RandomFarEnd:
    """The mock's far end: rings for a random while, answers a dial at `answer_pct` percent, always picks up."""

    def __init__(self, rng: random.Random, answer_pct: float = 75.0) -> None:
        self._rng = rng
        self.answer_pct = answer_pct
        # the voice leg's voicemail box, when the mock carries real calls (api/app.py); None: messages are simulated
        self.message_box: Callable[[Contact, str, int], bool] | None = None

    def records_message(self, contact: Contact, why: str, max_s: int) -> bool:
        return self.message_box is not None and self.message_box(contact, why, max_s)

    def dial_rings_s(self, contact: Contact) -> float:
        return self._rng.uniform(*DIAL_S)

    def dial_answered(self, contact: Contact) -> bool:
        return self._rng.random() * 100 < self.answer_pct

    def consult_pickup_s(self, contact: Contact, *, again: bool = False) -> float | None:
        return CONSULT_AGAIN_S if again else self._rng.uniform(*CONSULT_S)


class NeverAnswers:
    """No customer answers a callback's dial and no consult leg is ever picked up."""

    def dial_rings_s(self, contact: Contact) -> float:
        return 5.0  # within DIAL_S: as long as the mock's own customers let it ring

    def dial_answered(self, contact: Contact) -> bool:
        return False

    def consult_pickup_s(self, contact: Contact, *, again: bool = False) -> float | None:
        return None

    def records_message(self, contact: Contact, why: str, max_s: int) -> bool:
        return False


class AlwaysAnswers:
    """Every dial is answered and every consult leg picked up, at once."""

    def dial_rings_s(self, contact: Contact) -> float:
        return 0.0

    def dial_answered(self, contact: Contact) -> bool:
        return True

    def consult_pickup_s(self, contact: Contact, *, again: bool = False) -> float | None:
        return 0.0

    def records_message(self, contact: Contact, why: str, max_s: int) -> bool:
        return False
