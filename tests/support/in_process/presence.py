"""`PresenceDirectory` over the mock presence server's directory and messenger, in-process.

The people search, messages and simulated replies are the server's route functions and `Messenger`
(replies come after the server's delay divided by its `speed`: raise `speed` rather than wait); events
come from the same `EventLog` topic its SSE route streams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI
from pydantic import BaseModel, ValidationError

from agent_desktop.domain.models import Expert, ExpertMessage, ExpertMessageEvent, PresenceEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.presence.directory import TOPIC
from agent_desktop_mocks.presence.routers import messages, people
from agent_desktop_mocks.presence.schemas import MessageCreate
from tests.support.in_process.contact_center import IN_PROCESS_URL
from tests.support.in_process.event_subscription import LoggedEvent, Subscription
from tests.support.in_process.refusals import guard_body, refusals_as_backend_errors
from tests.support.in_process.wire import to_desktop, to_mock

_EVENTS: dict[str, type[BaseModel]] = {"presence": PresenceEvent, "expert_message": ExpertMessageEvent}


class InProcessPresenceDirectory:
    name = "presence"

    def __init__(self, app: FastAPI) -> None:
        """`app`: a mock presence server from `create_app` (never served)."""
        self._directory = app.state.directory
        self._messenger = app.state.messenger

    async def check_access(self) -> None:
        await self.list_experts("access-check")

    async def list_experts(self, query: str = "", skill: str | None = None) -> list[Expert]:
        with refusals_as_backend_errors(self.name):
            found = await people.list_people(self._directory, q=query or None, skill=skill or None, limit=200)
            return to_desktop(list[Expert], found)

    async def send_message(self, person_id: str, text: str, sender: str | None = None) -> ExpertMessage:
        document = {"text": text} | ({"sender": sender} if sender else {})
        guard_body(self.name, document)
        with refusals_as_backend_errors(self.name):
            sent = await messages.send_message(
                self._directory, self._messenger, person_id, to_mock(MessageCreate, document)
            )
            return to_desktop(ExpertMessage, sent)

    async def events(self) -> AsyncIterator[PresenceEvent | ExpertMessageEvent | LinkStatus]:
        """Up, then every change and message as published (the HTTP stream has no snapshot either)."""
        subscription = Subscription(self._directory.events, TOPIC)
        try:
            await subscription.open()
            yield LinkStatus(self.name, True, url=IN_PROCESS_URL)
            async for logged in subscription:
                parsed = _parse(logged)
                if parsed is not None:
                    yield parsed
        finally:
            await subscription.aclose()

    async def aclose(self) -> None:
        """Nothing to close: the directory belongs to whoever built it (InProcessMocks)."""


def _parse(logged: LoggedEvent) -> PresenceEvent | ExpertMessageEvent | None:
    model = _EVENTS.get(logged.type)
    if model is None:
        return None
    try:
        return model.model_validate_json(logged.data)  # type: ignore[return-value]
    except ValidationError:
        return None
