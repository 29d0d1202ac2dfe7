"""`--log-file` at INFO holds what an operator needs from a whole session — the backends
connected, the agent's states, the offer and its contact's states, the wrap-up written to the CRM — and no
customer's data (no name, number, address or note). On the in-process backends, with the desk log the command
line starts (agent_desktop/local/desk_log.py) in a temporary folder."""

from __future__ import annotations

import logging
from pathlib import Path

from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.local.desk_log import DESK_LOGGER, start_desk_log
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    accept,
    end_and_fill_wrap_up,
    go_available,
    loaded,
    receive_offer,
    scene_app,
    wait_until,
)
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import desk_app_of


async def test_a_whole_session_is_in_the_log_at_info_without_customer_data(
    mocks: InProcessMocks, tmp_path: Path
) -> None:
    handler = start_desk_log(tmp_path / "log", name="desk.log", level=logging.INFO)
    try:
        async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await go_available(pilot)
            who = await receive_offer(pilot, mocks)
            await accept(pilot)
            await end_and_fill_wrap_up(pilot, "Refund agreed")
            await pilot.press("ctrl+s")
            outbox = of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.outbox
            await wait_until(
                pilot, lambda: outbox.counts().sent >= 1, "the wrap-up written to the CRM", mocks=mocks, step_s=1
            )
            handler.flush()
        text = (tmp_path / "log" / "desk.log").read_text()
    finally:
        logger = logging.getLogger(DESK_LOGGER)
        logger.removeHandler(handler)
        handler.close()
        logger.propagate, logger.level = True, logging.NOTSET  # as before start_desk_log (other tests' caplog)
    for needed in ("contact center: connected", "available", "offer ", "connected", "after_contact_work", "written"):
        assert needed in text, (needed, text)
    digits = who.phone_e164[2:]
    for private in (who.name, *who.name.split(), digits[-7:], "Refund agreed"):
        assert private not in text, (private, text)
