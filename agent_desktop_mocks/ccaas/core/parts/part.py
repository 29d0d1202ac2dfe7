"""What every part of the core holds: the shared state, the reads over it, the floor's bookkeeping and the offers.

A part (agents.py, arrivals.py, callbacks.py, contacts.py, restore.py, supervisor.py, transfers.py) is one job's
commands over these four; the facade (__init__.py) builds each once. Not a mixin: nothing is assembled from it.
"""

from __future__ import annotations

from agent_desktop_mocks.ccaas.core.floor import RoutingFloor
from agent_desktop_mocks.ccaas.core.parts.offers import Offers
from agent_desktop_mocks.ccaas.core.queries import Queries
from agent_desktop_mocks.ccaas.core.state import State


class Part:
    def __init__(self, state: State, read: Queries, floor: RoutingFloor, offers: Offers) -> None:
        self._state = state
        self._read = read
        self._floor = floor
        self._offers = offers
