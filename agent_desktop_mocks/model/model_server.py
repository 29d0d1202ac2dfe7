"""The mock model server's state: its settings, its seeded draws (failures, nonsense), its answer ids, and the request
bodies it received, newest last (a test reads them to prove what left the desk)."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field

from agent_desktop_mocks.model.settings import ModelMockSettings


@dataclass
class ModelServer:
    settings: ModelMockSettings
    received: deque[str] = field(init=False)
    _random: random.Random = field(init=False)
    _ids: int = 0

    def __post_init__(self) -> None:
        self.received = deque(maxlen=self.settings.keep_bodies)
        self._random = random.Random(f"model-mock:{self.settings.seed}")

    def draw(self) -> float:
        return self._random.random()

    def next_id(self) -> int:
        self._ids += 1
        return self._ids
