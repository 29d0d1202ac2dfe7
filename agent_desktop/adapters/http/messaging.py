"""Messaging on the mock contact center's API (`/v1/messages`, docs/mock-apis.md): SMS and email to a customer,
sent on the contact center's own connection (its client, its token)."""

from __future__ import annotations

from agent_desktop.adapters.http.client import HttpBackend
from agent_desktop.adapters.wire.header_values import header_value
from agent_desktop.adapters.wire.url_path import api_path
from agent_desktop.domain.messages.protocol import MessagingCapabilities, OutboundMessage
from agent_desktop.domain.vocabulary import Channel


class HttpMessaging:
    capabilities = MessagingCapabilities()  # the mock sends SMS and email

    def __init__(self, backend: HttpBackend) -> None:
        self._backend = backend

    async def send_message(self, channel: Channel, to: str, body: str, idempotency_key: str) -> OutboundMessage:
        response = await self._backend._request(
            "POST",
            "/v1/messages",
            json={"channel": channel, "to": to, "body": body},
            headers={"Idempotency-Key": header_value(idempotency_key)},
        )
        return self._backend._model(OutboundMessage, response)

    async def message_status(self, message_id: str) -> OutboundMessage:
        return self._backend._as(
            OutboundMessage, await self._backend._get_json(api_path("/v1/messages/{}", message_id))
        )
