"""Callback an agent owns, end to end on the real mock servers: on a call in hand the agent presses b,
types a time a few seconds ahead and a note, wraps the call up and goes available; when the time comes the
contact center offers the callback to the same agent, whose desk shows it, and its record reads "offered"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.ui.agent.callbacks.callback_dialog import CallbackDialog
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until

AGENT = {"Authorization": "Bearer demo-agent-token"}
CALLER = "+12125550123"

LEAD_S = 45  # the callback is due this long after it is scheduled: longer than the steps before it


async def test_a_scheduled_callback_comes_due_and_is_offered_to_the_same_agent(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = servers.place_call(CALLER, subject="Refund call")
            await wait_until(pilot, lambda: shown_phone(CALLER) in screen_text(pilot, "#offer"), "the offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: contact["id"] in agent_screen(pilot).desk.held, "the call in hand")

            await pilot.press("b")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CallbackDialog), "the dialog")
            # the steps to the wrap-up saved took 17 s in a loaded clean-clone run: a lead of 45 s
            due = (datetime.now(UTC) + timedelta(seconds=LEAD_S)).replace(microsecond=0)
            await pilot.press("ctrl+a", "ctrl+k", *due.date().isoformat(), "tab")
            await pilot.press("ctrl+a", "ctrl+k", *f"{due:%H:%M:%S}", "tab")
            await pilot.press("ctrl+a", "ctrl+k", *"UTC", "tab", *"Refund status", "enter")
            await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CallbackDialog), "scheduled")

            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the call completed")
            assert datetime.now(UTC) < due, "the steps took longer than the callback's lead"
            await pilot.press("v")
            await wait_until(pilot, lambda: "Available" in screen_text(pilot, "#agent-status"), "available")
            assert "Refund status" not in screen_text(pilot, "#offer"), "not before its time"
            await wait_until(
                pilot, lambda: "Refund status" in screen_text(pilot, "#offer"), "the callback", LEAD_S + 10
            )
            assert datetime.now(UTC) >= due

        callbacks = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/callbacks", headers=AGENT, timeout=5).json()
        assert [(c["state"], c["note"], c["number"], c["time_zone"]) for c in callbacks] == [
            ("offered", "Refund status", CALLER, "UTC")
        ]
        offers = httpx.get(f"{servers.ccaas_url}/v1/agents/agent-001/offers", headers=AGENT, timeout=5).json()
        assert [o["contact"]["id"] for o in offers] == [callbacks[0]["callback_contact_id"]]
        assert offers[0]["contact"]["callback"]["number"] == CALLER
