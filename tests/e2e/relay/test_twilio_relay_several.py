"""Two relays on one Redis behind one URL (a round-robin proxy standing in for the load balancer), as processes:
callbacks taken by either reach a desk connected to the other, and when the desk's relay is killed (SIGKILL) in
the middle of a chat, the desk reconnects through the same URL to the other and gets every message, once."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from agent_desktop.adapters.wire.stream import resilient_stream
from agent_desktop.app.demo import free_port
from agent_desktop.domain.streams.link_status import LinkStatus
from agent_desktop_relay.credentials import reader_token
from tests.support.redis_server import running_redis
from tests.support.relay_cluster import RelayProcess, relay_processes, round_robin_proxy

AUTH_TOKEN, SECRET = "the-account-auth-token", "relay-secret-for-the-several-relays-test"
WORKER, TASK, CONVERSATION = "WK" + "1" * 32, "WT" + "5" * 32, "CH" + "3" * 32
MESSAGES = 40
KILL_AFTER = 20  # messages posted before the desk's relay is killed


def reservation(status: str) -> dict[str, str]:
    return {
        "EventType": f"reservation.{status}",
        "WorkerSid": WORKER,
        "TaskSid": TASK,
        "TaskAttributes": json.dumps({"conversationSid": CONVERSATION}),
    }


def message(n: int) -> dict[str, str]:
    return {
        "EventType": "onMessageAdded",
        "ConversationSid": CONVERSATION,
        "MessageSid": f"IM{n:032x}",
        "Body": f"message {n}",
    }


async def post(
    client: httpx.AsyncClient, relays: list[RelayProcess], first: int, params: dict[str, str], public_url: str
) -> None:
    """To relay `first`; refused or cut off (it was killed), to the next, as Twilio's retry through the balancer
    would land (the same signed request: if the dead relay had kept it, it is a replay, kept once)."""
    signature = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(public_url, params)}
    for n in range(len(relays) * 2):
        relay = relays[(first + n) % len(relays)]
        try:
            if (await client.post(f"{relay.url}/twilio/events", data=params, headers=signature)).status_code == 204:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"no relay took {params}")


@pytest.mark.exclusive
async def test_two_relays_on_one_redis_serve_any_desk_and_a_killed_one_loses_nothing(tmp_path: Path) -> None:
    proxy_port = free_port()
    public_url = f"http://127.0.0.1:{proxy_port}/twilio/events"
    seen: list[str] = []
    links: list[LinkStatus] = []

    async def desk() -> None:
        headers = {"Authorization": f"Bearer {reader_token(SECRET, WORKER)}"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{proxy_port}", headers=headers, timeout=5) as client:
            async for item in resilient_stream(
                client,
                f"/v1/Workers/{WORKER}/Events",
                backend="relay",
                parse=lambda event: json.loads(event.data),
                heartbeat_timeout_s=5.0,
                retry_max_s=0.25,
            ):
                if isinstance(item, LinkStatus):
                    links.append(item)
                elif item.get("EventType") == "onMessageAdded":
                    seen.append(item["MessageSid"])

    async def until(condition: Callable[[], object], what: str, timeout_s: float = 15.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            assert time.monotonic() < deadline, f"{what} within {timeout_s} s (seen {len(seen)}, links {links})"
            await asyncio.sleep(0.02)

    with (
        running_redis(tmp_path / "redis") as redis,
        relay_processes(redis.url, 2, public_url, tmp_path / "relays", AUTH_TOKEN, SECRET) as relays,
    ):
        async with (
            round_robin_proxy(proxy_port, [relay.port for relay in relays]) as proxy,
            httpx.AsyncClient(timeout=5) as client,
        ):
            following = asyncio.create_task(desk())
            try:
                await until(lambda: links and links[-1].connected, "the desk connected")
                (desks_relay,) = [n for n, count in proxy.open.items() if count]
                other = 1 - desks_relay
                await post(client, relays, other, reservation("created"), public_url)  # the map: kept through the other
                await post(client, relays, other, reservation("accepted"), public_url)
                for n in range(KILL_AFTER):  # either relay takes them: all reach the desk, connected to one
                    await post(client, relays, n % 2, message(n), public_url)
                await until(lambda: len(seen) >= KILL_AFTER, "the messages taken by either relay reached the desk")

                relays[desks_relay].kill()
                for n in range(KILL_AFTER, MESSAGES):  # the chat goes on; Twilio's posts land on the live one
                    await post(client, relays, n % 2, message(n), public_url)
                await until(lambda: len(seen) >= MESSAGES, "every message after the kill reached the desk")
                await asyncio.sleep(0.3)  # nothing doubled behind the last
            finally:
                following.cancel()
            reconnected_to = [n for n, count in proxy.open.items() if count]
    assert seen == [f"IM{n:032x}" for n in range(MESSAGES)], "every message, in order, once"
    assert any(not link.connected for link in links), "the desk saw its relay go"
    assert links[-1].connected
    assert proxy.handed[other] >= 1
    assert reconnected_to in ([], [other])
