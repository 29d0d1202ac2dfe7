"""The CRM frozen (it takes connections and never answers) through a whole chat and its wrap-up (a case
untried before): the screen pop gives up in seconds and says so, the chat goes on, the wrap-up completes the
contact at once, and when the CRM answers again the interaction lands once, with its transcript."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conversations.test_agent_conversations import transcript_text
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import OFFER_CALLER, SIZE, accept, customer_text, go_available, screen_text, wait_until
from tests.support.write_back_rig import write_back_rig


async def test_a_chat_and_its_wrap_up_while_the_crm_is_frozen(tmp_path: Path) -> None:
    with write_back_rig(tmp_path) as rig:
        rig.faults(delay_s=60.0, methods=["GET", "POST"])  # every CRM request hangs for a minute
        # The desktop gives up on a CRM read after 1 s and on a write after 1 s (5 s and 30 s by default).
        async with rig.app(crm_write_timeout_s=1.0, crm_timeout_s=1.0).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            rig.servers.place_call(rig.servers.caller(OFFER_CALLER).email, channel="chat", subject="Refund please")
            await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the chat offered")
            await accept(pilot)
            contact_id = present(agent_screen(pilot).desk.selected_id)
            await wait_until(
                pilot,
                lambda: "CRM" in customer_text(pilot) and "Looking up" not in customer_text(pilot),
                "the screen pop to give up",
                timeout_s=15,
            )
            shown = customer_text(pilot)
            await pilot.press("i", *"Let me check that for you", "enter")
            await wait_until(pilot, lambda: "Let me check that for you" in transcript_text(pilot), "the reply sent")
            await pilot.press("escape", "e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact completed at once")
            assert "1 pending" in screen_text(pilot, "#outbox-status")

            rig.faults(methods=[])  # the CRM answers again (what it held is let go)
            await wait_until(
                pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the write-back", timeout_s=40
            )
        stored = rig.stored_for_contact(contact_id)
        assert len(stored) == 1, stored
        assert stored[0]["transcript_count"] >= 1, stored
        assert rig.pending() == 0
    assert "CRM" in shown  # the card says the lookup failed, rather than "Looking up…" for ever
