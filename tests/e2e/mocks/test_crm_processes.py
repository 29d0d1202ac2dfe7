"""The CRM served by two processes on one port (runner.serve_processes, as its benchmark runs it):
lookups from many connections all answer, and a write retried on other connections is stored once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from agent_desktop.app.demo import free_port, wait_healthy
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.crm.app import create_app

ROOT = Path(__file__).resolve().parents[3]
HEADERS = {"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}


def test_two_processes_answer_lookups_and_store_a_retried_write_once(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=7, customers=40, simulator=False, fresh=True)
    seeded = create_app(settings)  # seed here: the workers must not inherit an open SQLite connection
    seeded.state.crm.db.conn.close()
    customer_ids = [f"cus-{n:06d}" for n in range(1, 41)]
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.mock_process", "crm", str(tmp_path), str(port), "7", "40"]
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "BENCH_CRM_WORKERS": "2"}, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy([url], server, timeout_s=60)
        workers = [int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
        assert len(workers) == 2

        for customer_id in customer_ids:  # a new connection each time: the kernel spreads them over the processes
            with httpx.Client(base_url=url, headers=HEADERS, timeout=10) as client:
                customer = client.get(f"/v1/customers/{customer_id}").json()
                found = client.get("/v1/customers/lookup", params={"address": customer["phones"][0]}).json()
                assert customer_id in [c["id"] for c in found["customers"]]

        body = {"text": "Asked for paper bills.", "contact_id": "c-000009", "author": "agent-001"}
        answers = []
        for _ in range(6):  # the same write retried, each time on a fresh connection
            with httpx.Client(base_url=url, headers=HEADERS, timeout=10) as client:
                answers.append(
                    client.post("/v1/customers/cus-000003/notes", json=body, headers={"Idempotency-Key": "k-1"})
                )
        assert {a.status_code for a in answers} == {201}
        assert all(a.json() == answers[0].json() for a in answers)
        with httpx.Client(base_url=url, headers=HEADERS, timeout=10) as client:
            notes = client.get("/v1/customers/cus-000003/notes").json()
        assert [n["text"] for n in notes].count(body["text"]) == 1
    finally:
        server.terminate()
        code = server.wait(timeout=30)
    assert code == 0  # the parent stopped its workers and waited for them
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
