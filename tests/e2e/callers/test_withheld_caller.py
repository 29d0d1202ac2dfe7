"""A withheld caller ID loses nothing, through the real servers: the screen pop says
"Caller withheld" without a lookup; the agent finds the customer (f) and the interaction lands on them, or
writes it unattributed; a write the CRM refuses is said in words and fixed from the outbox view (o)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import OptionList

from agent_desktop.ui.agent.callers.customer_search import CustomerSearch
from agent_desktop.ui.agent.outbox.outbox_view import OutboxView
from agent_desktop.ui.textual_compat import notifications
from tests.support.scenes.pilot_steps import agent_screen, in_front
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    accept,
    customer_text,
    end_and_fill_wrap_up,
    go_available,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

CRM = {"Authorization": "Bearer demo-crm-token"}


def outbox_line(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#outbox-status")


def unattributed(servers: SceneServers) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(
        f"{servers.crm_url}/v1/interactions", params={"unattributed": "true"}, headers=CRM
    ).json()
    return answer


def interactions_of(servers: SceneServers, customer_id: str) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(
        f"{servers.crm_url}/v1/customers/{customer_id}/interactions", headers=CRM
    ).json()
    return answer


async def search_and_pick(pilot: Pilot[None], query: str, customer_id: str) -> None:
    """In the customer search dialog: type, search, move to the customer wanted, pick."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerSearch), "the customer search")
    await pilot.press(*query, "enter")
    results = pilot.app.screen.query_one("#search-results", OptionList)
    await wait_until(pilot, lambda: results.option_count > 0, f"matches for {query!r}")
    ids = [customer.id for customer in in_front(pilot, CustomerSearch).found]
    await pilot.press("tab", *["down"] * ids.index(customer_id), "enter")


async def test_a_withheld_caller_wrapped_up_with_no_customer_is_one_unattributed_interaction(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("anonymous", subject="Will not say who I am")
            await wait_until(pilot, lambda: "Caller withheld" in customer_text(pilot), "the withheld card")
            assert "Caller withheld" in screen_text(pilot, "#offer")
            assert "failed" not in customer_text(pilot), "no lookup the CRM would refuse"
            await accept(pilot)
            contact_id = agent_screen(pilot).desk.selected_id
            await end_and_fill_wrap_up(pilot, "Asked about opening hours.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "1 sent" in outbox_line(pilot), "the CRM write")
            assert "0 failed" in outbox_line(pilot)
        assert [(i["contact_id"], i["customer_id"], i["notes"]) for i in unattributed(servers)] == [
            (contact_id, None, "Asked about opening hours.")
        ]
        found = httpx.get(f"{servers.crm_url}/v1/customers/search", params={"q": "anonymous"}, headers=CRM).json()
        assert found == [], "no customer was made up for the withheld number"


async def test_a_withheld_caller_found_by_name_gets_the_interaction(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        caller = servers.caller(4)
        customer_id = f"cus-{caller.index + 1:06d}"
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("withheld", subject="Question about my bill")
            await wait_until(pilot, lambda: "Caller withheld" in customer_text(pilot), "the withheld card")
            await accept(pilot)
            contact_id = agent_screen(pilot).desk.selected_id
            await pilot.press("f")  # the caller gives their name
            await search_and_pick(pilot, caller.name.lower(), customer_id)
            await wait_until(pilot, lambda: caller.name in customer_text(pilot), "the customer found, on the card")
            await end_and_fill_wrap_up(pilot, "Identified by name and date of birth.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "1 sent" in outbox_line(pilot), "the CRM write")
        mine = [i for i in interactions_of(servers, customer_id) if i["contact_id"] == contact_id]
        assert [i["notes"] for i in mine] == ["Identified by name and date of birth."]
        assert unattributed(servers) == []


async def test_a_refused_write_is_said_in_words_and_fixed_from_the_outbox_view(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        caller = servers.caller(6)
        customer_id = f"cus-{caller.index + 1:06d}"
        account = httpx.get(f"{servers.crm_url}/v1/customers/{customer_id}", headers=CRM).json()["account_number"]
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            # An internal extension: not withheld, but no number the CRM can read (its lookup answers 422),
            # so the write-back's "find or create the caller" is refused.
            servers.place_call("1001", subject="Transferred from the front desk")
            await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer")
            await accept(pilot)
            contact_id = agent_screen(pilot).desk.selected_id
            await end_and_fill_wrap_up(pilot, "Wanted a copy of the contract.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "failed" in outbox_line(pilot), "the refusal")
            assert "refused — o fixes" in outbox_line(pilot)

            def refusals() -> list[str]:
                return [n.message for n in notifications(pilot.app) if n.title == "CRM write refused"]

            await wait_until(pilot, lambda: bool(refusals()), "the refusal said in words")
            assert "The CRM refused interaction" in refusals()[-1]
            assert "Press o to fix it" in refusals()[-1]

            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, OutboxView), "the outbox view")
            await pilot.pause(0.1)
            detail = screen_text(pilot, "#outbox-detail")
            assert "The CRM refused it" in detail, detail
            assert "f attaches it to a customer" in detail, detail
            await pilot.press("f")
            await search_and_pick(pilot, account, customer_id)
            await wait_until(pilot, lambda: "1 sent" in outbox_line(pilot), "the fixed write sent")
            assert "0 failed" in outbox_line(pilot)
        mine = [i for i in interactions_of(servers, customer_id) if i["contact_id"] == contact_id]
        assert [i["notes"] for i in mine] == ["Wanted a copy of the contract."], "stored once, on the customer found"
