"""Every token the mock CCaaS accepts is in docs/mock-apis.md, and each documented token works."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN

DOCS = Path(__file__).resolve().parents[3] / "docs" / "mock-apis.md"


def test_every_agent_token_is_documented_and_works(ccaas_url: str) -> None:
    documented = dict(re.findall(r"\| `([\w-]+-token)` \| `(agent-\d{3})`", DOCS.read_text(encoding="utf-8")))
    agents = httpx.get(
        f"{ccaas_url}/v1/supervisor/agents", headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
    ).json()
    ids = {row["agent"]["id"] for row in agents}
    assert set(documented.values()) == ids
    for token, agent_id in documented.items():
        response = httpx.get(
            f"{ccaas_url}/v1/agents/{agent_id}", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert response.status_code == 200, (token, response.text)
