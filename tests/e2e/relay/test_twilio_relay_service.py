"""The relay served as it runs for real (agent_desktop_relay/serving.py: uvicorn, h11, the header deadline), tried as an
operator and an attacker would: a restart mid-chat (its clock an hour behind) delivers every message once; each
desk reads only its worker's stream; an oversized body is refused unread; a half-sent request is dropped and real
callbacks still get in; a replay is kept once; a malformed resume id is a 400; a paused relay is declared down
within the desk's heartbeat timeout."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx_sse import ServerSentEvent
from twilio.request_validator import RequestValidator

from agent_desktop.adapters.twilio.contact_center import RELAY_HEARTBEAT_TIMEOUT_S
from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.app.demo import free_port, wait_healthy
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_relay.app import create_app
from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.serving import server, uvicorn_checked
from agent_desktop_relay.settings import DEFAULT_HEARTBEAT_S, RelaySettings

AUTH_TOKEN, SECRET = "the-account-auth-token", "relay-secret-for-the-service-tests-0123"
WORKER, OTHER = "WK" + "1" * 32, "WK" + "2" * 32
TASK, CONVERSATION = "WT" + "5" * 32, "CH" + "3" * 32
ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def relay(
    store: Path | None = None,
    *,
    port: int | None = None,
    clock: Callable[[], float] = time.time,
    header_timeout_s: float = 10.0,
    **options: object,
) -> Iterator[tuple[str, FastAPI]]:
    settings = RelaySettings(
        auth_token=AUTH_TOKEN, secret=SECRET, store_path=store, heartbeat_s=0.5, synchronous="NORMAL", **options
    )
    app = create_app(settings, clock=clock)
    port = port or free_port()
    served = server(app, "127.0.0.1", port, header_timeout_s=header_timeout_s)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    for _ in range(200):
        if served.started:
            break
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        served.should_exit = True
        thread.join(10)


def signed(url: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, params)}


async def post(client: httpx.AsyncClient, base: str, params: dict[str, str]) -> int:
    url = f"{base}/twilio/events"
    return (await client.post(url, data=params, headers=signed(url, params))).status_code


def reader(base: str, worker: str = WORKER) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {reader_token(SECRET, worker)}"}, timeout=5
    )


def _parse(event: ServerSentEvent) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(event.data)
    return parsed


def reservation(status: str, worker: str) -> dict[str, str]:
    return {
        "EventType": f"reservation.{status}",
        "WorkerSid": worker,
        "TaskSid": TASK,
        "TaskAttributes": json.dumps({"conversationSid": CONVERSATION}),
        "Sid": f"EV{status:0>32}"[:34],
    }


def message(n: int) -> dict[str, str]:
    return {
        "EventType": "onMessageAdded",
        "ConversationSid": CONVERSATION,
        "MessageSid": f"IM{n:032x}",
        "Body": f"message {n}",
    }


async def test_a_relay_restarted_mid_chat_with_its_clock_behind_delivers_every_message_once(tmp_path: Path) -> None:
    """The chat's task was routed before the restart; after it (the relay's clock an hour behind) its messages
    still reach the worker, and the desk, resuming by Last-Event-ID, gets each message once."""
    store, port = tmp_path / "relay.sqlite3", free_port()
    seen: list[str] = []
    links: list[LinkStatus] = []

    async def follow() -> None:
        async with reader(f"http://127.0.0.1:{port}") as client:
            async for item in resilient_stream(
                client,
                f"/v1/Workers/{WORKER}/Events",
                backend="relay",
                parse=_parse,
                heartbeat_timeout_s=3.0,
                retry_max_s=0.25,
            ):
                if isinstance(item, LinkStatus):
                    links.append(item)
                elif item.get("EventType") == "onMessageAdded":
                    seen.append(item["MessageSid"])

    async with httpx.AsyncClient(timeout=5) as client:
        with relay(store, port=port) as (base, _):
            for status in ("created", "accepted"):
                assert await post(client, base, reservation(status, WORKER)) == 204
            desk = asyncio.create_task(follow())
            while not links:
                await asyncio.sleep(0.05)
            for n in range(5):
                assert await post(client, base, message(n)) == 204
            while len(seen) < 5:
                await asyncio.sleep(0.05)
        with relay(store, port=port, clock=lambda: time.time() - 3600) as (base, _):
            for n in range(5, 10):
                assert await post(client, base, message(n)) == 204
            for _ in range(200):
                if len(seen) >= 10:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # nothing doubled behind the last
        desk.cancel()
    assert seen == [f"IM{n:032x}" for n in range(10)]
    assert any(not link.connected for link in links), "the desk saw the restart"


async def test_each_desk_reads_only_its_own_workers_stream() -> None:
    with relay() as (base, _):
        async with reader(base, OTHER) as other, reader(base, WORKER) as own:
            assert (await other.get(f"/v1/Workers/{WORKER}/Events")).status_code == 403
            async with own.stream("GET", f"/v1/Workers/{WORKER}/Events") as stream:
                assert stream.status_code == 200
            assert (await own.get(f"/v1/Workers/{WORKER}/Events", headers={"Authorization": ""})).status_code == 401


async def test_a_malformed_resume_id_is_a_400() -> None:
    with relay() as (base, _):
        async with reader(base) as client:
            for bad in ("abc", "-1", "1e5", "9" * 40, "12 34"):
                answer = await client.get(f"/v1/Workers/{WORKER}/Events", headers={"Last-Event-ID": bad})
                assert answer.status_code == 400, bad


async def test_a_callback_posted_three_times_is_kept_once() -> None:
    with relay() as (base, app):
        async with httpx.AsyncClient(timeout=5) as client:
            params = {"EventType": "worker.activity.update", "WorkerSid": WORKER, "Sid": "EV" + "7" * 32}
            assert [await post(client, base, params) for _ in range(3)] == [204, 204, 204]
            health = (await client.get(f"{base}/healthz")).json()
        assert (health["received"], health["replays"]) == (1, 2)
        assert len(app.state.store.kept(WORKER)) == 1


async def test_an_oversized_body_is_refused_before_it_is_read() -> None:
    """A Content-Length over the limit is answered at once (nothing more read); a chunked body is cut off at it."""
    with relay() as (base, app):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(
                b"POST /twilio/events HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\nEventType=x"
            )
            assert sock.recv(100).startswith(b"HTTP/1.1 413")

        async def endless() -> AsyncIterator[bytes]:
            for _ in range(1000):
                yield b"x" * 4096

        async with httpx.AsyncClient(timeout=5) as client:
            try:  # the relay answers 413 and closes while the client is still sending: it may see the reset first
                answer = await client.post(f"{base}/twilio/events", content=endless())
                assert answer.status_code == 413
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                pass
            health = (await client.get(f"{base}/healthz")).json()
        assert health["refused_by_reason"]["too large"] == 2


async def test_half_sent_requests_are_dropped_and_real_callbacks_still_get_in() -> None:
    with relay(header_timeout_s=0.5, max_body_bytes=4096, body_timeout_s=0.5) as (base, app):
        host, port = base.removeprefix("http://").split(":")
        slow = [socket.create_connection((host, int(port)), timeout=5) for _ in range(20)]
        for sock in slow:
            sock.sendall(b"POST /twilio/events HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and then nothing
        body_late = socket.create_connection((host, int(port)), timeout=5)
        body_late.sendall(b"POST /twilio/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nEvent")
        await asyncio.sleep(1.5)
        for sock in slow:
            assert sock.recv(100) == b"", "closed by the relay"
            sock.close()
        assert body_late.recv(100).startswith(b"HTTP/1.1 408")
        body_late.close()
        async with httpx.AsyncClient(timeout=5) as client:
            assert await post(client, base, {"EventType": "worker.activity.update", "WorkerSid": WORKER}) == 204


def test_the_token_command_prints_a_desks_token() -> None:
    env = {**os.environ, "RELAY_SECRET": SECRET}
    done = subprocess.run(
        [sys.executable, "-m", "agent_desktop_relay", "token", WORKER],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stdout.strip()) == (0, reader_token(SECRET, WORKER))
    refused = subprocess.run(
        [sys.executable, "-m", "agent_desktop_relay", "token", "agent-001"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=30,
    )
    assert refused.returncode == 2


def test_the_header_deadline_was_checked_with_this_uvicorn() -> None:
    assert uvicorn_checked(), (
        "agent_desktop_relay/serving.py: check HeaderDeadlineProtocol against this uvicorn's H11Protocol"
    )


@pytest.mark.timing
async def test_a_paused_relay_is_declared_down_well_before_an_offer_could_expire(tmp_path: Path) -> None:
    """The relay stopped (SIGSTOP: the process alive, its socket open, nothing said): the desk counts its link
    lost within its heartbeat timeout, three of the relay's heartbeats, under the demo floor's 20 s offers. The
    relay runs here on a quarter of its heartbeat and the desk's timeout is cut to match: the same three beats."""
    assert RELAY_HEARTBEAT_TIMEOUT_S >= 3 * DEFAULT_HEARTBEAT_S
    assert RELAY_HEARTBEAT_TIMEOUT_S < 20 / 1.5
    heartbeat_s = DEFAULT_HEARTBEAT_S / 4
    timeout_s = RELAY_HEARTBEAT_TIMEOUT_S * heartbeat_s / DEFAULT_HEARTBEAT_S
    port = free_port()
    env = {**os.environ, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "RELAY_SECRET": SECRET}
    command = [
        sys.executable,
        "-m",
        "agent_desktop_relay",
        "--port",
        str(port),
        "--store",
        str(tmp_path / "relay.sqlite3"),
        "--heartbeat",
        str(heartbeat_s),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy([f"http://127.0.0.1:{port}"], process, what="the relay")
        async with reader(f"http://127.0.0.1:{port}") as client:
            stream = resilient_stream(
                client, f"/v1/Workers/{WORKER}/Events", backend="relay", parse=_parse, heartbeat_timeout_s=timeout_s
            )
            first = await asyncio.wait_for(anext(stream), 10)
            assert isinstance(first, LinkStatus)
            assert first.connected
            await asyncio.sleep(heartbeat_s * 1.5)  # heartbeats keep a healthy link up
            process.send_signal(signal.SIGSTOP)
            paused = time.monotonic()
            down = await asyncio.wait_for(anext(stream), timeout_s + 5)
            assert isinstance(down, LinkStatus)
            assert not down.connected
            assert time.monotonic() - paused <= timeout_s + 1
            await stream.aclose()
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(10)


async def test_a_desk_that_had_no_event_yet_gets_what_was_kept_while_its_relay_was_gone(tmp_path: Path) -> None:
    """The desk connected (from now: no Last-Event-ID) and nothing came; its relay went, callbacks were taken
    meanwhile (by another relay on the same store); reconnected, the desk gets them: the relay told it where
    "now" was, so it resumes from there rather than from the newest event at its reconnection."""
    store, port = tmp_path / "relay.sqlite3", free_port()
    seen: list[str] = []
    links: list[LinkStatus] = []

    async def follow() -> None:
        async with reader(f"http://127.0.0.1:{port}") as client:
            async for item in resilient_stream(
                client,
                f"/v1/Workers/{WORKER}/Events",
                backend="relay",
                parse=_parse,
                heartbeat_timeout_s=3.0,
                retry_max_s=0.25,
            ):
                if isinstance(item, LinkStatus):
                    links.append(item)
                elif item.get("EventType") == "onMessageAdded":
                    seen.append(item["MessageSid"])

    async with httpx.AsyncClient(timeout=5) as client:
        with relay(store, port=port):
            desk = asyncio.create_task(follow())
            while not links:
                await asyncio.sleep(0.05)
        with relay(store) as (elsewhere, _):  # the desk cannot reach this one: it keeps retrying its own port
            for status in ("created", "accepted"):
                assert await post(client, elsewhere, reservation(status, WORKER)) == 204
            for n in range(3):
                assert await post(client, elsewhere, message(n)) == 204
        with relay(store, port=port):
            for _ in range(200):
                if len(seen) >= 3:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
        desk.cancel()
    assert seen == [f"IM{n:032x}" for n in range(3)]
