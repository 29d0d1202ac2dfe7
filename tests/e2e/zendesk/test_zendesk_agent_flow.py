"""The agent flow by keyboard with the CRM on the Zendesk backend, against the Zendesk-shaped mock over the
same seeded data: the card popped from Zendesk (its tickets as cases, no Orders or Account tab: Zendesk has
neither), accept, hold and resume, a wrap-up saved and written once as a private comment; a second caller
popped from Zendesk, accepted and transferred blind to the Sales queue; then a chat answered and wrapped
up, its conversation in the comment. The mock HTTP CRM runs the same flow in tests/e2e/desk/test_agent_flow.py
(and the blind transfer in tests/e2e/desk/test_routing_desktop.py).
"""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.app.demo import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.models import Interaction
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop.ui.textual_compat import notifications
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import agent_screen, desk_app_of, in_front
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    customer_text,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


def tab_labels(pilot: Pilot[None]) -> list[str]:
    return [tab.title for tab in pilot.app.screen.query_one("#customer-tabs", CardTabs).tabs.values()]


def transcript(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


async def written_for(zendesk: ZendeskCrm, customer_id: str, contact_id: str) -> list[Interaction]:
    return [i for i in await zendesk.list_interactions(customer_id) if i.contact_id == contact_id]


async def wait_written_once(pilot: Pilot[None], zendesk: ZendeskCrm, customer_id: str, contact_id: str) -> Interaction:
    found: list[Interaction] = []

    async def poll() -> bool:
        found[:] = await written_for(zendesk, customer_id, contact_id)
        return bool(found)

    for _ in range(100):
        if await poll():
            break
        await pilot.pause(0.1)
    await pilot.pause(0.5)  # a second write, had there been one, would have landed by now
    again = await written_for(zendesk, customer_id, contact_id)
    assert len(again) == 1, [i.id for i in again]
    return again[0]


async def test_the_agent_flow_with_the_crm_on_zendesk(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20, zendesk=True) as servers:
        assert servers.zendesk_url is not None
        zendesk = ZendeskCrm(servers.zendesk_url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN)
        try:
            async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
                assert type(of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.crm).__name__ == "ZendeskCrm"
                await go_available(pilot)
                caller = await receive_offer(pilot, servers)  # popped by "(512) 555-0100"-style digits
                labels = tab_labels(pilot)
                assert [label.split()[-1] for label in labels] == ["Cases", "History", "Profile"], labels
                user = (await zendesk.lookup(caller.phone_e164)).customers[0]

                await accept(pilot)
                call_id = present(agent_screen(pilot).desk.selected_id)
                await pilot.press("h")
                await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "on hold")
                await pilot.press("h")
                await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "resumed")
                notes = "Refunded the duplicate charge through Zendesk."
                await end_and_fill_wrap_up(pilot, notes)
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
                written = await wait_written_once(pilot, zendesk, user.id, call_id)
                assert notes in (written.notes or "")

                # A second caller, popped from Zendesk and transferred blind to the Sales queue by keyboard.
                second = servers.caller(5)
                transferred = servers.place_call(second.phone_e164, subject="Wants a new plan")
                await wait_until(pilot, lambda: "Wants a new plan" in screen_text(pilot, "#offer"), "the second offer")
                await wait_until(pilot, lambda: second.name in customer_text(pilot), "the second caller popped")
                await accept(pilot)
                await pilot.press("t")
                await wait_until(
                    pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog"
                )
                names = [queue.name for queue in in_front(pilot, TransferDialog).queues]
                await pilot.press("1", "b", *["down"] * names.index("Sales"), "enter")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the dialog closed")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the call gone from my hands")
                waiting = httpx.get(
                    f"{servers.ccaas_url}/v1/queues/sales/waiting", headers=SUPERVISOR, timeout=5
                ).json()
                moved = next(c for c in waiting if c["id"] == transferred["id"])
                assert "queue:sales" in moved["transfer_path"]
                assert moved["state"] in ("queued", "offered")

                # A chat from the same customer, answered and wrapped up: its conversation goes in the comment.
                servers.place_call(caller.email, channel="chat", subject="Chat via Zendesk")
                await wait_until(pilot, lambda: "Chat via Zendesk" in screen_text(pilot, "#offer"), "the chat offer")
                await wait_until(pilot, lambda: caller.name in customer_text(pilot), "popped by email")
                await accept(pilot)
                chat_id = present(agent_screen(pilot).desk.selected_id)
                await pilot.press("i", *"Hello from the desk", "enter")
                await wait_until(pilot, lambda: "Hello from the desk" in transcript(pilot), "the reply sent")
                await pilot.press("escape")
                await end_and_fill_wrap_up(pilot, "Answered in chat.")
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the chat's wrap-up saved")
                chat = await wait_written_once(pilot, zendesk, user.id, chat_id)
                assert "Answered in chat." in (chat.notes or "")
                assert "Hello from the desk" in (chat.notes or "")
                assert not [n for n in notifications(pilot.app) if n.severity == "error"]
        finally:
            await zendesk.aclose()
