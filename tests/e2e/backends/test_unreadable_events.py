"""No event dropped in silence: a lone surrogate in a message is repaired and the message shows,
bytes that are not UTF-8 on the stream do not end it, and an event the desktop cannot read is logged
(type and reason, never its text) and counted on the link's status line."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.wire.event_json import Unreadable, read_event
from agent_desktop.domain.models import ContactCenterEvent, ExpertMessageEvent, MessageEvent, PresenceEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.e2e.conversations.test_agent_conversations import desk, ready, servers, take, transcript_text  # noqa: F401
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import SIZE, SceneServers, scene_app, screen_text, wait_until

EVENT = TypeAdapter(ContactCenterEvent)
AT = "2026-11-20T14:30:00Z"
CARD = "4111111111111111"


def message(text: str, item_id: str = "m-1", deadline: str | None = None) -> dict[str, Any]:
    item = {
        "id": item_id,
        "contact_id": "c-1",
        "index": 1,
        "role": "customer",
        "display_name": "Dana",
        "text": text,
        "created_at": AT,
    }
    return {"type": "message", "contact_id": "c-1", "item": item, "inactivity_deadline": deadline}


def test_a_lone_surrogate_is_repaired_not_dropped() -> None:
    raw = json.dumps(message("my order \ud800 is late"))  # json.dumps writes it as the escape "\ud800"
    assert "\\ud800" in raw
    event = read_event(EVENT, raw)
    assert isinstance(event, MessageEvent)
    assert event.item.text == "my order \ufffd is late"


def test_an_unknown_type_or_a_broken_event_is_unreadable_and_names_no_backend_text() -> None:
    unknown = read_event(EVENT, json.dumps({"type": "hold_music", "contact_id": "c-1"}))
    assert unknown == Unreadable("hold_music", "union_tag_invalid")
    broken = read_event(EVENT, json.dumps({**message("x"), "item": {"text": f"card {CARD}"}}))
    assert isinstance(broken, Unreadable)
    assert broken.kind == "message"
    assert broken.reason.startswith("missing at message.item")
    sneaky = read_event(EVENT, json.dumps({"type": f"card_{CARD}"}))
    assert sneaky == Unreadable("?", "union_tag_invalid")  # a type with digits in it is not logged
    assert read_event(EVENT, "{not json") == Unreadable("?", "not JSON")


def _sse(event_id: int, body: bytes) -> bytes:
    return b"id: %d\nevent: message\ndata: %s\n\n" % (event_id, body)


def _raw_stream_app() -> FastAPI:
    """A contact center whose stream sends, in order: a message with bytes that are not UTF-8, one with a
    lone surrogate, a heartbeat, an event type nobody knows, and a plain message; then holds the connection
    open. (httpx-sse turns the blank line after a heartbeat into an empty "message" with the last id: not an
    event, and it was counted as one not read every 15 s.)"""
    app = FastAPI()
    agent = {"id": "agent-001", "name": "Alex", "state": "available", "state_since": AT}

    def none() -> list[object]:  # not `list`: FastAPI would read its argument as a query parameter
        return []

    app.get("/v1/agents/agent-001")(lambda: agent)
    app.get("/v1/agents/agent-001/offers")(none)
    app.get("/v1/agents/agent-001/contacts")(none)

    async def events() -> AsyncIterator[bytes]:
        yield _sse(1, json.dumps(message("caf__ ok", "m-1")).encode().replace(b"__", b"\xe9\xff"))
        yield _sse(2, json.dumps(message("lone \udc80 here", "m-2")).encode())
        yield b": heartbeat\n\n"
        yield _sse(3, json.dumps({"type": "hold_music", "contact_id": "c-1", "text": CARD}).encode())
        yield _sse(4, json.dumps(message("still here", "m-4")).encode())
        await asyncio.sleep(30)

    app.get("/v1/agents/agent-001/events")(lambda: StreamingResponse(events(), media_type="text/event-stream"))
    return app


async def test_invalid_utf8_a_lone_surrogate_and_an_unknown_type_on_a_real_stream(
    caplog: pytest.LogCaptureFixture,
) -> None:
    running = serve_in_thread([_raw_stream_app()])
    center = HttpContactCenter(running.urls[0], "token", "agent-001")
    seen: list[object] = []
    try:
        with caplog.at_level(logging.WARNING, logger="agent_desktop"):
            async with asyncio.timeout(20):
                async for item in center.events():
                    seen.append(item)
                    if isinstance(item, MessageEvent) and item.item.id == "m-4":
                        break
    finally:
        await center.aclose()
        running.stop()
    texts = [item.item.text for item in seen if isinstance(item, MessageEvent)]
    assert texts == ["caf\ufffd\ufffd ok", "lone \ufffd here", "still here"]  # none dropped, the stream went on
    links = [item for item in seen if isinstance(item, LinkStatus)]
    assert all(link.connected for link in links), "the link never dropped"
    assert links[-1].unreadable == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "agent_desktop.adapters.wire.stream"]
    assert logged == ["contact center: an event not read (hold_music: union_tag_invalid), 1 so far"]
    assert CARD not in caplog.text


async def test_the_repaired_message_shows_resets_the_idle_timer_and_an_unread_event_is_counted(
    servers: SceneServers,  # noqa: F811
) -> None:
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "dana@example.com")
        conversation = desk(pilot).conversations[contact_id]
        last = conversation.items[-1]
        deadline = (datetime.now(UTC) + timedelta(minutes=9)).replace(microsecond=0)
        body = message("Where is my refund \ud83d please", "m-900001", deadline.isoformat())
        body["contact_id"] = body["item"]["contact_id"] = contact_id
        body["item"]["index"] = last.index + 1
        event = read_event(EVENT, json.dumps(body))
        assert isinstance(event, MessageEvent)
        agent_screen(pilot).controller.receive(event)
        await wait_until(pilot, lambda: "Where is my refund \ufffd please" in transcript_text(pilot), "the message")
        assert desk(pilot).conversations[contact_id].inactivity_deadline == deadline

        link = desk(pilot).links["contact center"]
        agent_screen(pilot).controller.receive(LinkStatus(link.backend, True, url=link.url, unreadable=2))
        await wait_until(pilot, lambda: "2 events not read" in screen_text(pilot, "#agent-status"), "the count")


@pytest.mark.parametrize("kind", ["presence", "expert_message"])
def test_the_presence_stream_repairs_its_events_too(kind: str) -> None:
    from httpx_sse import ServerSentEvent

    from agent_desktop.adapters.http.presence import _parse_event

    presence = {"availability": "Available", "status_message": "back \udc80 soon", "changed_at": AT}
    data = (
        {"type": "presence", "person_id": "p-1", "presence": presence}
        if kind == "presence"
        else {
            "type": "expert_message",
            "message": {"id": "x", "person_id": "p-1", "direction": "inbound", "text": "ok \ud800", "sent_at": AT},
        }
    )
    parsed = _parse_event(ServerSentEvent(event=kind, data=json.dumps(data)))
    said = (
        of_kind(parsed, PresenceEvent).presence.status_message
        if kind == "presence"
        else of_kind(parsed, ExpertMessageEvent).message.text
    )
    assert "\ufffd" in present(said)
    assert _parse_event(ServerSentEvent(event="mood", data="{}")) == Unreadable("mood", "unknown event")


async def test_a_lone_surrogate_read_from_a_backend_can_still_be_written_back(servers: SceneServers) -> None:  # noqa: F811
    """A transcript read over REST keeps what Python's json gives (a lone surrogate in a `str`): httpx cannot
        encode that: the outbox's sender raised UnicodeEncodeError (not a BackendError) out of its worker, and
    the entry stayed due for the next start. Bodies are repaired as they go."""
    crm = HttpCrm(servers.crm_url, "demo-crm-token")
    try:
        customer = (await crm.lookup(servers.caller(3).email)).customers[0]
        note = await crm.add_note(customer.id, "said \ud800 twice", None, "note-surrogate-1")
    finally:
        await crm.aclose()
    assert note.text == "said \ufffd twice"
