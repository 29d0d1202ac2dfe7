"""The demo floor makes real conversations: with the simulator on, chats, SMS and emails arrive with their
customers' words, and the simulator's agents write to them and get answers a supervisor can read."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from tests.contract.mocks.test_ccaas_api import client, events, serving


def test_the_simulated_floor_has_conversations_on_every_digital_channel(tmp_path: Path) -> None:
    settings = MockSettings(data_dir=tmp_path, seed=11, customers=60, simulator=True, speed=100, fresh=True)
    with serving(settings) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        channels: dict[str, str] = {}  # channel → a contact that has one
        answered: set[str] = set()  # contacts where a simulated agent wrote and the customer answered
        deadline = time.monotonic() + 40
        with events(supervisor, "/v1/supervisor/events", read_s=5) as stream:
            try:
                for event in stream:
                    if event.event == "contact":
                        contact = event.json()["contact"]
                        if contact["channel"] != "voice":
                            channels.setdefault(contact["channel"], contact["id"])
                    elif event.event == "message":
                        item = event.json()["item"]
                        if item["role"] == "customer" and item["index"] > 1:
                            page = supervisor.get(f"/v1/contacts/{item['contact_id']}/messages").json()
                            if any(i["role"] == "agent" and i["participant_id"] for i in page["items"]):
                                answered.add(item["contact_id"])
                    if (len(channels) == 3 and len(answered) >= 2) or time.monotonic() > deadline:
                        break
            except httpx.ReadTimeout:
                pass
        assert set(channels) == {"chat", "sms", "email"}
        assert len(answered) >= 2
        for channel, contact_id in channels.items():
            items = supervisor.get(f"/v1/contacts/{contact_id}/messages").json()["items"]
            assert items[0]["role"] == "customer", (channel, items)
            assert items[0]["text"], (channel, items)
            if channel == "email":
                assert items[0]["subject"]
                assert [i["role"] for i in items[:3]] == ["customer", "agent", "customer"]
        sample = supervisor.get(f"/v1/contacts/{sorted(answered)[0]}/messages").json()["items"]
        agent_lines = [
            i["text"] for i in sample if i["role"] == "agent" and i["kind"] == "message" and i["participant_id"]
        ]
        assert agent_lines[0].startswith("Hi ")
        assert ", this is " in agent_lines[0]
