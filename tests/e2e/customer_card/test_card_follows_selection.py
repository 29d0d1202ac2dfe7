"""The customer card follows the selected contact; an offer's caller shows in the offer card, with a
short pop of their own, until it is accepted. Through the real servers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.support.scenes.pilot_steps import back_to_contacts, shows_connected
from tests.support.scenes.scenes import (
    SIZE,
    customer_text,
    go_available,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

CRM = {"Authorization": "Bearer demo-crm-token"}


async def test_a_second_offer_does_not_take_the_card_from_the_chat_in_hand(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=40) as servers:

        def record_of(index: int) -> dict[str, Any]:
            answer: dict[str, Any] = httpx.get(
                f"{servers.crm_url}/v1/customers/cus-{index + 1:06d}/record", headers=CRM
            ).json()
            return answer

        # The SMS comes from a customer with open cases: the offer card must say how many.
        sms_index = next(i for i in range(40) if i != 5 and any(c["status"] != "closed" for c in record_of(i)["cases"]))
        chat, sms = servers.caller(5), servers.caller(sms_index)
        record = record_of(sms_index)
        tier = record["customer"]["tier"]
        open_cases = sum(case["status"] in ("open", "pending") for case in record["cases"])
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call(chat.email, channel="chat", subject="Router keeps rebooting")
            await wait_until(pilot, lambda: chat.name in customer_text(pilot), "the chat caller's card")
            await pilot.press("a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the chat in hand")
            await back_to_contacts(pilot)

            servers.place_call(sms.phone_e164, channel="sms", subject="Where is my refund?")
            await wait_until(pilot, lambda: "Where is my refund?" in screen_text(pilot, "#offer"), "the SMS offer")
            await wait_until(
                pilot, lambda: sms.name in screen_text(pilot, "#offer"), "the SMS caller in the offer card"
            )
            offer = screen_text(pilot, "#offer")
            assert tier, offer
            assert tier in offer, offer
            assert f"{open_cases} open case" in offer, offer
            await pilot.pause(0.3)  # the SMS caller's lookup has finished: nothing may switch the card now
            assert chat.name in customer_text(pilot)
            assert sms.name not in customer_text(pilot)
            assert chat.email in screen_text(pilot, "#contact-detail")

            await pilot.press("a")  # accepted: the SMS is selected, and the card follows it
            await wait_until(pilot, lambda: sms.name in customer_text(pilot), "the SMS caller's card")
            await back_to_contacts(pilot)
            assert sms.name not in screen_text(pilot, "#offer")
            await pilot.press("right_square_bracket")
            await wait_until(pilot, lambda: chat.name in customer_text(pilot), "the chat caller's card again")
