"""After-contact work over the real servers: events replayed after a reconnect do not bring back a contact
the agent saved meanwhile.

The countdown and the timeout itself (which waited 15 s of real time here) run on the in-process backends with a
stepped clock: tests/ui/wrap_up/test_acw_timeout_in_process.py; the protocol suite's
`test_the_queue_acw_timeout_completes_the_contact` proves the server times ACW out and refuses the late
completion with 409 "completed", as the in-process contact center does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from agent_desktop.domain.models import ContactEvent
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    go_available,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)

AGENT = {"Authorization": "Bearer demo-agent-token"}


async def end_and_type_wrap_up(pilot: Pilot[None], servers: SceneServers, notes: str) -> dict[str, Any]:
    caller = servers.caller(4)
    contact = servers.place_call(caller.phone_e164, subject="ACW timer")
    await wait_until(pilot, lambda: "ACW timer" in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *notes)
    answer: dict[str, Any] = contact
    return answer


async def test_events_replayed_after_a_reconnect_do_not_bring_back_a_saved_contact(tmp_path: Path) -> None:
    """After a reconnect the stream replays what the desktop missed; for a contact the agent has
    already saved meanwhile, that is its ACW and completion again: neither may put it back on screen
    (nor be taken for an ACW timeout)."""
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await end_and_type_wrap_up(pilot, servers, "Saved before the replay.")
            screen = agent_screen(pilot)
            in_acw = screen.desk.held[contact["id"]].contact
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            completed = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=AGENT, timeout=5).json()
            assert completed["state"] == "completed"

            # As replayed from the event log, in order (a snapshot's copies carry no id).
            screen.controller.receive(ContactEvent(contact=in_acw))
            screen.controller.receive(ContactEvent(contact=in_acw.model_validate(completed)))
            await pilot.pause(0.1)
            assert screen_text(pilot, "#contacts") == ""
            assert not screen.desk.held
            assert "End a contact with e" in screen_text(pilot, "#wrap-up-contact")
