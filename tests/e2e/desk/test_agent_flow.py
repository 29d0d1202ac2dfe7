"""The whole agent flow, keyboard only, against the three mock servers on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import Select, TextArea

from agent_desktop.domain.models import ContactEvent, Interaction
from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    card_text,
    customer_text,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)


async def test_offer_screen_pop_accept_wrap_up_and_write_back(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)

            # The offer arrives over the event stream, with a countdown and accept/reject keys,
            # and the caller's card is on screen before the agent answers.
            caller = await receive_offer(pilot, servers)
            offer = screen_text(pilot, "#offer")
            assert "Billing" in offer
            assert " s " in offer
            assert "accept" in offer
            assert "reject" in offer
            assert "✓ matched" in customer_text(pilot)  # the number written "(415) 555-..." matched E.164
            assert card_text(pilot, "history"), "the caller's recent history is shown"
            footer_keys = {
                binding.key for (_, binding, enabled, _) in pilot.app.screen.active_bindings.values() if enabled
            }
            assert {"a", "r"} <= footer_keys

            # Experts with live presence, shown with a word, not colour alone.
            experts = screen_text(pilot, "#expert-table")
            assert "Available" in experts or "Busy" in experts

            await accept(pilot)
            assert "s left" not in screen_text(pilot, "#offer"), "the accepted offer is no longer on offer"
            assert caller.name in customer_text(pilot)

            notes = "Refunded the duplicate charge."
            await end_and_fill_wrap_up(pilot, notes)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")

            # Back in the CCaaS: the agent is Available for the next contact.
            await wait_until(pilot, lambda: "Available" in screen_text(pilot, "#agent-status"), "Available again")
            # The CRM write goes from the outbox in the background.
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")

        customer_id = f"cus-{caller.index + 1:06d}"
        response = httpx.get(
            f"{servers.crm_url}/v1/customers/{customer_id}/interactions",
            headers={"Authorization": "Bearer demo-crm-token"},
        )
        stored = [Interaction.model_validate(item) for item in response.json()]
        written = [i for i in stored if i.agent_id == "agent-001" and i.notes == notes]
        assert len(written) == 1, "the wrap-up is stored exactly once on the caller's record"
        assert written[0].disposition
        assert written[0].contact_id
        assert written[0].queue_id == "billing"
        assert written[0] == stored[0], "and it is the newest interaction the next agent sees"


async def test_unknown_caller_gets_a_new_caller_card_and_a_record_at_wrap_up(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+1 212 555 0042", subject="First time caller")
            await wait_until(pilot, lambda: "New caller" in customer_text(pilot), "the new-caller card")
            await accept(pilot)
            await end_and_fill_wrap_up(pilot, "Opened an account.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")
        found = httpx.get(
            f"{servers.crm_url}/v1/customers/lookup",
            params={"address": "+12125550042"},
            headers={"Authorization": "Bearer demo-crm-token"},
        ).json()
        assert len(found["customers"]) == 1


async def test_wrap_up_without_disposition_is_refused_and_keeps_the_notes(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)
            await accept(pilot)
            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            pilot.app.screen.query_one("#notes").focus()
            await pilot.press(*"half written")
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            assert "Choose a disposition first" in screen_text(pilot, "#wrap-up-status")
            assert pilot.app.screen.query_one("#notes", TextArea).text == "half written"
            assert "Wrap-up" in screen_text(pilot, "#contacts")


async def test_rejecting_clears_the_caller_and_makes_the_agent_not_routable(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = await receive_offer(pilot, servers)
            assert card_text(pilot, "history")
            await pilot.press("r")
            await wait_until(pilot, lambda: "Missed" in screen_text(pilot, "#agent-status"), "the agent to be Missed")
            assert screen_text(pilot, "#offer").startswith("No contact offered")
            assert caller.name not in customer_text(pilot)
            assert card_text(pilot, "history") == "", "no earlier caller's history lingers"
            assert pilot.app.screen.query_one("#customer-tabs", CardTabs).empty, "no tab bar without a record"


async def test_command_palette_offers_the_enabled_actions(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent")
            titles = set(palette_titles(pilot.app))
            assert {"Available", "Not ready", "Find expert"} <= titles
            assert "Accept" not in titles, "nothing is offered, so there is nothing to accept"

            await pilot.press("ctrl+p")
            await pilot.press(*"availab")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: "● Available" in screen_text(pilot, "#agent-status"), "Available by palette"
            )


async def test_time_on_the_contact_ticks(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+12125550042")
            await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer")
            await accept(pilot)
            await wait_until(pilot, lambda: "00:01" in screen_text(pilot, "#contacts"), "a second on the contact")


async def test_a_contact_event_does_not_reset_the_history_the_agent_is_reading(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=60) as servers:
        crm = {"Authorization": "Bearer demo-crm-token"}
        index = next(
            i
            for i in range(60)
            if len(httpx.get(f"{servers.crm_url}/v1/customers/cus-{i + 1:06d}/interactions", headers=crm).json()) >= 3
        )
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call(servers.caller(index).phone_e164)
            await wait_until(pilot, lambda: servers.caller(index).name in customer_text(pilot), "the screen pop")
            await accept(pilot)
            await pilot.press("2")  # the History tab, taking the keys
            history = pilot.app.screen.query_one("#customer-tabs", CardTabs)
            await wait_until(pilot, lambda: history.active == "history" and pilot.app.focused is history, "the history")
            await pilot.press("down", "down")
            assert history.cursor_row == 3  # from the newest item, under the consent line
            # Any change to the contact (here: the same state pushed again, as after a resync) ...
            screen = agent_screen(pilot)
            screen.controller.receive(ContactEvent(contact=present(screen.desk.selected_contact())))
            await pilot.pause(0.1)
            assert history.cursor_row == 3, "... leaves the agent where they were in the caller's history"


async def test_keys_typed_fast_go_where_the_previous_key_moved_focus(tmp_path: Path) -> None:
    from textual import events

    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+12125550042")
            await wait_until(pilot, lambda: "s left" in screen_text(pilot, "#offer"), "the offer")
            await accept(pilot)
            await pilot.press("e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            # "w" then Enter arriving together, as from a fast typist or a busy machine:
            pilot.app.post_message(events.Key("w", "w"))
            pilot.app.post_message(events.Key("enter", "\r"))
            await pilot.pause(0.3)
            assert pilot.app.screen.query_one("#disposition", Select).expanded, "Enter opened the dispositions"
