"""The agent's screen on a contact center whose answers are dated decades off. The desk times the contact
center's stamps on the contact center's clock as its answers' `Date` tells it (agent_desktop/domain/center_clock.py):
one dated year 9999 raised ValueError (year 10000) out of that clock as the agent area drew, one dated 2100 drew
the agent's time in state as 74 years. The HTTP contact center runs over the mock contact center's own app in
process (httpx's ASGI transport), every answer dated as the test says."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, DEMO_AGENT_TOKEN
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_settings, wait_until
from tests.support.scenes.pilot_steps import screen_text


class Dated(httpx.AsyncBaseTransport):
    """The contact center's answers, each dated `date`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, date: str) -> None:
        self._inner, self._date = inner, date

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        response.headers["Date"] = self._date
        return response


@pytest.fixture
async def now_mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    """The mocks on the machine's clock (not the scenes' frozen instant): the contact center and the machine agree."""
    running = InProcessMocks(scene_settings(tmp_path / "mocks"))
    try:
        yield running
    finally:
        await running.aclose()


@pytest.mark.parametrize("date", ["Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 01 Dec 2100 00:00:00 GMT"])
async def test_the_agent_screen_draws_its_time_in_state_on_a_contact_center_dated_decades_off(
    now_mocks: InProcessMocks, date: str
) -> None:
    backends = now_mocks.backends()
    transport = Dated(httpx.ASGITransport(now_mocks.ccaas_app), date)
    backends.contact_center = HttpContactCenter(
        "http://ccaas.test", DEMO_AGENT_TOKEN, DEMO_AGENT_ID, transport=transport
    )
    agent = await backends.contact_center.get_agent()  # start-up's access check, its answer dated `date`
    app = desk_app(backends, agent=agent)  # the desk's first frame draws the agent it read
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Offline" in screen_text(pilot, "#agent-status"), "the agent's state drawn")
        status = screen_text(pilot, "#agent-status")
        assert re.search(r"Offline\s+00:[0-5]\d\b", status), f"the agent has been Offline a moment, not: {status!r}"
