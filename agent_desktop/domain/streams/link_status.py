"""The state of an event link to a backend (up or down, and why): what the UI shows. No transport here,
so the UI and the protocols can name it without importing an HTTP client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkStatus:
    """The event link to a backend went up or down (the UI shows it).

    `detail` says what failed in a few words (`refused`, `timed out`, `401 token refused`, `404 no such
    agent`), `url` where, `retry_s` when the next attempt is (None while connected), and `refused`
    whether the backend answered no (401, 403, 404): retrying alone will not fix that. `unreadable`
    counts the events this link sent since the desktop started that it could not read (each one logged).
    `paused`: dropped because the desk itself was paused (its process stopped, the machine asleep, its clock
    moved), not because the backend failed; what happened meanwhile is read again on reconnecting.
    """

    backend: str
    connected: bool
    detail: str = ""
    url: str = ""
    retry_s: float | None = None
    refused: bool = False
    unreadable: int = 0
    paused: bool = False
