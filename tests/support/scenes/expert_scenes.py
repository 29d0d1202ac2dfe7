"""Scenes of the experts panel for screenshots and tests: suggestions, the action menu, the message dialog."""

from __future__ import annotations

from typing import Any

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.agent.experts.desk_experts import DeskExperts
from agent_desktop_mocks.ccaas.settings import DEMO_PRESENCE_TOKEN
from tests.support.scenes.pilot_steps import screen_text, type_burst, wait_until
from tests.support.scenes.scenes import SceneServers, agent_flow_until

EXPERT_STEPS = ("experts-list", "experts-menu", "experts-message")


def set_presence(
    servers: SceneServers,
    person_id: str,
    availability: str,
    activity: str | None = None,
    status_message: str | None = None,
) -> dict[str, Any]:
    body = {"availability": availability, "activity": activity, "status_message": status_message}
    response = httpx.put(
        f"{servers.presence_url}/v1/people/{person_id}/presence",
        json={k: v for k, v in body.items() if v is not None},
        headers={"Authorization": f"Bearer {DEMO_PRESENCE_TOKEN}"},
        timeout=5,
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def experts_table_text(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#expert-table")


async def focus_expert(pilot: Pilot[None], name: str) -> None:
    """Search for `name` and put the cursor on them (keys only)."""
    await pilot.press("slash")
    await type_burst(pilot, name)
    await wait_until(
        pilot,
        lambda: experts_table_text(pilot).count("\n") == 0 and name in experts_table_text(pilot),
        f"{name} alone in the experts",
    )
    await pilot.press("enter")  # from the search box to the results
    await wait_until(
        pilot,
        lambda: pilot.app.focused is not None and pilot.app.focused.id == "expert-table",
        "the experts list focused",
    )


async def expert_flow_until(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """Connected to the billing caller, then: the menu for a busy billing expert, or the message to a free one."""
    await agent_flow_until(pilot, servers, "connected")
    panel = pilot.app.screen.query_one("#experts", DeskExperts)
    await wait_until(pilot, lambda: "billing" in panel.suggested_skills, "billing experts suggested")
    experts = panel.ordered()
    busy = next(e for e in experts if "billing" in e.skills and not e.presence.availability.is_free)
    free = next(e for e in experts if "billing" in e.skills and e.presence.availability.is_free)
    if step == "experts-list":
        await pilot.press("slash", "enter")  # into the list, the contact's billing experts first
        await wait_until(
            pilot,
            lambda: pilot.app.focused is not None and pilot.app.focused.id == "expert-table",
            "the experts list focused",
        )
    elif step == "experts-menu":
        await focus_expert(pilot, busy.name)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: pilot.app.screen.id == "expert-actions" or type(pilot.app.screen).__name__ == "ExpertActions",
            "the expert menu",
        )
    else:
        await focus_expert(pilot, free.name)
        await pilot.press("m")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EscalationDialog", "the message dialog")
        await type_burst(pilot, "Customer was charged twice; refund approved?")
    await pilot.pause(0.2)
