"""Quality evaluation, by keyboard (Pilot) over the real mock servers on loopback, with the agent's and
the supervisor's desks in one app (f2 switches): the agent takes a call and wraps it up; the supervisor scores it
(e, enter, a digit per question, tab, a comment, ctrl+s); the agent's desk is told over its stream and the agent
acknowledges it in my day (d, a); the CRM keeps the evaluation with the interaction once, read back with the
supervisor's CRM token and never with the agents'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from agent_desktop.ui.supervisor.quality.evaluation_dialog import EvaluationDialog
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_CRM_SUPERVISOR_TOKEN, DEMO_CRM_TOKEN
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import (
    agent_screen,
    end_and_fill_wrap_up,
    go_available,
    in_front,
    screen_text,
    shows_connected,
    wait_until,
)
from tests.support.scenes.quality_scene import COMMENT, VOICE_ANSWERS
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import wait_for_floor


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40, speed=0.05) as served:
        yield served


def screen_named(pilot: Pilot[None], name: str) -> bool:
    return type(pilot.app.screen).__name__ == name


def get(url: str, token: str, path: str, **params: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 200, answer.text
    read: list[dict[str, Any]] = answer.json()
    return read


async def test_the_supervisor_scores_the_agent_acknowledges_and_the_crm_keeps_it_once(servers: SceneServers) -> None:
    app = desk_app(servers.backends(supervisor=True), desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    app.NOTIFICATION_TIMEOUT = 120  # type: ignore[misc]  # this app's own, over Textual's class default
    async with app.run_test(size=SIZE) as pilot:
        await go_available(pilot)
        servers.place_call(servers.caller(3).phone_e164, subject="Evaluated call")
        await wait_until(pilot, lambda: "Evaluated call" in str(pilot.app.screen.query_one("#offer").render()), "offer")
        await pilot.press("a")
        await wait_until(pilot, lambda: shows_connected(pilot), "the call connected")
        contact_id = agent_screen(pilot).desk.selected_id
        await end_and_fill_wrap_up(pilot, "Sorted.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "wrapped up")

        await pilot.press("f2")
        await wait_for_floor(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: screen_named(pilot, "EvaluationDialog"), "the evaluation dialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: in_front(pilot, EvaluationDialog).draft is not None, "the call chosen")
        assert present(in_front(pilot, EvaluationDialog).draft).contact_id == contact_id
        for answer in VOICE_ANSWERS:
            await pilot.press(answer, "down")
        await pilot.press("tab", *COMMENT, "ctrl+s")
        await wait_until(pilot, lambda: screen_named(pilot, "SupervisorScreen"), "sent")

        def in_the_crm(token: str) -> list[dict[str, Any]]:
            found = get(servers.crm_url, token, "/v1/interactions", contact_id=contact_id)
            return [e for interaction in found for e in interaction["evaluations"]]

        await wait_until(pilot, lambda: len(in_the_crm(DEMO_CRM_SUPERVISOR_TOKEN)) == 1, "the evaluation in the CRM")
        (kept,) = in_the_crm(DEMO_CRM_SUPERVISOR_TOKEN)
        assert (kept["score"], kept["comments"], kept["evaluator_name"]) == (75.0, COMMENT, "Riley Chen")
        assert in_the_crm(DEMO_CRM_TOKEN) == [], "the agents' token reads no evaluation"

        await pilot.press("f2")
        await wait_until(pilot, lambda: screen_named(pilot, "AgentScreen"), "the agent's desk")
        await wait_until(
            pilot, lambda: any(n.title == "Evaluation" and "75" in n.message for n in notifications(pilot.app)), "told"
        )
        await pilot.press("d")
        await wait_until(pilot, lambda: screen_named(pilot, "MyDayView"), "my day")
        await pilot.press("a")

        def acknowledged() -> bool:
            (mine,) = get(servers.ccaas_url, DEMO_AGENT_TOKEN, "/v1/quality/evaluations")
            return mine["acknowledged_at"] is not None

        await wait_until(pilot, acknowledged, "acknowledged at the contact center")
        await pilot.pause(0.5)
        assert len(in_the_crm(DEMO_CRM_SUPERVISOR_TOKEN)) == 1, "written once"
