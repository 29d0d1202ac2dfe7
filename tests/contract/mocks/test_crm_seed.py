"""The CRM's seeded data: deterministic, fast, and matching the simulated callers."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app
from agent_desktop_mocks.demo_people import callers

AUTH = {"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}
FROZEN = datetime(2030, 3, 4, 15, 30, tzinfo=UTC)


def _settings(tmp_path: Path, name: str, **changes: Any) -> MockSettings:
    values = {"data_dir": tmp_path / name, "seed": 11, "customers": 40, "simulator": False, "fresh": True}
    return MockSettings(**(values | changes))


def _records(url: str, count: int) -> list[dict[str, Any]]:
    with httpx.Client(base_url=url, headers=AUTH, timeout=10) as client:
        return [client.get(f"/v1/customers/cus-{n:06d}/record").json() for n in range(1, count + 1)]


def test_the_same_seed_gives_the_same_customers(tmp_path: Path) -> None:
    apps = [
        create_app(_settings(tmp_path, "a", frozen_time=FROZEN)),
        create_app(_settings(tmp_path, "b", frozen_time=FROZEN)),
        create_app(_settings(tmp_path, "c", seed=12, frozen_time=FROZEN)),
    ]
    running = serve_in_thread(apps)
    try:
        first, second, other = (_records(url, 40) for url in running.urls)
    finally:
        running.stop()
    assert first == second
    assert [r["customer"]["name"] for r in first] == [c.name for c in callers(11, 40)]
    assert [r["customer"]["name"] for r in other] != [r["customer"]["name"] for r in first]
    # history is dated relative to the (frozen) clock: the last 180 days
    times = [i["created_at"] for r in first for i in r["interactions"]]
    assert times
    assert max(times) < "2030-03-04T15:30"
    assert min(times) > "2029-09-05"


@pytest.mark.timing
def test_seeding_300_customers_is_quick(tmp_path: Path) -> None:
    started = time.perf_counter()
    create_app(_settings(tmp_path, "quick", customers=300))
    assert time.perf_counter() - started < 1.0


def test_existing_data_is_kept_unless_fresh(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "kept")
    running = serve_in_thread([create_app(settings)])
    try:
        with httpx.Client(base_url=running.urls[0], headers=AUTH) as client:
            created = client.post("/v1/customers", json={"name": "Kept Customer", "phones": [], "emails": []}).json()
    finally:
        running.stop()
    running = serve_in_thread([create_app(settings.model_copy(update={"fresh": False}))])
    try:
        with httpx.Client(base_url=running.urls[0], headers=AUTH) as client:
            assert client.get(f"/v1/customers/{created['id']}").json() == created
    finally:
        running.stop()


def test_callers_scale_to_a_million_with_unique_possible_numbers() -> None:
    import phonenumbers

    from agent_desktop_mocks.demo_people import callers

    small, large = callers(11, 50), callers(11, 1_000_000)
    assert list(small) == list(large[:50]), "caller i is the same whatever the size"
    sample = [large[i] for i in range(0, 1_000_000, 997)] + [large[79_199], large[79_200], large[999_999]]
    phones = [c.phone_e164 for c in sample]
    assert len(set(phones)) == len(phones)
    assert len({c.email for c in sample}) == len(sample)
    assert all(phonenumbers.is_possible_number(phonenumbers.parse(p)) for p in phones)
    assert not any(p[5:12] in {f"555{n:04d}" for n in range(100)} for p in phones), "555-00xx is for unknown callers"


@pytest.mark.timing
def test_seeding_is_bulk_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    app = create_app(_settings(tmp_path, "bulk", customers=5_000))
    elapsed = time.perf_counter() - started
    db = app.state.crm.db
    assert db.execute("select count(*) from customers").fetchone()[0] == 5_000
    assert db.execute("select count(*) from accounts").fetchone()[0] == 5_000
    plan = db.execute(
        "explain query plan select customer_id from customer_phones where e164 = ?", ["+12125550100"]
    ).fetchall()
    assert "USING INDEX" in str(plan) or "USING COVERING INDEX" in str(plan)
    assert elapsed < 30, elapsed  # generous: ~1 s on an idle machine
