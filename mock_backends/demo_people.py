"""The simulated callers, shared by the CRM seed and the CCaaS traffic simulator.

Both derive them from the same seed, so a simulated call comes from a number
the CRM knows (and, for a share of calls, from one it does not: a new caller).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

# Reserved fictional ranges: US 555-01xx numbers are never assigned to real people.
_AREA_CODES = ["212", "312", "415", "512", "617", "702", "808", "919"]


@dataclass(frozen=True)
class Caller:
    index: int
    name: str
    phone_e164: str
    email: str

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
def callers(seed: int, count: int) -> tuple[Caller, ...]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    people = []
    for index in range(count):
        first, last = fake.first_name(), fake.last_name()
        area = _AREA_CODES[index % len(_AREA_CODES)]
        # index spreads over exchange 555 and lines 0100-9999, unique for 79,200 callers per seed
        exchange_line = 5550100 + index // len(_AREA_CODES)
        phone = f"+1{area}{exchange_line}"
        email = f"{first}.{last}{index}@example.com".lower()
        people.append(Caller(index=index, name=f"{first} {last}", phone_e164=phone, email=email))
    return tuple(people)


def unknown_caller_phone(rng: random.Random) -> str:
    """A number the CRM has never seen (the 555-0000..0099 lines are never seeded)."""
    return f"+1{rng.choice(_AREA_CODES)}5550{rng.randint(0, 99):03d}"
