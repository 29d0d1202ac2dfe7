"""Finding a caller among Zendesk's users the way Zendesk's search can, and remembering the callers this desk
made while the search index has not caught up with them.

- Phones: Zendesk keeps a number as it was written (`(415) 555-0100`), and its search matches other written
  forms only when the number's national digits are asked for with a leading `*` (Talk Partner Edition,
  "Retrieving the Zendesk user id of a caller": `role:end-user phone:*5135557611`).
- The index lags new users by minutes (Search API: "It can take up to a few minutes for new tickets, users,
  and other resources to be indexed for search"): a caller made a minute ago and calling back is not found
  by search. The desk remembers the users it made for `remember_s` and reads them directly (Show Many Users,
  not the index), so the pop finds them and nobody makes them twice.
- Another agent's desk does not share that memory, so a caller known by a phone alone is made as *the number's*
  user: its external id is the number in E.164 (`number_key`), the same on every desk. Any desk reads it
  directly (Show Many Users by external id) when the search finds nobody, and makes it with Create Or Update
  User, which updates the user with that external id instead of making a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import phonenumbers

REMEMBER_S = 600.0  # "a few minutes": kept well past it, so a slow index never drops a caller in between
NUMBER_KEY_PREFIX = "agent-desktop-phone:"


def parsed_phone(address: str, region: str) -> phonenumbers.PhoneNumber | None:
    """A phone number written any way (`(415) 555-0100`, `+1 415.555.0100`), or None."""
    if len(address) > 64 or "@" in address or not any(c.isdigit() for c in address):
        return None
    try:
        number = phonenumbers.parse(address, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def e164(address: str, region: str) -> str | None:
    """The number in E.164 (what the desk writes on a new user, as Zendesk asks), or None."""
    number = parsed_phone(address, region)
    return None if number is None else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_query(address: str, region: str) -> str | None:
    """The search term that finds this number in any written form: `phone:*` and its national digits (no
    country code, no `+`, no punctuation), or None if `address` is not a phone number."""
    number = parsed_phone(address, region)
    return None if number is None else f"phone:*{phonenumbers.national_significant_number(number)}"


def number_key(address: str, region: str) -> str | None:
    """The external id of the user made for a caller known only by this number: the number in E.164 behind a
    prefix of ours (no other system's id looks like it), or None if `address` is not a phone number."""
    number = e164(address, region)
    return None if number is None else f"{NUMBER_KEY_PREFIX}{number}"


def same_name(user: dict[str, Any], name: str) -> bool:
    return (user.get("name") or "").strip().casefold() == name.strip().casefold()


def looks_like_email(address: str) -> bool:
    local, at, domain = address.strip().partition("@")
    return bool(at and local and "." in domain and " " not in address.strip())


class RecentUsers:
    """The users this desk made, by id, for `remember_s` after it made them (the search index's lag)."""

    def __init__(
        self, region: str, remember_s: float = REMEMBER_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._region = region
        self._remember_s = remember_s
        self._clock = clock
        self._made: dict[str, tuple[float, dict[str, Any]]] = {}

    def add(self, user: dict[str, Any]) -> None:
        self._made[str(user["id"])] = (self._clock(), user)

    def matching(self, address: str) -> list[str]:
        """Ids of remembered users with this email or this phone number (any written form)."""
        now = self._clock()
        for user_id in [i for i, (at, _) in self._made.items() if now - at > self._remember_s]:
            del self._made[user_id]
        address = address.strip()
        if looks_like_email(address):
            wanted = address.lower()
            return [i for i, (_, user) in self._made.items() if (user.get("email") or "").lower() == wanted]
        number = e164(address, self._region)
        if number is None:
            return []
        return [
            i
            for i, (_, user) in self._made.items()
            if user.get("phone") and e164(user["phone"], self._region) == number
        ]

    def named(self, words: str) -> list[str]:
        terms = words.lower().split()
        return [
            i
            for i, (_, user) in self._made.items()
            if terms and all(t in (user.get("name") or "").lower() for t in terms)
        ]


def merged(found: list[dict[str, Any]], more: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The search's users, then the remembered ones it did not have yet (each user once)."""
    ids = {user["id"] for user in found}
    return found + [user for user in more if user["id"] not in ids]
