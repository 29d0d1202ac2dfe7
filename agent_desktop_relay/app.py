"""The relay's HTTP side: `POST /twilio/events` takes TaskRouter's Event Callbacks, Conversations' webhooks and
real-time transcription's status callbacks (size and time limited, signature checked, a transcription's text
masked, kept durably, then 204), `GET /v1/Workers/{WorkerSid}/Events` serves a
worker's events, to that worker's credential only, as Server-Sent Events (`id`, `event` = Twilio's EventType,
`data` = the callback's parameters as JSON with `RelayReceivedMs`), resuming after `Last-Event-ID` (without one,
from the next event on); `GET /v1/Workers/{WorkerSid}/Calls/{CallSid}/Lines` serves a call's transcription lines (their
own stream, keyed by the call) the same way, to a desk of the call or a supervisor; `/healthz` says what was taken,
refused and dropped."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import FastAPI, Header, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from agent_desktop_relay.credentials import reads, supervises
from agent_desktop_relay.settings import RelaySettings, is_loopback
from agent_desktop_relay.signature import check
from agent_desktop_relay.store import RelayStore
from agent_desktop_relay.store_sqlite import SqliteStore
from agent_desktop_relay.transcription import is_transcription, transcription_line

WorkerSid = Annotated[str, Path(pattern=r"^WK[0-9a-fA-F]{32}$")]
CallSid = Annotated[str, Path(pattern=r"^CA[0-9a-fA-F]{32}$")]
EVENT_ID = re.compile(r"^[0-9]{1,18}$")
READ_AT_ONCE = 500  # a stream's events read from the store at a time

log = logging.getLogger("twilio_relay")


class _Refused(Exception):
    def __init__(self, status: int, kind: str, reason: str) -> None:
        self.status, self.kind, self.reason = status, kind, reason


def create_app(
    settings: RelaySettings, *, store: RelayStore | None = None, clock: Callable[[], float] = time.time
) -> FastAPI:
    """`clock`: the wall clock (seconds since the epoch), a knob for tests; ids never come from it."""
    if store is None:
        store = open_store(settings, clock)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await store.aclose()

    app = FastAPI(title="Twilio event relay", version="2.0", lifespan=lifespan)
    app.state.store = store
    app.state.received = 0  # callbacks taken (signed, kept)
    app.state.replays = 0  # taken again within the replay window: answered, not kept again
    app.state.unrouted = 0  # taken, nobody's (a task still queued, a workspace event)
    app.state.message_statuses = 0  # an SMS's status callback: taken, kept nowhere (the outbox reads the status)
    app.state.refused = Counter()  # reason → how many
    app.state.streams = 0

    def store_failed(error: Exception, doing: str) -> HTTPException:
        """The store (Redis, shared by several relays) did not answer: a 503 in words, a line in the log."""
        log.error("the relay's store failed %s: %s", doing, error)
        return HTTPException(503, f"the relay cannot reach its store ({type(error).__name__})")

    @app.get("/healthz")
    async def healthz() -> dict[str, object]:
        try:
            stats = await store.stats()
        except Exception as error:  # a balancer stops sending to a relay without its store
            raise store_failed(error, "reading its figures") from None
        refused = dict(app.state.refused)
        return {
            "status": "ok",
            "received": app.state.received,
            "replays": app.state.replays,
            "unrouted": app.state.unrouted,
            "message_statuses": app.state.message_statuses,
            "refused": sum(refused.values()),
            "refused_by_reason": refused,
            "streams": app.state.streams,
            "store": stats,
        }

    async def body_of(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > settings.max_body_bytes):
            raise _Refused(413, "too large", f"a body of {length} bytes (the limit is {settings.max_body_bytes})")
        chunks, size = [], 0
        try:
            async with asyncio.timeout(settings.body_timeout_s):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > settings.max_body_bytes:
                        raise _Refused(413, "too large", f"a body over {settings.max_body_bytes} bytes")
                    chunks.append(chunk)
        except TimeoutError:
            raise _Refused(408, "too slow", f"a body not sent within {settings.body_timeout_s:g} s") from None
        return b"".join(chunks)

    def refuse(status: int, kind: str, reason: str, request: Request) -> Response:
        app.state.refused[kind] += 1
        client = request.client.host if request.client else "?"
        log.warning(
            "callback refused (%d) from %s: %s; %d refused so far",
            status,
            client,
            reason,
            sum(app.state.refused.values()),
        )
        return JSONResponse(
            {"detail": reason}, status_code=status, headers={"Connection": "close"} if status in (408, 413) else None
        )

    @app.post("/twilio/events", status_code=204)
    async def event_callback(request: Request) -> Response:
        try:
            body = await body_of(request)
        except _Refused as refused:
            return refuse(refused.status, refused.kind, refused.reason, request)
        url = str(request.url)
        if settings.public_url:
            url = settings.public_url
            if request.url.query and "?" not in url:
                url += "?" + request.url.query
        elif not is_loopback(request.url.hostname):
            # The URL would be the client's own Host header: a callback Twilio signed for another of the account's
            # URLs, sent here with that Host, would pass. Without the public URL only loopback is taken.
            return refuse(403, "signature", "no --public-url: a callback to a host other than loopback", request)
        is_json = request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"
        why = check(
            url,
            body,
            is_json,
            request.headers.get("x-twilio-signature"),
            request.headers.get("x-twilio-webhooks-signature-settings"),
            settings.auth_token,
            settings.shared_keys,
        )
        if why is not None:
            return refuse(403, "signature", why, request)
        params = _params(body, is_json)
        if params is None:
            return refuse(
                400, "unreadable", "a signed body the relay cannot read (not a form, not a JSON object)", request
            )
        if is_message_status(params):
            # A follow-up SMS's status callback (`messaging_status_callback` pointed here): the desk's outbox reads
            # each message's status from Twilio itself (FetchMessage), so it is taken, counted and kept nowhere.
            app.state.received += 1
            app.state.message_statuses += 1
            return Response(status_code=204)
        if is_transcription(params):
            # A call's real-time transcription: a line masked in the desk's words, before anything keeps it; a stop
            # or an error as the system's line (the agent is told); the started event is taken and kept nowhere.
            line = transcription_line(params)
            if line is None:
                app.state.received += 1
                app.state.unrouted += 1
                return Response(status_code=204)
            params = line
        # The same signed request again (Twilio retrying it, or someone replaying it): its hash, within the window.
        key = hashlib.sha256(url.encode() + b"\n" + body).hexdigest()
        try:
            kept = await store.record(key, params, int(clock() * 1000))
        except Exception as error:  # not kept: not answered 204
            raise store_failed(error, "keeping a callback") from None
        if kept is None:
            app.state.replays += 1
        else:
            app.state.received += 1
            app.state.unrouted += not kept
        return Response(status_code=204)

    def reader(worker: str, authorization: str | None, last_event_id: str | None) -> str:
        """The token presented, checked against the worker's; the Last-Event-ID checked for form."""
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not token:
            raise HTTPException(401, "a reader token is needed (agent-desktop-twilio-relay token WK…)")
        if not reads(settings.secret, worker, token):
            raise HTTPException(403, "this token does not read this worker's events")
        if last_event_id is not None and not EVENT_ID.match(last_event_id.strip()):
            raise HTTPException(400, "Last-Event-ID is not an event id of this relay")
        return token

    async def served(name: str, last_event_id: str | None) -> StreamingResponse:
        """The stream `name` (a worker's, or a call's lines) as SSE, after `last_event_id` (None: from now)."""
        # A reader without Last-Event-ID subscribes from now: it reads the present from the REST API once the
        # stream is up. (Replaying the whole buffer made a desk that restarted read up to `keep` old events,
        # each with its REST reads, before a new offer: far behind after a few hundred.)
        try:  # asked even with Last-Event-ID: a relay without its store says so before the stream opens
            newest = await store.newest(name)
        except Exception as error:
            raise store_failed(error, "opening a stream") from None
        last = int(last_event_id) if last_event_id is not None else newest
        # "From now" is said to the reader as an id (an SSE event of an id alone: no event fires, the id is kept),
        # so a desk that had no event yet and loses its relay resumes from here, not from the newest event when it
        # reconnects: what was kept in between (its relay killed, another relay taking the callbacks) reaches it.
        opening = b": connected\n\n" if last_event_id is not None else f": connected\nid: {last or 0}\n\n".encode()

        async def stream() -> AsyncIterator[bytes]:
            nonlocal last
            app.state.streams += 1
            try:
                yield opening
                kept = await store.after(name, last, READ_AT_ONCE)
                while True:
                    for event in kept:
                        last = event.id
                        yield f"id: {event.id}\nevent: {event.event_type}\ndata: {event.data}\n\n".encode()
                    # Caught up as of that read (fewer than READ_AT_ONCE): wait, without reading again to find
                    # nothing, and a heartbeat is one look at the newest event (the wait's own), not three reads:
                    # 1,200 desks' heartbeats were most of a relay's store traffic on a quiet floor.
                    if len(kept) < READ_AT_ONCE and not await store.wait(name, last, settings.heartbeat_s):
                        kept = []
                        yield b": heartbeat\n\n"
                        continue
                    kept = await store.after(name, last, READ_AT_ONCE)
                    if not kept:  # woken for nothing (a subscription made again): still a sign of life
                        yield b": heartbeat\n\n"
            except Exception as error:  # the stream ends: the desk reconnects (to a relay that has its store)
                log.error("the relay's store failed serving %s's stream: %s", name, error)
            finally:
                app.state.streams -= 1

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    @app.get("/v1/Workers/{WorkerSid}/Events")
    async def worker_events(
        WorkerSid: WorkerSid,  # noqa: N803 - Twilio's path parameter, bound by its name
        authorization: Annotated[str | None, Header()] = None,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> StreamingResponse:
        reader(WorkerSid, authorization, last_event_id)
        return await served(WorkerSid, last_event_id)

    @app.get("/v1/Workers/{WorkerSid}/Calls/{CallSid}/Lines")
    async def call_lines(
        WorkerSid: WorkerSid,  # noqa: N803 - Twilio's path parameter, bound by its name
        CallSid: CallSid,  # noqa: N803 - as above
        authorization: Annotated[str | None, Header()] = None,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    ) -> StreamingResponse:
        """A call's transcription lines, to a worker holding or offered a task of the call, or to a supervisor's
        token (which monitors any call it names); without Last-Event-ID, from the call's first line still kept."""
        token = reader(WorkerSid, authorization, last_event_id)
        if not supervises(settings.secret, WorkerSid, token):
            try:
                readers = await store.readers(CallSid)
            except Exception as error:
                raise store_failed(error, "opening a stream") from None
            if WorkerSid not in readers:
                raise HTTPException(403, "this worker holds no task of this call")
        return await served(CallSid, last_event_id or "0")

    return app


def open_store(settings: RelaySettings, clock: Callable[[], float] = time.time) -> RelayStore:
    """Redis when a URL is set (several relays share it; `redis+cluster://`: a Redis Cluster), else the relay's own
    SQLite file."""
    if settings.redis_url and settings.redis_url.split("://", 1)[0].endswith("+cluster"):
        from agent_desktop_relay.store_redis_cluster import ClusterStore

        return ClusterStore(
            settings.redis_url,
            keep=settings.keep,
            replay_window_s=settings.replay_window_s,
            prefix=settings.redis_prefix,
        )
    if settings.redis_url:
        from agent_desktop_relay.store_redis import (
            RedisStore,  # the `relay-redis` extra: only a relay that uses it needs it
        )

        return RedisStore(
            settings.redis_url,
            keep=settings.keep,
            replay_window_s=settings.replay_window_s,
            prefix=settings.redis_prefix,
        )
    return SqliteStore(
        settings.store_path or ":memory:",
        keep=settings.keep,
        replay_window_s=settings.replay_window_s,
        clock=clock,
        synchronous=settings.synchronous,
    )


def _params(body: bytes, is_json: bool) -> dict[str, str] | None:
    """The callback's parameters, each a string (a repeated form parameter: its last value)."""
    text = body.decode()
    if not is_json:
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested a thousand deep: unreadable (400), not a 500 Twilio retries
        return None
    if not isinstance(value, dict):
        return None
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def is_message_status(params: dict[str, str]) -> bool:
    """Messaging's status callback: a message's SID and status, none of TaskRouter's or transcription's fields
    (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status)."""
    return "MessageSid" in params and "MessageStatus" in params and "EventType" not in params
