"""The Twilio-shaped mock: `create_app(ccaas_app, twilio)` serves the mock CCaaS engine's floor the way
Twilio TaskRouter's API does (twilio_taskrouter_v1.yaml), so the desk runs on its Twilio backend without an
account. It shares the engine of a mock CCaaS app built in the same process (serve both: the CCaaS app's
clock fires the offer and ACW timers), and sends signed Event Callbacks to `event_callback_url`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import Depends, FastAPI

from agent_desktop_mocks.common.http.request_guard import SafeJSONResponse
from agent_desktop_mocks.common.http.service_api import add_healthz
from agent_desktop_mocks.twilio.callbacks import EventCallbacks
from agent_desktop_mocks.twilio.calls.transcriptions import Transcriptions
from agent_desktop_mocks.twilio.http.access import authorised
from agent_desktop_mocks.twilio.http.errors import add_error_handlers
from agent_desktop_mocks.twilio.routers import (
    activities,
    calls,
    conferences,
    conversations,
    events,
    interactions,
    messages,
    reservations,
    statistics,
    task_queues,
    tasks,
    transcriptions,
    workers,
)
from agent_desktop_mocks.twilio.settings import TwilioMockSettings
from agent_desktop_mocks.twilio.state import TwilioState

DESCRIPTION = """\
The mock contact center's agents, offers, contacts and queues as Twilio TaskRouter's Workers (with
Activities), Reservations, Tasks and TaskQueues: SIDs (`WK…`, `WR…`, `WT…`, `WQ…`, `WA…`, `WS…`),
Twilio's JSON shapes and `meta` paging, form-encoded bodies, `ETag`/`If-Match` on tasks, errors as
`{"code", "message", "more_info", "status"}`. Basic auth with the demo API key (`SK0e0e…`,
`demo-twilio-api-key-secret`) or the account SID and auth token. Each change is POSTed, signed with
`X-Twilio-Signature`, to the configured Event Callback URL.

Beside TaskRouter: Flex Interactions' channel Invites and Participants (a transfer to a TaskQueue or a Worker),
Conversations (a chat or SMS contact's messages and participants; `onMessageAdded` webhooks to the same URL),
the Voice conference participants of a call (hold), the caller's call redirected into `<Enqueue>` (a voice
transfer: a new task for the same call), and a call's real-time transcription (its signed status callbacks, from
what the CCaaS's simulated caller and agent say).
"""


def _hear_keywords(state: TwilioState, topics: list[str], type_: str, data: dict[str, Any]) -> None:
    """A customer's SMS in a conversation reaches the account's SMS number: an opt-out or opt-in keyword is Twilio's
    to act on (messaging/opt_outs.py), whether or not a webhook is configured."""
    item = data.get("item") if type_ == "message" else None
    if not isinstance(item, dict) or item.get("role") != "customer" or item.get("kind") != "message":
        return
    contact_id = item.get("contact_id")
    record = state.conversations.store.get(contact_id) if state.conversations and isinstance(contact_id, str) else None
    if record is not None and record.channel.value == "sms":
        state.opt_outs.heard(record.customer_address, state.settings.sms_number, str(item.get("text") or ""))


def create_app(ccaas_app: FastAPI, twilio: TwilioMockSettings | None = None) -> FastAPI:
    settings = twilio or TwilioMockSettings()
    state = TwilioState.over(ccaas_app.state.engine, settings, getattr(ccaas_app.state, "conversations", None))
    state.voice_leg = getattr(ccaas_app.state, "voice_leg", None)  # real calls: a worker's SIP contact_uri rung
    event_log = getattr(ccaas_app.state, "event_log", None)
    callbacks = EventCallbacks(state, event_log)
    if event_log is not None and state.conversations is not None:
        event_log.add_listener(partial(_hear_keywords, state))
    # A call's real-time transcription hears what the CCaaS's simulated caller and agent say (None: calls silent).
    heard = Transcriptions(state, getattr(ccaas_app.state, "call_speaker", None))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        senders = [
            asyncio.create_task(callbacks.run(), name="twilio-event-callbacks"),
            asyncio.create_task(heard.run(), name="twilio-transcription-callbacks"),
        ]
        try:
            yield
        finally:
            for sender in senders:
                sender.cancel()
            for sender in senders:
                with contextlib.suppress(asyncio.CancelledError):
                    await sender

    app = FastAPI(
        title="Mock Twilio TaskRouter",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        default_response_class=SafeJSONResponse,
    )
    app.state.twilio = state
    app.state.callbacks = callbacks
    app.state.transcriptions = heard
    app.state.messaging = getattr(ccaas_app.state, "messaging", None)  # Messages: the CCaaS mock's
    app.state.message_senders = {}  # message id → its From
    add_error_handlers(app)
    add_healthz(app)
    # statistics first: its /Workers/RealTimeStatistics is not a Worker's SID
    for module in (
        activities,
        statistics,
        workers,
        reservations,
        tasks,
        task_queues,
        conferences,
        calls,
        transcriptions,
        interactions,
        conversations,
        messages,
        events,
    ):
        app.include_router(module.router, dependencies=[Depends(authorised)])
    return app
