"""SLA clocks on the real mock servers: the contact center's response target for the queue's chats (set
short by its supervisor API, as an administrator would), the clock counting down in the agent's contact list, "Reply
now" once past it and the contact center counting the breach in the queue's figures; the agent's answer stops the
clock and the breach leaves the count. The desk's clock and the contact center's run on the same wall clock."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.agent.contacts.contact_list import ContactList
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until

SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
FIRST_REPLY_S = 6


def billing_breaches(ccaas_url: str) -> int:
    stats = httpx.get(f"{ccaas_url}/v1/queues/stats", headers=SUPERVISOR, timeout=5).json()
    answer: int = next(queue["sla_breaches"] for queue in stats if queue["queue_id"] == "billing")
    return answer


def state_of(pilot: Pilot[None], contact_id: str) -> str:
    answer: str = pilot.app.screen.query_one("#contacts", ContactList).get_cell(contact_id, "state").plain
    return answer


async def test_a_chats_first_reply_clock_runs_out_is_counted_late_and_stops_when_answered(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        servers.as_supervisor(
            "PATCH",
            "/v1/queues/billing",
            {
                "response_targets": {
                    "chat": {
                        "first_response_s": FIRST_REPLY_S,
                        "next_response_s": 60,
                    }
                }
            },
        )
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = servers.caller(3)
            contact = servers.place_call(caller.email, channel="chat", subject="Late reply")
            await wait_until(pilot, lambda: "Late reply" in screen_text(pilot, "#offer"), "the chat offered")
            await pilot.press("a")
            desk = agent_screen(pilot).desk
            await wait_until(pilot, lambda: contact["id"] in desk.held, "the chat in hand")
            await pilot.press("escape")  # out of the composer the accept put us in: nothing typed, nothing sent
            await wait_until(pilot, lambda: state_of(pilot, contact["id"]) == "Reply now", "past the target", 20)
            await wait_until(pilot, lambda: billing_breaches(servers.ccaas_url) == 1, "counted late by the center")

            await pilot.press("i", *"Sorry for the wait, looking now.", "enter", "escape")
            await wait_until(
                pilot, lambda: not state_of(pilot, contact["id"]).startswith("Reply"), "the clock stopped", 20
            )
            await wait_until(pilot, lambda: billing_breaches(servers.ccaas_url) == 0, "no longer late", 20)
