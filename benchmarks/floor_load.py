"""The load of a floor on the Twilio relay (bench_relay_floor.py): which callback is sent when, for a floor of
workers and transcribed calls at a fraction of the event rate docs/backends.md's capacity model gives it.

That model: some 500 reservation-state callbacks a second for 10,000 agents (0.05 a worker a second) and ~10,000
transcript lines a second for 5,000 transcribed calls (2 a call a second: an interim every few words, two tracks).
The schedule is finite (it ends by itself at `seconds`), evenly spaced per kind, and spread over every worker and
every call in turn, so every worker's callbacks go through the relay, not only those of the desks a bench follows.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

STATES_PER_WORKER_S = 500 / 10_000
LINES_PER_CALL_S = 10_000 / 5_000


@dataclass(frozen=True)
class Send:
    at_s: float  # from the start of the load
    kind: Literal["state", "line"]
    who: str  # the worker (a state) or the call (a line)
    sequence: int  # a line's SequenceId on its call (from 1, growing); a state's number among the states


def floor_rates(workers: int, calls: int, fraction: float) -> tuple[float, float]:
    """States a second and lines a second: the model's floor rate for this many workers and calls, times `fraction`."""
    return workers * STATES_PER_WORKER_S * fraction, calls * LINES_PER_CALL_S * fraction


def floor_schedule(
    workers: Sequence[str], calls: Sequence[str], seconds: float, fraction: float, seed: int = 0
) -> list[Send]:
    """Every callback of `seconds` of load, by time: states for the workers in a shuffled round, lines for the calls
    in a shuffled round (a call's SequenceIds growing), each kind evenly spaced at its rate (`floor_rates`)."""
    state_rate, line_rate = floor_rates(len(workers), len(calls), fraction)
    rng = random.Random(seed)
    order_w, order_c = list(workers), list(calls)
    rng.shuffle(order_w)
    rng.shuffle(order_c)
    sends = [
        Send(n / state_rate, "state", order_w[n % len(order_w)], n)
        for n in range(int(seconds * state_rate) if order_w else 0)
    ]
    sequence = dict.fromkeys(order_c, 0)
    for n in range(int(seconds * line_rate) if order_c else 0):
        call = order_c[n % len(order_c)]
        sequence[call] += 1
        sends.append(Send(n / line_rate, "line", call, sequence[call]))
    sends.sort(key=lambda send: send.at_s)  # stable: a call's lines keep their order
    return sends
