"""A background task of the desk that fails on an error nobody expected is said, not dropped: the agent reads
that the desk keeps running, and the desk's log has where (never the error's own words, which may quote a
backend's text such as a card number)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import LookupResult
from agent_desktop.outbox.store import Outbox
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from tests.support.in_process.crm import InProcessCrm
from tests.support.in_process.mocks import InProcessMocks

CARD = "4111 1111 " + "1111 1111"


class BrokenCrm:
    """The in-process CRM whose lookup breaks the way a bug would (not a BackendError)."""

    def __init__(self, inner: InProcessCrm) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def lookup(self, address: str) -> LookupResult:
        raise KeyError(CARD)  # words from a backend, as a real bug might carry them


async def test_a_lookup_that_breaks_is_said_and_logged_without_its_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path / "mocks", seed=7, customers=20, experts=5, simulator=False, fresh=True)
    )
    desk = Desk(DEMO_AGENT_ID)
    redraws: list[int] = []
    outbox = Outbox(tmp_path / "outbox.db")
    controller = DeskController(
        desk,
        mocks.contact_center(),
        BrokenCrm(mocks.crm()),
        mocks.presence(),
        outbox,
    )
    desk.feed.subscribe(lambda: redraws.append(1))
    try:
        with caplog.at_level(logging.ERROR, logger="agent_desktop"):
            await asyncio.gather(
                controller.spawn(controller.caller.look_up("c-1", "+12125550100")), return_exceptions=True
            )
            await asyncio.sleep(0)
        [notice] = desk.take_changes().notices
        assert notice.severity == "error"
        assert "Something went wrong in the background (KeyError)" in notice.text
        assert "keeps running" in notice.text
        assert "desk.log" in notice.text
        assert redraws, "the screen is asked to show it"
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "KeyError" in logged, logged
        assert "look_up" in logged, logged
        assert "4111" not in logged, "the error's own words are not repeated"
        assert "4111" not in notice.text, "the error's own words are not repeated"
    finally:
        await controller.aclose()
        outbox.close()
        await mocks.aclose()
