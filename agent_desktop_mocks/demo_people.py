"""The simulated callers, shared by the CRM seed and the CCaaS traffic simulator.

Both derive them from the same seed, so a simulated call comes from a number
the CRM knows (and, for a share of calls, from one it does not: a new caller).
Caller `i` depends only on the seed and `i` (names are drawn from pools of Faker
names by a seeded hash), so a million callers cost no more per caller than ten,
and `callers(seed, n)` is a lazy sequence, not a million objects.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from faker import Faker

# Reserved fictional ranges: US 555 numbers. The first 79,200 callers use exchange 555
# (lines 0100-9999); beyond that, exchanges 200-554 of the same area codes.
_AREA_CODES = ["212", "312", "415", "512", "617", "702", "808", "919"]
_FIRST_BLOCK = len(_AREA_CODES) * 9900
_POOL_SIZE = 1500
_MASK = (1 << 64) - 1
# The languages callers speak, by share in a hundred: the CRM writes a caller's, the IVR number they dial is the one of
# their language, and on a call they speak a script written in it (ccaas/tables/call_scripts.py).
LANGUAGES = (("en", 70), ("es", 18), ("fr", 7), ("de", 5))
_LANGUAGE_SALT = 7


@dataclass(frozen=True)
class Caller:
    index: int
    name: str
    phone_e164: str
    email: str
    language: str = "en"

    def phone_as_written(self, rng: random.Random) -> str:
        """The number the way a carrier or web form might present it."""
        digits = self.phone_e164[2:]
        area, exchange, line = digits[:3], digits[3:6], digits[6:]
        return rng.choice(
            [
                self.phone_e164,
                f"({area}) {exchange}-{line}",
                f"{area}-{exchange}-{line}",
                f"+1 {area} {exchange} {line}",
            ]
        )


@lru_cache(maxsize=8)
def name_pools(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """First and last names drawn once from Faker (seeded); callers pick from them."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    firsts = tuple(fake.first_name() for _ in range(_POOL_SIZE))
    lasts = tuple(fake.last_name() for _ in range(_POOL_SIZE))
    return firsts, lasts


def mix(seed: int, index: int, salt: int = 0) -> int:
    """A well-spread 64-bit hash of (seed, index, salt) (splitmix64), for per-caller draws."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + salt * 0x94D049BB133111EB + 1) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def phone_of(index: int) -> str:
    area = _AREA_CODES[index % len(_AREA_CODES)]
    if index < _FIRST_BLOCK:
        return f"+1{area}{5550100 + index // len(_AREA_CODES)}"
    rest = (index - _FIRST_BLOCK) // len(_AREA_CODES)
    exchange, line = 200 + rest // 10000, rest % 10000
    return f"+1{area}{exchange:03d}{line:04d}"


def caller_at(seed: int, index: int) -> Caller:
    firsts, lasts = name_pools(seed)
    h = mix(seed, index)
    first, last = firsts[h % _POOL_SIZE], lasts[(h >> 20) % _POOL_SIZE]
    email = f"{first}.{last}{index}@example.com".lower().replace(" ", "")
    return Caller(
        index=index, name=f"{first} {last}", phone_e164=phone_of(index), email=email, language=language_of(seed, index)
    )


def language_of(seed: int, index: int) -> str:
    """The language caller `index` speaks, drawn by `LANGUAGES`' shares from the caller's own hash."""
    draw = mix(seed, index, _LANGUAGE_SALT) % sum(share for _, share in LANGUAGES)
    for language, share in LANGUAGES:
        if draw < share:
            return language
        draw -= share
    return LANGUAGES[0][0]


class Callers(Sequence[Caller]):
    """The first `count` callers of a seed, computed on access."""

    def __init__(self, seed: int, count: int) -> None:
        if count > _FIRST_BLOCK + len(_AREA_CODES) * 10000 * 355:
            raise ValueError(f"at most {_FIRST_BLOCK + len(_AREA_CODES) * 10000 * 355} callers")
        self.seed, self._size = seed, count

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> Caller: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Caller]: ...
    def __getitem__(self, index: int | slice) -> Caller | Sequence[Caller]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        return caller_at(self.seed, index)


def callers(seed: int, count: int) -> Callers:
    return Callers(seed, count)


def unknown_caller_phone(rng: random.Random) -> str:
    """A number the CRM has never seen (the 555-0000..0099 lines are never seeded)."""
    return f"+1{rng.choice(_AREA_CODES)}5550{rng.randint(0, 99):03d}"
