"""Knowledge search over 10,000 articles: the mock CRM's search route against the same FTS5 query on a bare sqlite3
connection, in the same run.

`knowledge_search_10k_articles`: `GET /v1/knowledge/search?q=…&limit=10` answered by the mock CRM's app in this
process (httpx's ASGI transport: the route, its auth, the query's quoting, FTS5 with BM25 and a snippet per hit, the
offsets, the JSON; no socket), over the 10,000 articles `knowledge_seed` makes (the shipped few hundred, then their
editions). The reference, `knowledge_search_10k_bare_fts5`: the route's own SQL (`knowledge_store.ranked_rows`: the ten best
by `bm25()`, then `snippet()` for those ten; every word, then any word where that finds nothing) on a bare
`sqlite3` connection to the same file, rows fetched and nothing else: nothing the route does can be cheaper. Queries: what agents type (`refund visa`, `internet keeps dropping`…) and what the desk makes of a
customer's message (`query_from_message`), cycled. Each figure has the wall time and this thread's CPU time
(`cpu_p50`, `cpu_p99`: what a busy machine's other processes do not add). Runs: `BENCH_KNOWLEDGE_SEARCHES` (default 600).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import sqlite_utils
from fastapi import FastAPI

from agent_desktop.domain.knowledge.query import query_from_message
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.crm.app import create_app
from agent_desktop_mocks.crm.knowledge import seed as knowledge_seed
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from benchmarks.figures import timing

ARTICLES = 10_000
WARM_UP = 20
TYPED = [
    "refund visa",
    "charged twice",
    "internet keeps dropping",
    "reset password web portal",
    "pair doorbell android",
    "roaming europe",
    "upgrade unlimited 5G",
    "order shipped",
    "late fee gold",
    "set-top box E410",
    "activate esim pixel",
    "autopay",
    "payment arrangement over $500",
    "voicemail",
    "travel pass caribbean",
    "cancel fiber",
    "scam texts",
    "slow wi-fi 2.4 GHz",
    "trade in iphone",
    "invoice copy email",
    '"unbalanced quote',
    "refund*",
]
WRITTEN = [
    "Hi, I was charged twice this month: two payments of $42.50 on 3 March. Can you fix that?",
    "my internet keeps dropping every evening since tuesday, the router lights blink orange",
    "I can't log in to the app, the reset email never arrives",
    "Hello, my doorbell camera won't pair with my phone, it says it belongs to another account",
    "Where is my order? It said shipped a week ago and nothing came",
    "I want to add a line for my daughter to my family plan",
]
QUERIES = TYPED + [query_from_message(text) for text in WRITTEN]


async def _interleaved(
    app: FastAPI, path: Path, searches: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Each query searched bare, then through the route, one after the other, so both meet the same machine; wall
    and this thread's CPU time of each (the route runs on this thread: an async route, SQLite called inline)."""
    bare: list[float] = []
    route: list[float] = []
    bare_cpu: list[float] = []
    route_cpu: list[float] = []
    connection = sqlite3.connect(path)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://crm", headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}
    ) as client:
        try:
            for n in range(searches + WARM_UP):
                query = QUERIES[n % len(QUERIES)]
                started, cpu = time.perf_counter(), time.thread_time()
                knowledge_store.ranked_rows(connection, knowledge_store.terms(query), 10)  # the route's own SQL
                bare_ms, bare_cpu_ms = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
                started, cpu = time.perf_counter(), time.thread_time()
                answer = await client.get("/v1/knowledge/search", params={"q": query, "limit": 10})
                route_ms, route_cpu_ms = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
                if answer.status_code != 200:
                    raise RuntimeError(f"search {query!r}: {answer.status_code} {answer.text[:200]}")
                if n >= WARM_UP:  # the first ones warm the page cache and the app
                    bare.append(bare_ms)
                    route.append(route_ms)
                    bare_cpu.append(bare_cpu_ms)
                    route_cpu.append(route_cpu_ms)
        finally:
            connection.close()
    return bare, route, bare_cpu, route_cpu


def measure(searches: int) -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-knowledge-") as folder:
        data = Path(folder)
        db = sqlite_utils.Database(data / "crm.db")
        knowledge_store.create_tables(db)
        knowledge_store.insert_articles(db, knowledge_seed.articles(7, count=ARTICLES))
        db.close()
        app = create_app(MockSettings(data_dir=data, seed=7, customers=50, simulator=False, fresh=False))
        reference, route, reference_cpu, route_cpu = asyncio.run(_interleaved(app, data / "crm.db", searches))
        bare = timing("knowledge_search_10k_bare_fts5", reference, "reference", unit="ms")
        figure = timing("knowledge_search_10k_articles", route, "p99 <= 20 ms", unit="ms")
        for one, cpu in ((bare, reference_cpu), (figure, route_cpu)):
            one["cpu_p50"], one["cpu_p99"] = (timing("cpu", cpu, "", unit="ms")[key] for key in ("p50", "p99"))
        figure["vs_bare_p50"] = round(figure["p50"] / bare["p50"], 2) if bare["p50"] else None
        figure["vs_bare_p99"] = round(figure["p99"] / bare["p99"], 2) if bare["p99"] else None
        yield bare
        yield figure


def run() -> Iterator[dict[str, Any]]:
    yield from measure(int(os.environ.get("BENCH_KNOWLEDGE_SEARCHES", 600)))


if __name__ == "__main__":
    for line in run():
        print(json.dumps(line), flush=True)
