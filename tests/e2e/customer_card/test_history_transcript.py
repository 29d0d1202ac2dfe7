"""The CRM's History tab opens a past chat's transcript, against the real servers: enter on a
row marked ☰ shows every message and the private notes, literally; escape closes it."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent_desktop.ui.agent.conversations.transcript_viewer import TranscriptViewer
from tests.support.scenes.scenes import SIZE, card_text, go_available, scene_app, scene_servers, screen_text, wait_until

CRM = {"Authorization": "Bearer demo-crm-token"}
HOSTILE = "[@click=app.quit]refund[/] \x1b[31m ‮RTL‬ 👋"


async def test_enter_on_a_past_chat_opens_its_transcript(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        caller = servers.caller(2)
        customer = httpx.get(
            f"{servers.crm_url}/v1/customers/lookup", params={"phone": caller.phone_e164}, headers=CRM
        ).json()["customers"][0]
        body = {
            "customer_id": customer["id"],
            "contact_id": "c-old",
            "channel": "chat",
            "agent_id": "agent-002",
            "queue_id": "billing",
            "disposition": "Resolved",
            "notes": "Refund issued",
            "transcript": [
                {
                    "role": "customer",
                    "name": caller.name,
                    "text": f"I want my money back {HOSTILE}",
                    "at": "2026-11-01T10:00:00Z",
                },
                {"role": "agent", "name": "Sam", "text": "I have refunded it.", "at": "2026-11-01T10:01:00Z"},
            ],
            "private_notes": ["Second refund this year"],
        }
        headers = {**CRM, "Idempotency-Key": "history-1"}
        httpx.post(f"{servers.crm_url}/v1/interactions", json=body, headers=headers).raise_for_status()
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call(caller.phone_e164)
            await wait_until(pilot, lambda: caller.name in screen_text(pilot, "#customer-summary"), "the screen pop")
            await pilot.press("2")
            await wait_until(pilot, lambda: "☰2" in card_text(pilot, "history"), "the chat in the history")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, TranscriptViewer), "the transcript")
            await pilot.pause(0.1)
            text = screen_text(pilot, "#viewer-text")
            assert "I want my money back [@click=app.quit]refund[/]" in text
            assert "I have refunded it." in text
            assert "Private notes (never sent to the customer)" in text
            assert "Second refund this year" in text
            assert "\x1b" not in pilot.app.export_screenshot()
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(pilot.app.screen, TranscriptViewer), "closed")
            assert pilot.app.is_running
