"""Each side's level of a real call, as the mock's media relay passes it on, for the agent's desk to draw: so the
agent sees the caller is speaking (a contact center's media server knows this too; baresip 1.0.0's `ctrl_tcp` tells
no levels, its `vumeter` draws only on its own console).

The relay adds each G.711 packet it passes on to its sender's side (`add`: a sum of squared samples by table, a few
C-level passes a packet); every `TICK_S` the voice leg takes each side's level of the window (`take`), silence
counted where no packet came, on a scale of 0 (nothing heard) to `STEPS`, and publishes it on the agent's stream only
when a side's level changed: at most four events a second a call, none while both sides stay as they were.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field

from agent_desktop_mocks.ccaas.voice.media import g711

STEPS = 8  # the scale: 0 nothing heard, 8 full scale
TICK_S = 0.25  # a level a quarter of a second: the rate a bar can be read at, and at most 4 events a second
FLOOR_DB = -48.0  # dB of full scale at step 0: 6 dB a step
RATE = 8000
SIDES = ("customer", "agent")

_SQUARES = {
    pt: [g711.ulaw_sample(b) ** 2 if pt == g711.PCMU else g711.alaw_sample(b) ** 2 for b in range(256)]
    for pt in (g711.PCMU, g711.PCMA)
}


def step_of(rms: float) -> int:
    """An RMS (of 32,767) on the 0..STEPS scale: 6 dB a step from FLOOR_DB, 0 below it."""
    if rms <= 0:
        return 0
    db = 20 * math.log10(rms / 32767)
    return max(0, min(STEPS, math.ceil((db - FLOOR_DB) / (-FLOOR_DB / STEPS))))


class LevelMeter:
    """What each side sent that the relay passed on, in the window since the last `take`."""

    def __init__(self) -> None:
        self._energy = dict.fromkeys(SIDES, 0)
        self._samples = dict.fromkeys(SIDES, 0)
        self.shown = dict.fromkeys(SIDES, 0)  # the levels last taken as changed: what the desk was told
        self.last = dict.fromkeys(SIDES, 0)  # the levels of the window last taken, changed or not (talk_figures.py)

    def add(self, side: str, payload_type: int, payload: bytes) -> None:
        squares = _SQUARES.get(payload_type)
        if squares is not None:
            self._energy[side] += sum(map(squares.__getitem__, payload))
            self._samples[side] += len(payload)

    def take(self, window_s: float) -> dict[str, int] | None:
        """Each side's level over the window just gone (silence where nothing came), and a new window; None if no
        side's level changed from what was last taken."""
        least = max(1, round(window_s * RATE))
        levels = {side: step_of(math.sqrt(self._energy[side] / max(self._samples[side], least))) for side in SIDES}
        self._energy = dict.fromkeys(SIDES, 0)
        self._samples = dict.fromkeys(SIDES, 0)
        self.last = levels
        if levels == self.shown:
            return None
        self.shown = levels
        return levels


class CallLevelEvent(BaseModel):
    """`call_level` on the agent's stream: each side's level of their call as the contact center passes it on."""

    type: Literal["call_level"] = "call_level"
    contact_id: str
    customer: int = Field(ge=0, le=STEPS, description="The caller's level: 0 nothing heard … 8 full scale, 6 dB a step")
    agent: int = Field(ge=0, le=STEPS, description="The agent's level, on the same scale")
