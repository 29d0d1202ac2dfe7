"""What the card and the lists say is true (issue 24, item 8): the reason for the call after accept, a case
created with `c` on the card at once. Keyboard only, against the real mocks on loopback."""

from __future__ import annotations

from scripts.pilot_steps import accept, customer_text, go_available, screen_text, wait_until
from scripts.scenes import SIZE, receive_offer, scene_app, scene_servers, OFFER_SUBJECT


def card_cases(pilot) -> str:
    return screen_text(pilot, "#customer-cases")


async def test_the_reason_for_the_call_stays_after_accept(tmp_path):
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)
            await accept(pilot)
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contact-detail"), "the contact in hand")
            assert OFFER_SUBJECT in screen_text(pilot, "#contact-detail")


async def test_a_case_created_with_c_is_on_the_card_at_once_then_with_its_id(tmp_path):
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            caller = await receive_offer(pilot, servers)
            await accept(pilot)
            assert caller.name in customer_text(pilot)
            await pilot.press("c")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CaseDialog", "the case dialog")
            await pilot.press("enter", *"Refund the second charge", "enter")
            await wait_until(pilot, lambda: "Refund the second charge" in card_cases(pilot), "the new case on the card")
            await wait_until(pilot, lambda: "sending" not in card_cases(pilot), "the CRM's id for it")
            line = next(line for line in card_cases(pilot).splitlines() if "Refund the second charge" in line)
            case_id, _, status, *_ = line.split(" | ")
            assert case_id.strip() and status == "open", line
