"""`Messaging` over the mock CCaaS's messaging routes, in-process (as contact_center.py does the rest): the route
function itself, with the agent's `Principal`, its answers read through JSON as the HTTP client reads them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import FastAPI, Response

from agent_desktop.domain.messages.protocol import MessagingCapabilities, OutboundMessage
from agent_desktop.domain.models import Channel
from agent_desktop_mocks.ccaas.api.routers import messaging as messaging_routes
from agent_desktop_mocks.ccaas.messaging.schemas import MessageCreate
from agent_desktop_mocks.common.http.auth import Principal
from tests.support.in_process.refusals import guard_body, refusals_as_backend_errors
from tests.support.in_process.wire import to_desktop, to_mock


class InProcessMessaging:
    name = "contact center"
    capabilities = MessagingCapabilities()

    def __init__(self, app: FastAPI, agent_id: str) -> None:
        self._who = Principal(f"{agent_id}-token", "agent", agent_id)
        self._request: Any = SimpleNamespace(app=app)
        self._engine = app.state.engine
        self.sent: list[str] = []  # the keys of every send asked for (a test counts them)

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        self.sent.append(idempotency_key)
        document = {"channel": str(channel), "to": to, "body": body}
        with refusals_as_backend_errors(self.name):
            guard_body(self.name, document)
            answer = await messaging_routes.send(
                to_mock(MessageCreate, document), self._who, self._engine, self._request, Response(), idempotency_key
            )
            return to_desktop(OutboundMessage, answer)

    async def message_status(self, message_id: str) -> OutboundMessage:
        with refusals_as_backend_errors(self.name):
            return to_desktop(OutboundMessage, await messaging_routes.get(message_id, self._who, self._request))
