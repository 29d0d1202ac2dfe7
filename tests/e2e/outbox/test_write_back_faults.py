"""Every wrap-up reaches the CRM exactly once, whatever the CRM does: slow (hanging until the test ends the
hang), answering 500, or
answering after the desktop has given up (the CRM down: test_wrap_up_when_crm_is_down.py; the desktop
killed: test_write_back_after_a_crash.py). The agent is never held back: the contact is completed at
once and the write waits in the outbox (the status line shows it pending, then sent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    screen_text,
    wait_until,
)
from tests.support.write_back_rig import Rig, write_back_rig

NOTES = "Refunded the duplicate charge. Card 4111 1111 1111 1111, CVV 123."
MASKED = "Refunded the duplicate charge. Card •••• 1111, [security code removed]."


def outbox_shows(pilot: Pilot[None], text: str) -> bool:
    return text in screen_text(pilot, "#outbox-status")


async def wrap_up_and_complete(pilot: Pilot[None], rig: Rig) -> str:
    """Take the offered call to the end of its wrap-up and save; returns the contact id."""
    await go_available(pilot)
    await receive_offer(pilot, rig.servers)
    await accept(pilot)
    contact_id = present(agent_screen(pilot).desk.selected_id)
    await end_and_fill_wrap_up(pilot, NOTES)
    assert MASKED in screen_text(pilot, "#notes-preview"), "the agent sees what will leave the desktop"
    await pilot.press("ctrl+s")
    # Completed in the contact center whatever the CRM is doing: the agent can take the next contact.
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")
    await wait_until(pilot, lambda: "Available" in screen_text(pilot, "#agent-status"), "Available again")
    return contact_id


def assert_stored_once(rig: Rig, contact_id: str) -> None:
    stored = rig.stored_for_contact(contact_id)
    assert len(stored) == 1, stored
    assert stored[0]["notes"] == MASKED, "card number masked, security code removed before leaving the desktop"
    assert stored[0]["agent_id"] == "agent-001"
    assert stored[0]["queue_id"] == "billing"
    assert stored[0]["offered_at"]
    assert stored[0]["answered_at"]
    assert stored[0]["ended_at"]
    assert rig.pending() == 0


@pytest.mark.parametrize(
    ("faults", "write_timeout_s", "sends"),
    [
        # The CRM hangs (60 s at most) until the contact is completed and the write shown pending, then answers.
        pytest.param({"delay_s": 60.0, "methods": ["POST"]}, 30.0, 1, id="slow"),
        pytest.param({"fail_status": 500, "count": 3, "methods": ["POST"]}, 30.0, 4, id="500-three-times"),
        # Stored, but the answer is held after the desktop gave up (1 s): the resend is replayed, not stored again.
        pytest.param(
            {"delay_s": 60.0, "delay_phase": "after", "count": 1, "methods": ["POST"]}, 1.0, 2, id="answer-lost"
        ),
    ],
)
async def test_crm_faulty_at_wrap_up(
    tmp_path: Path, faults: dict[str, Any], write_timeout_s: float, sends: int
) -> None:
    with write_back_rig(tmp_path) as rig:
        async with rig.app(crm_write_timeout_s=write_timeout_s).run_test(size=SIZE) as pilot:
            rig.faults(**faults)
            contact_id = await wrap_up_and_complete(pilot, rig)
            if faults.get("delay_s") and faults.get("delay_phase") != "after":
                assert outbox_shows(pilot, "1 pending"), "completing did not wait for the slow CRM"
                rig.faults(methods=[])  # the CRM answers the request it held
            await wait_until(pilot, lambda: outbox_shows(pilot, "1 sent"), "the write to be sent", timeout_s=60)
            rig.faults(methods=[])
        assert_stored_once(rig, contact_id)
        assert rig.attempts() == [sends], "how many times the outbox sent it before the CRM confirmed"
