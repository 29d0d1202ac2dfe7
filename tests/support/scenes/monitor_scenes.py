"""`make screenshots` for monitoring: the supervisor monitoring three conversations beside the floor
(`supervisor-monitor`), and the agent's side of it, a whisper in their transcript (`agent-whisper`).

The demo's two desks in one app on a frozen clock against the real mock servers: the demo agent answers a
chat, two simulated agents answer a chat and an SMS (by plain requests), the supervisor joins the three with
`j`, whispers to the demo agent and barges into another's conversation.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.desk_app import desk_app
from tests.support.scenes.pilot_steps import back_to_contacts, go_available, shows_connected, wait_until
from tests.support.scenes.scenes import FROZEN_TIME, SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import Floor, wait_for_floor


def frozen_clock() -> datetime:
    return FROZEN_TIME


async def _join(pilot: Pilot[None], agent_id: str, count: int) -> None:
    screen = pilot.app.screen
    table = screen.query_one("#agents")
    await wait_until(pilot, lambda: bool(screen.desk.floor.in_hand.get(agent_id)), f"{agent_id}'s contact in hand")  # type: ignore[attr-defined]
    table.focus()
    table.move_cursor(table.keys.index(agent_id))  # type: ignore[attr-defined]
    await pilot.press("j")
    await wait_until(pilot, lambda: len(screen.desk.monitored.contacts) == count, f"monitoring {count}")  # type: ignore[attr-defined]


def _answer(
    floor: Floor, servers: SceneServers, agent_id: str, caller: int, channel: str, queue_id: str, words: str
) -> dict[str, Any]:
    floor.set_state(agent_id, "available")
    servers.place_call(
        servers.caller(caller).email if channel == "chat" else servers.caller(caller).phone_e164,
        queue_id=queue_id,
        channel=channel,
        subject="Router keeps dropping",
    )
    offer = floor.as_agent(agent_id, "GET", f"/v1/agents/{agent_id}/offers")[0]
    contact: dict[str, Any] = floor.as_agent(agent_id, "POST", f"/v1/offers/{offer['id']}/accept")
    floor.as_agent(agent_id, "POST", f"/v1/contacts/{contact['id']}/messages", json={"text": words})
    return contact


async def monitor_scene(pilot: Pilot[None], servers: SceneServers) -> None:
    """Up to the supervisor screen with three contacts monitored, a whisper and a barge sent."""
    floor = Floor(servers)
    # The simulated agents' contacts first: the demo agent, once available, would be offered them too.
    sms = _answer(floor, servers, "agent-004", 5, "sms", "tech_support", "Hi, let us restart the router together.")
    chat = _answer(floor, servers, "agent-006", 8, "chat", "sales", "Happy to help you choose a plan.")
    await go_available(pilot)
    servers.place_call(servers.caller(3).email, channel="chat", subject="Charged twice for November")
    await wait_until(pilot, lambda: "Charged twice" in str(pilot.app.screen.query_one("#offer").render()), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: shows_connected(pilot), "the chat connected")
    await back_to_contacts(pilot)
    await pilot.press("f2")
    await wait_for_floor(pilot)
    await _join(pilot, "agent-006", 1)
    await _join(pilot, "agent-004", 2)
    await _join(pilot, "agent-001", 3)
    servers.as_supervisor(
        "POST", f"/v1/contacts/{sms['id']}/customer-messages", {"text": "Done, the light is still red."}
    )
    servers.as_supervisor(
        "POST", f"/v1/contacts/{chat['id']}/customer-messages", {"text": "Which plan has the most data?"}
    )
    await pilot.press("w", *"Offer the fee refund, it is within policy", "enter")
    await wait_until(
        pilot, lambda: "Whispering" in str(pilot.app.screen.query_one("#monitor-card-2").border_title), "whispering"
    )
    await pilot.press("right_square_bracket")  # the sales chat
    await pilot.press("b", *"Hello, I am the team lead: the Max plan has unlimited data.", "enter")
    await wait_until(
        pilot, lambda: "Barged in" in str(pilot.app.screen.query_one("#monitor-card-0").border_title), "barged in"
    )
    await pilot.pause(0.5)


async def capture_monitor(name: str, out: Path, *, side: str) -> Path:
    """`side`: "supervisor" (the monitor panel under the floor) or "agent" (the whisper on the agent's screen)."""
    with tempfile.TemporaryDirectory() as data_dir, scene_servers(Path(data_dir), seed=42) as servers:
        backends = servers.backends(supervisor=True, clock=frozen_clock)
        app = desk_app(backends, clock=frozen_clock, desks=("agent", "supervisor"))
        app.bell = lambda: None  # type: ignore[method-assign]  # a scene's screenshot rings no bell
        async with app.run_test(size=SIZE) as pilot:
            await monitor_scene(pilot, servers)
            if side == "agent":
                await pilot.press("f2")
                await wait_until(
                    pilot,
                    lambda: (
                        "Whisper" in "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())
                    ),
                    "the whisper",
                )
                await pilot.pause(0.3)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out)))
