"""A wrap-up saved while the CRM is down completes the contact at once (the agent is not held back), waits
in the outbox, and is stored exactly once when the CRM is back."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.outbox.test_write_back_faults import NOTES, assert_stored_once, outbox_shows
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
from tests.support.write_back_rig import write_back_rig


async def test_crm_down_at_wrap_up_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    with write_back_rig(tmp_path) as rig:
        async with rig.app().run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, rig.servers)
            rig.stop_crm()
            await accept(pilot)
            contact_id = present(agent_screen(pilot).desk.selected_id)
            await end_and_fill_wrap_up(pilot, NOTES)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")
            await wait_until(pilot, lambda: outbox_shows(pilot, "1 pending"), "the write to wait in the outbox")
            await wait_until(pilot, lambda: rig.attempts() >= [3], "a few failed attempts while the CRM is down")
            assert outbox_shows(pilot, "1 pending")
            rig.start_crm()
            await wait_until(pilot, lambda: outbox_shows(pilot, "1 sent"), "the write to be sent", timeout_s=45)
            assert outbox_shows(pilot, "0 pending")
        assert_stored_once(rig, contact_id)
