"""The agent's side of routing, keyboard only, against the real mock CCaaS on loopback.

Each test checks what the agent sees and what the contact center holds over HTTP:
next state, hold/resume, several chats at once, blind and consult transfers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import httpx
from textual.pilot import Pilot

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.textual_compat import notifications
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen, back_to_contacts, in_front
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    customer_text,
    go_available,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}


def ccaas_get(servers: SceneServers, path: str, headers: dict[str, str] = AGENT) -> Any:  # the JSON answer
    response = httpx.get(f"{servers.ccaas_url}{path}", headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


def my_contacts(servers: SceneServers) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in ccaas_get(servers, "/v1/agents/agent-001/contacts")}


def status(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#agent-status")


def detail(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#contact-detail")


def footer_keys(pilot: Pilot[None]) -> dict[str, str]:
    """Keys the footer offers now (enabled), with their labels."""
    return {
        binding.key: binding.description
        for (_, binding, enabled, _) in pilot.app.screen.active_bindings.values()
        if enabled and binding.show
    }


async def take_a_call(
    pilot: Pilot[None], servers: SceneServers, address: str, channel: str = "voice", subject: str = ""
) -> dict[str, Any]:
    contact = servers.place_call(address, channel=channel, subject=subject or f"About {address}")
    await wait_until(pilot, lambda: shown_phone(contact["from_address"]) in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(
        pilot,
        lambda: contact["id"] in agent_screen(pilot).desk.held and "s left" not in screen_text(pilot, "#offer"),
        "the contact in hand",
    )
    if channel != "voice":
        await back_to_contacts(pilot)
    return contact


async def choose_reason(pilot: Pilot[None], reason: str) -> None:
    """In the reason picker: move down to `reason` and choose it."""
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reason picker")
    reasons = in_front(pilot, ReasonPicker).reasons
    await pilot.press(*["down"] * reasons.index(reason), "enter")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the picker to close")


class MockTime(TypedDict):
    """The mock's timers (scene_servers' options of the same names)."""

    time_scale: float
    offer_timeout_s: float


# Consult legs ring 1-3 s of the mock's time: 0.25-0.75 s at 4x; offers keep 20 s of real time.
CONSULT_TIME: MockTime = {"time_scale": 4.0, "offer_timeout_s": 80.0}


async def test_next_state_is_requested_on_a_contact_shown_cleared_and_applied_at_the_end(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await take_a_call(pilot, servers, "+12125550101")
            assert footer_keys(pilot)["n"] == "Next state", "on a contact, n asks for the next state"

            await pilot.press("n")
            await choose_reason(pilot, "Lunch")
            await wait_until(pilot, lambda: "next: Not ready — Lunch" in status(pilot), "the next state shown")
            agent = ccaas_get(servers, "/v1/agents/agent-001")
            assert agent["next_state"] == {"state": "not_ready", "reason": "Lunch"}
            assert agent["state"] == "busy"

            # v (Available) on a contact drops the request: more contacts are welcome.
            assert footer_keys(pilot)["v"] == "Available"
            await pilot.press("v")
            await wait_until(pilot, lambda: "next:" not in status(pilot), "the next state cleared")
            assert ccaas_get(servers, "/v1/agents/agent-001")["next_state"] is None

            await pilot.press("n")
            await choose_reason(pilot, "Training")
            await wait_until(pilot, lambda: "next: Not ready — Training" in status(pilot), "the next state shown")
            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact completed")
            await wait_until(pilot, lambda: "● Not ready — Training" in status(pilot), "Not ready once done")
            assert "next:" not in status(pilot)
        agent = ccaas_get(servers, "/v1/agents/agent-001")
        assert (agent["state"], agent["reason"], agent["next_state"]) == ("not_ready", "Training", None)


async def test_hold_and_resume_show_the_hold_time(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await take_a_call(pilot, servers, "+12125550102")
            assert footer_keys(pilot)["h"] == "Hold"
            palette = set(palette_titles(pilot.app))
            assert {"Hold", "Transfer", "Next state", "End"} <= palette
            assert not {"Resume", "Complete transfer", "Cancel consult", "Switch"} & palette, "only what applies"

            await pilot.press("h")
            await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "on hold")
            assert my_contacts(servers)[contact["id"]]["state"] == "on_hold"
            assert footer_keys(pilot)["h"] == "Resume"
            await wait_until(pilot, lambda: "On hold 0:01" in screen_text(pilot, "#contacts"), "the hold time ticking")
            assert "On hold 00:0" in detail(pilot)

            await pilot.press("h")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "resumed")
            held = my_contacts(servers)[contact["id"]]
            assert held["state"] == "connected"
            assert held["hold_s"] >= 1.0
            assert "held 00:0" in detail(pilot)


async def test_several_chats_at_once_switch_and_act_on_the_selected_one(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        first_caller, second_caller = servers.caller(1), servers.caller(2)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            first = await take_a_call(pilot, servers, first_caller.phone_e164, channel="chat")
            # A second chat is offered while the first is in hand (capacity: three chats).
            second = await take_a_call(pilot, servers, second_caller.phone_e164, channel="chat")
            screen = agent_screen(pilot)
            assert set(screen.desk.held) == {first["id"], second["id"]}
            assert screen.desk.selected_id == second["id"], "the contact just accepted is selected"
            await wait_until(pilot, lambda: second_caller.name in customer_text(pilot), "the second caller's card")
            rows = screen_text(pilot, "#contacts").splitlines()
            assert rows[1].startswith("▶"), "the selection is marked"
            assert not rows[0].startswith("▶"), "the selection is marked"

            await pilot.press("right_square_bracket")
            await wait_until(pilot, lambda: first_caller.name in customer_text(pilot), "the first caller's card")
            assert screen.desk.selected_id == first["id"]
            assert shown_phone(first["from_address"]) in detail(pilot)

            await pilot.press("h")  # acts on the selected chat only
            await wait_until(
                pilot, lambda: my_contacts(servers)[first["id"]]["state"] == "on_hold", "hold in the CCaaS"
            )
            assert my_contacts(servers)[second["id"]]["state"] == "connected"

            await pilot.press("left_square_bracket", "e")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "a question")
            await pilot.press("ctrl+e")  # the customer wrote last: end it anyway
            await wait_until(
                pilot, lambda: my_contacts(servers)[second["id"]]["state"] == "after_contact_work", "the second ended"
            )
            assert my_contacts(servers)[first["id"]]["state"] == "on_hold"


async def test_blind_transfer_to_a_queue(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")
            contact = await take_a_call(pilot, servers, "+12125550103")
            await pilot.press("t")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
            dialog = in_front(pilot, TransferDialog)
            names = [q.name for q in dialog.queues]
            await pilot.press("1", "b", *["down"] * names.index("Sales"), "enter")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the dialog closed")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact gone from my hands")
        moved = next(c for c in ccaas_get(servers, "/v1/queues/sales/waiting", SUPERVISOR) if c["id"] == contact["id"])
        assert moved["queue_id"] == "sales"
        assert moved["state"] in ("queued", "offered")
        assert "queue:sales" in moved["transfer_path"]


async def test_consult_an_expert_then_complete_the_transfer(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20, **CONSULT_TIME) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await take_a_call(pilot, servers, "+12125550104")
            await pilot.press("t")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
            await pilot.press("3", "c")
            dialog = in_front(pilot, TransferDialog)
            target = dialog.chosen_target()
            assert target is not None
            assert target.kind == "address"
            first = dialog.experts[0]
            assert first.presence.availability.is_free, "free experts are listed first"
            await pilot.press("enter")

            await wait_until(pilot, lambda: f"Consult → {target.label}" in detail(pilot), "the consult leg")
            # The row says the consult leg's state: "Consulting" while it rings, "In consult" once the expert
            # answers (on a loaded machine the answer may already have come by now).
            row = screen_text(pilot, "#contacts")
            assert "Consulting" in row or "In consult" in row, row
            await wait_until(pilot, lambda: "connected" in detail(pilot), "the consult answered", timeout_s=15)
            assert "In consult" in screen_text(pilot, "#contacts")
            held = my_contacts(servers)[contact["id"]]
            assert held["consult"]["state"] == "connected"
            assert held["state"] == "on_hold"
            assert footer_keys(pilot)["k"] == "Complete transfer"

            await pilot.press("k")
            # The call left the contact center for the expert's address: the agent wraps up.
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        done = my_contacts(servers)[contact["id"]]
        assert done["state"] == "after_contact_work"
        assert done["consult"] is None
        assert f"address:{target.id}" in done["transfer_path"]


async def test_consult_an_agent_then_cancel_returns_to_the_customer(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20, **CONSULT_TIME) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await take_a_call(pilot, servers, "+12125550105")
            # A colleague comes online once the call is in the demo agent's hands.
            httpx.put(
                f"{servers.ccaas_url}/v1/agents/agent-003/state",
                json={"state": "available"},
                headers=SUPERVISOR,
                timeout=5,
            ).raise_for_status()
            await pilot.press("t")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
            await pilot.press("c", "2", "f", *"agent-003", "enter")  # f: filter the agents (here by id)
            await wait_until(
                pilot, lambda: "Consult →" in detail(pilot) and "(agent)" in detail(pilot), "the consult leg"
            )
            await wait_until(
                pilot, lambda: "connected" in detail(pilot) or "failed" in detail(pilot), "the leg answered"
            )
            assert footer_keys(pilot)["x"] == "Cancel consult"
            await pilot.press("x")
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "back with the customer")
            assert "Consult" not in detail(pilot)
        back = my_contacts(servers)[contact["id"]]
        assert back["state"] == "connected"
        assert back["consult"] is None
        assert back["agent_id"] == "agent-001"


async def test_after_rejecting_an_offer_on_a_chat_v_makes_the_agent_routable_again(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await take_a_call(pilot, servers, "chat-one@example.com", channel="chat")
            second = servers.place_call("chat-two@example.com", channel="chat", subject="Second chat")
            await wait_until(pilot, lambda: "Second chat" in screen_text(pilot, "#offer"), "the second offer")
            await pilot.press("r")
            await wait_until(pilot, lambda: "s left" not in screen_text(pilot, "#offer"), "the offer gone")
            await wait_until(
                pilot, lambda: any("press v" in n.message for n in notifications(pilot.app)), "the hint to press v"
            )
            # Missed with a chat in hand: the rejected chat waits in its queue, not offered again.
            await pilot.pause(0.5)
            assert "Second chat" not in screen_text(pilot, "#offer")
            await pilot.press("v")
            # Routable again; the rejected chat is tried on other agents first, so a new one is offered now.
            servers.place_call("chat-three@example.com", channel="chat", subject="Third chat")
            await wait_until(pilot, lambda: "Third chat" in screen_text(pilot, "#offer"), "offered again after v")
            assert present(agent_screen(pilot).desk.offer).contact.id != second["id"]
