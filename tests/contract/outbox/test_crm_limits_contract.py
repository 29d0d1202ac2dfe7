"""The CRM's limits as the desktop declares them (agent_desktop/domain/customers/crm_limits.py) are those the mock CRM
serves at `GET /v1/limits` and enforces: a wrap-up fitted to them is taken, one byte or line over is not."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS
from agent_desktop.domain.protocols import Crm

AUTH = {"Authorization": "Bearer demo-crm-token"}


async def test_the_declared_limits_are_the_ones_the_crm_serves_and_enforces(crm_url: str) -> None:
    crm = HttpCrm(crm_url, "demo-crm-token")
    assert isinstance(crm, Crm)
    assert crm.limits == MOCK_CRM_LIMITS
    served = httpx.get(f"{crm_url}/v1/limits", headers=AUTH, timeout=5).json()
    assert served == dataclasses.asdict(MOCK_CRM_LIMITS)

    line = {"role": "customer", "name": "n" * MOCK_CRM_LIMITS.max_name_chars, "at": "2026-11-20T14:00:00Z"}
    body: dict[str, Any] = {
        "contact_id": "c-limits",
        "channel": "chat",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "disposition": "Resolved",
        "notes": "n" * MOCK_CRM_LIMITS.max_notes_chars,
        "transcript": [{**line, "text": "t" * MOCK_CRM_LIMITS.max_item_chars}],
        "private_notes": ["p" * MOCK_CRM_LIMITS.max_private_note_chars] * MOCK_CRM_LIMITS.max_private_notes,
    }
    with httpx.Client(base_url=crm_url, headers=AUTH, timeout=10) as client:

        def write(key: str, changes: dict[str, Any]) -> int:
            answer = client.post("/v1/interactions", json={**body, **changes}, headers={"Idempotency-Key": key})
            return answer.status_code

        assert write("at-every-limit", {}) == 201
        assert write("note-over", {"notes": body["notes"] + "n"}) == 422
        assert write("line-over", {"transcript": [{**line, "text": "t" * (MOCK_CRM_LIMITS.max_item_chars + 1)}]}) == 422
        short = {**line, "name": "n", "text": "t"}
        assert write("lines-over", {"transcript": [short] * (MOCK_CRM_LIMITS.max_transcript_items + 1)}) == 422
        big = [{**line, "text": "t" * 19_000}] * 60  # each line within its limit, the body over 1 MiB
        assert write("body-over", {"transcript": big}) == 413
    await crm.aclose()
