"""The mock CCaaS's conversation service: sending, opening a long transcript, a customer's answer reaching the agent.

- `conversation_send`: an agent's message, `POST /v1/contacts/{id}/messages` round trip over loopback,
  while the transcript grows to 5,000 items (the simulated customer delivers and reads each one).
- `conversation_newest_page_of_5000`: the newest 50 items of a 5,000-item transcript (what a desktop
  fetches to open it), round trip.
- `conversation_read_all_5000`: all 5,000 items in pages of 200, walking back with `before`.
- `customer_message_to_stream`: a simulated customer's answer, from its `created_at` (the server's
  clock) to the event parsed by an SSE client on the agent's stream (the same machine's clock): the
  server's share of the desktop's 20 ms p50 / 50 ms p99 target.

The server runs in a child process (`--serve`), its customers at speed 50 so that answers come quickly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import connect_sse

from agent_desktop.app.demo import free_port, wait_healthy
from benchmarks.figures import timing

ROOT = Path(__file__).resolve().parent.parent
AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
ITEMS = 5000
ANSWERS = 40


def serve(data_dir: str, port: int) -> None:

    from agent_desktop_mocks.ccaas.api.app import create_app
    from agent_desktop_mocks.ccaas.settings import MockSettings
    from agent_desktop_mocks.common.runner import run_servers

    settings = MockSettings(data_dir=Path(data_dir), seed=7, customers=60, simulator=False, speed=50, fresh=True)
    run_servers([(create_app(settings), port)])


def chat_in_hand(url: str) -> str:
    with httpx.Client(base_url=url, headers=AGENT) as agent, httpx.Client(base_url=url, headers=SUPERVISOR) as sup:
        agent.put("/v1/agents/agent-001/state", json={"state": "available"}).raise_for_status()
        body = {"queue_id": "billing", "channel": "chat", "from_address": "+12125550100", "subject": "Charged twice"}
        contact_id: str = sup.post("/v1/contacts", json=body).json()["id"]
        offer = agent.get("/v1/agents/agent-001/offers").json()[0]
        agent.post(f"/v1/offers/{offer['id']}/accept").raise_for_status()
        return contact_id


def run() -> Iterator[dict[str, Any]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-conversations-") as data_dir:
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_conversations", "--serve", data_dir, str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_healthy([url], process, timeout_s=60)
            yield from measure(url)
        finally:
            process.terminate()
            process.wait(timeout=10)


def measure(url: str) -> Iterator[dict[str, Any]]:
    with httpx.Client(base_url=url, headers=AGENT, timeout=10) as agent:
        # A customer's answer reaching the stream (a keyword each time, so the customer answers).
        contact_id = chat_in_hand(url)
        latencies: list[float] = []
        answered = threading.Event()
        stop = threading.Event()

        def listen() -> None:
            with (
                httpx.Client(base_url=url, headers=AGENT, timeout=httpx.Timeout(5, read=30)) as stream_client,
                connect_sse(stream_client, "GET", "/v1/agents/agent-001/events") as source,
            ):
                for event in source.iter_sse():
                    if stop.is_set():
                        return
                    if event.event == "message":
                        item = json.loads(event.data)["item"]
                        if item["role"] == "customer":
                            received = time.time()
                            created = datetime.fromisoformat(item["created_at"]).timestamp()
                            latencies.append((received - created) * 1000)
                            answered.set()

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        time.sleep(0.3)
        for _ in range(ANSWERS):
            answered.clear()
            agent.post(f"/v1/contacts/{contact_id}/messages", json={"text": "Sorry, could you say that again?"})
            answered.wait(timeout=10)
        stop.set()
        yield timing("customer_message_to_stream", latencies, target=20.0, unit="ms", digits=2)

        # Sending while the transcript grows to 5,000 items.
        long_chat = chat_in_hand(url)
        sends: list[float] = []
        for n in range(ITEMS):
            began = time.perf_counter()
            response = agent.post(f"/v1/contacts/{long_chat}/messages", json={"text": f"Line {n} of a long chat."})
            sends.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
        yield timing("conversation_send", sends, target=20.0, unit="ms", digits=2)

        pages: list[float] = []
        for _ in range(50):
            began = time.perf_counter()
            agent.get(f"/v1/contacts/{long_chat}/messages", params={"limit": 50}).raise_for_status()
            pages.append((time.perf_counter() - began) * 1000)
        yield timing("conversation_newest_page_of_5000", pages, target=20.0, unit="ms", digits=2)

        began = time.perf_counter()
        count, before = 0, None
        while True:
            params = {"limit": 200, **({"before": before} if before else {})}
            page = agent.get(f"/v1/contacts/{long_chat}/messages", params=params).json()
            count += len(page["items"])
            if not page["has_more"]:
                break
            before = page["items"][0]["id"]
        elapsed = time.perf_counter() - began
        assert count >= ITEMS, count
        yield {
            "name": "conversation_read_all_5000",
            "unit": "s",
            "value": round(elapsed, 3),
            "items": count,
            "target": 1.0,
        }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        for figure in run():
            print(json.dumps(figure), flush=True)
