"""The screen pop by keys against the real servers: tabs, several matches and the picker, the new-caller
form, opening and linking cases, the outbox view."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from agent_desktop.ui.agent.callers.customer_picker import CustomerPicker
from agent_desktop.ui.agent.outbox.outbox_view import OutboxView
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    card_text,
    customer_text,
    end_and_fill_wrap_up,
    go_available,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

AUTH = {"Authorization": "Bearer demo-crm-token"}


def outbox_sent(pilot: Pilot[None], count: int) -> bool:
    return f"{count} sent" in screen_text(pilot, "#outbox-status") and "0 pending" in screen_text(
        pilot, "#outbox-status"
    )


async def test_several_matches_are_picked_with_p_and_the_wrap_up_goes_to_the_chosen_one(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        crm = httpx.Client(base_url=servers.crm_url, headers=AUTH, timeout=10)
        twins = [
            crm.post("/v1/customers", json={"name": name, "phones": ["(808) 555-0079"], "emails": []}).json()
            for name in ("Sam Shared-Line", "Alex Shared-Line")
        ]
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+1 808-555-0079")
            await wait_until(pilot, lambda: "2 customers match this phone" in customer_text(pilot), "the choice")
            assert "Sam Shared-Line" in customer_text(pilot)
            assert "Alex Shared-Line" in customer_text(pilot)
            await accept(pilot)
            await end_and_fill_wrap_up(pilot, "Which of you was it?")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "p picks one first" in screen_text(pilot, "#wrap-up-status"), "a refusal")

            await pilot.press("escape", "p")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerPicker), "the picker")
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: "Alex Shared-Line" in customer_text(pilot), "the chosen record")
            assert "✓ matched" in customer_text(pilot)
            assert "Sam Shared-Line" not in customer_text(pilot)

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")
            await wait_until(pilot, lambda: outbox_sent(pilot, 1), "the write to be sent")
        stored = [crm.get(f"/v1/customers/{t['id']}/interactions").json() for t in twins]
        assert [len(s) for s in stored] == [0, 1]
        assert stored[1][0]["notes"] == "Which of you was it?"


async def test_a_new_caller_is_created_from_the_card_and_the_wrap_up_lands_on_them(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        crm = httpx.Client(base_url=servers.crm_url, headers=AUTH, timeout=10)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+1 212 555 0044")
            await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new-caller card")
            await accept(pilot)
            await pilot.press("p")
            await pilot.press(*"Ada Lovelace", "tab", "e", "n", "enter")
            await wait_until(pilot, lambda: "Ada Lovelace" in customer_text(pilot), "the created customer's card")
            assert "EN" in customer_text(pilot)
            assert "✓" not in customer_text(pilot)
            await end_and_fill_wrap_up(pilot, "Opened an account.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: outbox_sent(pilot, 1), "the write to be sent")
        found = crm.get("/v1/customers/lookup", params={"address": "2125550044"}).json()["customers"]
        assert [c["name"] for c in found] == ["Ada Lovelace"], "one customer, the one the agent typed"
        assert [i["notes"] for i in crm.get(f"/v1/customers/{found[0]['id']}/interactions").json()] == [
            "Opened an account."
        ]


async def test_cases_are_opened_and_linked_from_the_contact_once_and_tabs_switch_by_number(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=40) as servers:
        crm = httpx.Client(base_url=servers.crm_url, headers=AUTH, timeout=10)
        index = next(
            i
            for i in range(40)
            if any(c["status"] == "open" for c in crm.get(f"/v1/customers/cus-{i + 1:06d}/cases").json())
        )
        customer_id = f"cus-{index + 1:06d}"
        open_case = next(c for c in crm.get(f"/v1/customers/{customer_id}/cases").json() if c["status"] == "open")
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call(servers.caller(index).email)
            await wait_until(pilot, lambda: servers.caller(index).name in customer_text(pilot), "the screen pop")
            tabs = pilot.app.screen.query_one("#customer-tabs", CardTabs)
            assert tabs.active == "cases", "open cases come first"
            assert open_case["id"] in card_text(pilot, "cases")
            for key, pane in (("3", "orders"), ("4", "account"), ("5", "profile"), ("2", "history")):
                await pilot.press(key)

                def pane_in_front(pane: str = pane) -> bool:
                    return tabs.active == pane

                await wait_until(pilot, pane_in_front, pane)
            assert "Balance due" in card_text(pilot, "account")
            await accept(pilot)
            contact_id = agent_screen(pilot).desk.selected_id

            await pilot.press("c")
            await pilot.press("enter")  # "Open a new case from this contact"
            await pilot.press(*"Router reboots nightly", "enter")
            await wait_until(pilot, lambda: outbox_sent(pilot, 1), "the new case to be sent")
            await pilot.press("c")
            await pilot.press("down", "enter")  # the first open case
            await wait_until(pilot, lambda: outbox_sent(pilot, 2), "the link to be sent")

            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, OutboxView), "the outbox view")
            rows = screen_text(pilot, "#outbox-table")
            assert rows.count("sent") == 2
            assert "case create" in rows
            assert "case link" in rows
            await pilot.press("escape")
        cases = crm.get(f"/v1/customers/{customer_id}/cases").json()
        created = [c for c in cases if c["subject"] == "Router reboots nightly"]
        assert len(created) == 1
        assert created[0]["contact_ids"] == [contact_id]
        first_open = next(c for c in cases if c["status"] == "open" and c["subject"] != "Router reboots nightly")
        assert contact_id in first_open["contact_ids"]
