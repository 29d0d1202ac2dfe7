"""The presence directory over HTTP + Server-Sent Events (the mock presence API, docs/mock-apis.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from httpx_sse import ServerSentEvent
from pydantic import TypeAdapter

from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.adapters.wire.event_json import Unreadable, read_event
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.models import Expert, ExpertMessage, ExpertMessageEvent, PresenceEvent, deferred_adapter
from agent_desktop.domain.streams.link_status import LinkStatus

_experts = deferred_adapter(list[Expert])


class HttpPresenceDirectory(HttpBackend):
    name = "presence"

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout_s: float = 5.0,
        heartbeat_timeout_s: float = 35.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url, token, timeout_s=timeout_s, heartbeat_timeout_s=heartbeat_timeout_s, transport=transport
        )

    async def list_experts(self, query: str = "", skill: str | None = None) -> list[Expert]:
        params = {"q": query} if query else {}
        if skill:
            params["skill"] = skill
        return self._as(_experts, await self._get_json("/v1/people", params=params))

    async def check_access(self) -> None:
        await self._get_json("/v1/people", params={"q": "access-check"})

    async def send_message(self, person_id: str, text: str, sender: str | None = None) -> ExpertMessage:
        body = {"text": text} | ({"sender": sender} if sender else {})
        response = await self._request("POST", api_path("/v1/people/{}/messages", person_id), json=body)
        return self._model(ExpertMessage, response)

    def events(self) -> AsyncIterator[PresenceEvent | ExpertMessageEvent | LinkStatus]:
        return self._stream("/v1/presence/events", _parse_event)


_presence, _expert_message = TypeAdapter(PresenceEvent), TypeAdapter(ExpertMessageEvent)


def _parse_event(event: ServerSentEvent) -> PresenceEvent | ExpertMessageEvent | Unreadable:
    # An Unreadable one is logged and counted by the stream.
    if event.event == "presence":
        return read_event(_presence, event.data, event.event)
    if event.event == "expert_message":
        return read_event(_expert_message, event.data, event.event)
    return Unreadable(event.event if event.event.isidentifier() else "?", "unknown event")
