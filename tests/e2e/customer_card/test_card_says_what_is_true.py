"""What the card and the lists say is true: the reason for the call after accept, a case
created with `c` on the card at once. Keyboard only, against the real mocks on loopback."""

from __future__ import annotations

import re
from pathlib import Path

from textual.pilot import Pilot

from tests.support.scenes.pilot_steps import (
    accept,
    agent_screen,
    card_text,
    customer_text,
    go_available,
    screen_text,
    wait_until,
)
from tests.support.scenes.scenes import OFFER_SUBJECT, SIZE, receive_offer, scene_app, scene_servers


def card_cases(pilot: Pilot[None]) -> str:
    return card_text(pilot, "cases")


async def test_the_reason_for_the_call_stays_after_accept(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)
            await accept(pilot)
            await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contact-detail"), "the contact in hand")
            assert OFFER_SUBJECT in screen_text(pilot, "#contact-detail")


async def test_a_case_created_with_c_is_on_the_card_at_once_then_with_its_id(tmp_path: Path) -> None:
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
            assert case_id.strip(), line
            assert status == "open", line


async def test_a_chat_whose_customer_wrote_last_says_whose_turn_and_asks_before_ending(tmp_path: Path) -> None:
    """ "Idle" did not say whose turn it is, and one `e` ended a chat whose customer waited for an answer."""
    from agent_desktop.domain.models import ParticipantRole
    from tests.e2e.conversations.test_agent_conversations import take

    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact_id = await take(pilot, servers, "dana@example.com")
            # Where the contact center sets a response target, the SLA clock says whose turn it is.
            await wait_until(
                pilot,
                lambda: re.search(r"waiting for you|1st reply in", screen_text(pilot, "#contact-detail")),
                "whose turn, on the contact",
            )
            # In the list from 10 s on, where "Idle" was (and said nothing of whose turn it is).
            await wait_until(
                pilot,
                lambda: re.search(r"Waits 0:1|Reply 0:[45]", screen_text(pilot, "#contacts")),
                "whose turn",
                timeout_s=20,
            )
            await pilot.press("e")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "a question")
            await pilot.press("n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "back to the desk")
            assert "Connected" in screen_text(pilot, "#contact-detail"), "n keeps the chat"

            await pilot.press("i", *"Let me look into it.", "enter")
            await wait_until(
                pilot,
                lambda: (
                    agent_screen(pilot).desk.conversations[contact_id].items[-1].role is ParticipantRole.AGENT
                    or not re.search(r"(Waits|Reply) ", screen_text(pilot, "#contacts"))
                ),
                "the answer sent",
            )
            await pilot.press("escape")
            await wait_until(
                pilot,
                lambda: not re.search(r"(Waits|Reply) ", screen_text(pilot, "#contacts")),
                "the agent's turn over",
            )

            await pilot.press("e")
            if type(pilot.app.screen).__name__ == "EndConversationDialog":  # the customer answered meanwhile
                await pilot.press("ctrl+e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "ended")
