"""People's presence changing the way a working day does: calls, meetings, breaks, going home.

Every few seconds (divided by `settings.actor_speed`) one person, picked with the
seeded random generator, moves to a believable next presence; the change is
stored and published like any other.
"""

from __future__ import annotations

import asyncio
import logging
import random

from agent_desktop_mocks.presence.directory import Directory
from agent_desktop_mocks.presence.schemas import Activity, Availability, PresenceUpdate

A, Act = Availability, Activity
# from availability -> [(availability, activity, status message, weight)]
_NEXT: dict[Availability, list[tuple[Availability, Activity, str | None, int]]] = {
    A.AVAILABLE: [
        (A.BUSY, Act.IN_A_CALL, None, 35),
        (A.BUSY, Act.IN_A_MEETING, None, 20),
        (A.BUSY, Act.IN_A_CONFERENCE_CALL, None, 5),
        (A.BE_RIGHT_BACK, Act.BE_RIGHT_BACK, "Grabbing a coffee", 10),
        (A.DO_NOT_DISTURB, Act.PRESENTING, "Presenting, back soon", 7),
        (A.AVAILABLE_IDLE, Act.INACTIVE, None, 10),
        (A.AWAY, Act.AWAY, "At lunch", 8),
        (A.OFFLINE, Act.OFF_WORK, None, 5),
    ],
    A.AVAILABLE_IDLE: [(A.AVAILABLE, Act.AVAILABLE, None, 70), (A.AWAY, Act.AWAY, None, 30)],
    A.BUSY: [
        (A.AVAILABLE, Act.AVAILABLE, None, 75),
        (A.BUSY_IDLE, Act.INACTIVE, None, 5),
        (A.BE_RIGHT_BACK, Act.BE_RIGHT_BACK, None, 15),
    ],
    A.BUSY_IDLE: [(A.AVAILABLE, Act.AVAILABLE, None, 70), (A.BUSY, Act.IN_A_MEETING, None, 30)],
    A.DO_NOT_DISTURB: [(A.AVAILABLE, Act.AVAILABLE, None, 85), (A.BUSY, Act.IN_A_MEETING, None, 15)],
    A.BE_RIGHT_BACK: [(A.AVAILABLE, Act.AVAILABLE, None, 90), (A.AWAY, Act.AWAY, None, 10)],
    A.AWAY: [(A.AVAILABLE, Act.AVAILABLE, None, 85), (A.OFFLINE, Act.OFF_WORK, None, 15)],
    A.OFFLINE: [(A.AVAILABLE, Act.AVAILABLE, "Good morning!", 100)],
    A.UNKNOWN: [(A.AVAILABLE, Act.AVAILABLE, None, 100)],
}
MIN_INTERVAL_S, MAX_INTERVAL_S = 2.0, 6.0

log = logging.getLogger(__name__)


def next_presence(rng: random.Random, current: Availability) -> PresenceUpdate:
    choices = _NEXT[current]
    availability, activity, message, _ = rng.choices(choices, weights=[w for *_, w in choices])[0]
    return PresenceUpdate(availability=availability, activity=activity, status_message=message)


async def run(directory: Directory) -> None:
    """Change one person's presence every few (simulated) seconds until cancelled."""
    rng = random.Random(f"presence-simulator:{directory.settings.seed}")
    while True:
        await asyncio.sleep(rng.uniform(MIN_INTERVAL_S, MAX_INTERVAL_S) / directory.settings.actor_speed)
        try:
            ids = directory.ids()
            person = directory.person(rng.choice(ids)) if ids else None
            if person is not None:
                directory.set_presence(person.id, next_presence(rng, person.presence.availability))
        except Exception:  # a bad tick must not stop the working day
            log.exception("presence simulator tick failed")
