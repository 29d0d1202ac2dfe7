"""The Twilio desk's link when Twilio fails while the relay is fine: a 429 storm, answers slower than the
client waits, 5xx. Each event from the relay is read from Twilio's REST API; a read that fails that way
means offers may be missed, so the link is said to be down (in words) until a resync succeeds, and the
resync brings back what is still pending (an offer, a contact) and the agent's state as Twilio has it
(the workflow's timeout Activity if an offer was missed meanwhile).

A read refused for its own sake (a 404, a 4xx) does not take the link down: it is that event's problem.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TypeVar

import httpx

from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.streams.link_status import LinkStatus

T = TypeVar("T")


def link_words(error: BackendError, timeout_s: float) -> str:
    """What failed, as the status line says it."""
    if error.status == 429:
        return "rate limited by Twilio: offers may be late"
    if isinstance(error.__cause__, httpx.TimeoutException):
        return f"Twilio answers slowly: no answer in {timeout_s:g} s"
    return error.message


async def until_twilio_answers(
    error: BackendError,
    resync: Callable[[], Awaitable[Iterable[T]]],
    link: LinkStatus,
    *,
    url: str,
    timeout_s: float,
    retry_initial_s: float = 0.25,
    retry_max_s: float = 5.0,
) -> AsyncIterator[T | LinkStatus]:
    """The link down with `error`'s words, then a resync tried again with backoff until Twilio answers it: the
    link up (as `link`, the relay's status) and the resync's events. The relay's events wait meanwhile."""
    wait = retry_initial_s
    while True:
        yield dataclasses.replace(link, connected=False, detail=link_words(error, timeout_s), url=url, retry_s=wait)
        await asyncio.sleep(wait)
        try:
            events = await resync()
        except BackendError as again:
            error, wait = again, min(wait * 2, retry_max_s)
            continue
        yield dataclasses.replace(link, connected=True, retry_s=None)
        for event in events:
            yield event
        return
