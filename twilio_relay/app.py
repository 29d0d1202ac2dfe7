"""The relay's HTTP side: `POST /twilio/events` takes TaskRouter's Event Callbacks (signature checked, 204),
`GET /v1/Workers/{WorkerSid}/Events` serves a worker's events as Server-Sent Events (`id`, `event` =
Twilio's EventType, `data` = the callback's parameters as JSON), resuming after `Last-Event-ID` (without one,
from the next event on)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import FastAPI, Header, HTTPException, Path, Request, Response
from fastapi.responses import StreamingResponse

from twilio_relay.buffer import EventBuffer
from twilio_relay.settings import RelaySettings
from twilio_relay.signature import valid

WorkerSid = Annotated[str, Path(pattern=r"^WK[0-9a-fA-F]{32}$")]


def create_app(settings: RelaySettings) -> FastAPI:
    buffer = EventBuffer(settings.keep)
    app = FastAPI(title="Twilio event relay", version="1.0")
    app.state.buffer = buffer
    app.state.received = 0

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/twilio/events", status_code=204)
    async def event_callback(
        request: Request, signature: Annotated[str | None, Header(alias="X-Twilio-Signature")] = None
    ) -> Response:
        body = await request.body()
        try:
            params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            raise HTTPException(400, "not a form body") from None
        url = settings.public_url or str(request.url)
        if not valid(settings.auth_token, url, params, signature):
            raise HTTPException(403, "X-Twilio-Signature does not match")
        buffer.add(params)
        app.state.received += 1
        return Response(status_code=204)

    @app.get("/v1/Workers/{WorkerSid}/Events")
    async def worker_events(
        WorkerSid: WorkerSid,
        authorization: Annotated[str | None, Header()] = None,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> StreamingResponse:
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(token.encode(), settings.reader_token.encode()):
            raise HTTPException(401, "reader token refused")
        # A reader without Last-Event-ID subscribes from now: it reads the present from the REST API once the
        # stream is up. (Replaying the whole buffer made a desk that restarted read up to `keep` old events,
        # each with its REST reads, before a new offer: 20 s and more behind after a few hundred.)
        last = int(last_event_id) if last_event_id and last_event_id.isdigit() else buffer.newest(WorkerSid)

        async def stream() -> AsyncIterator[bytes]:
            nonlocal last
            yield b": connected\n\n"
            while True:
                for kept in buffer.after(WorkerSid, last):
                    last = kept.id
                    yield f"id: {kept.id}\nevent: {kept.event_type}\ndata: {kept.data}\n\n".encode()
                await buffer.wait(WorkerSid, settings.heartbeat_s, after=last)
                if not buffer.after(WorkerSid, last):
                    yield b": heartbeat\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    return app
