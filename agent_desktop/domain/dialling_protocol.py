"""A contact center where the agent places calls (capability `place_calls`; docs/voice.md "Calls the agent places"):
the caller IDs a queue's calls may show, and a call placed, a voice contact in the agent's hands at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from agent_desktop.domain.capabilities import resolve
from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import Contact


@dataclass(frozen=True)
class PlacedCall:
    """The call placed: its contact, and where the agent's softphone dials to take the call's agent leg (None: the
    contact center rings no softphone of the agent's for it)."""

    contact: Contact
    dial_uri: str | None = None


@runtime_checkable
class Dialler(Protocol):
    async def caller_ids(self, queue_id: str) -> list[str]:
        """The numbers a call placed for `queue_id` may show (E.164), the default first; empty: it places none."""
        ...

    async def place_call(self, number: str, queue_id: str, caller_id: str | None) -> PlacedCall:
        """`number` (E.164) called for `queue_id`, showing `caller_id` (None: the queue's first): the call."""
        ...


class NoDialler:
    """Where the contact center places no calls for the agent: each request refuses in one sentence."""

    why = "This contact center does not place calls for the agent."

    async def caller_ids(self, queue_id: str) -> list[str]:
        raise NotServed(self.why)

    async def place_call(self, number: str, queue_id: str, caller_id: str | None) -> PlacedCall:
        raise NotServed(self.why)


@runtime_checkable
class ColleagueDialler(Protocol):
    async def place_internal_call(self, address: str, name: str, queue_id: str) -> PlacedCall:
        """A direct call to a colleague of the directory at `address` (their `sip:` address), named `name`, wrapped
        up in `queue_id`: the call, a voice contact whose `colleague` is `name`."""
        ...


class NoColleagueDialler:
    """Where the contact center calls no colleague for the agent: each request refuses in one sentence."""

    why = "This contact center does not call colleagues for the agent."

    async def place_internal_call(self, address: str, name: str, queue_id: str) -> PlacedCall:
        raise NotServed(self.why)


def dial_uri_ok(uri: str) -> bool:
    """Whether a contact center's `dial_uri` may go to the softphone: a sip: URI of printable ASCII, no spaces, at most
    256 characters (the softphone's command line takes it whole)."""
    return len(uri) <= 256 and uri.startswith("sip:") and uri.isascii() and uri.isprintable() and " " not in uri


def dialler(backend: object) -> Dialler:
    """The contact center as one that places the agent's calls where it says it can, else the stand-in."""
    return resolve(backend, Dialler, NoDialler, "place_calls")


def colleague_dialler(backend: object) -> ColleagueDialler:
    """The contact center as one that calls the agent's colleagues where it says it can, else the stand-in."""
    return resolve(backend, ColleagueDialler, NoColleagueDialler, "internal_calls")
