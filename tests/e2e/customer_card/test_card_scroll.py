"""A long record can be read to its end with the keyboard: 20 kB of notes on the Profile tab."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.textual_compat import render_strips
from tests.support.scenes.scenes import SIZE, accept, customer_text, go_available, scene_app, scene_servers, wait_until

NOTES = (
    "".join(f"Note {n:03d}: called about the router, promised a callback on Friday.\n" for n in range(300))
    + "END OF NOTES"
)


def screen_lines(pilot: Pilot[None]) -> list[str]:
    return [strip.text for strip in render_strips(pilot.app.screen)]


async def test_twenty_kilobytes_of_notes_scroll_to_their_end_by_keyboard(tmp_path: Path) -> None:
    assert 19_000 < len(NOTES.encode()) <= 20_000  # the CRM's limit for notes is 20 000 characters
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        response = httpx.post(
            f"{servers.crm_url}/v1/customers",
            json={"name": "Noted Person", "phones": ["+1 808 555 0066"], "notes": NOTES},
            headers={"Authorization": "Bearer demo-crm-token"},
            timeout=5,
        )
        assert response.status_code == 201, response.text
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+18085550066")
            await wait_until(pilot, lambda: "Noted Person" in customer_text(pilot), "the screen pop")
            await accept(pilot)
            await pilot.press("5")
            await wait_until(pilot, lambda: any("Note 000" in line for line in screen_lines(pilot)), "the profile")
            assert not any("END OF NOTES" in line for line in screen_lines(pilot))
            await pilot.press("end")
            await wait_until(
                pilot, lambda: any("END OF NOTES" in line for line in screen_lines(pilot)), "the notes' end"
            )
            await pilot.press("pageup")
            await wait_until(
                pilot, lambda: not any("END OF NOTES" in line for line in screen_lines(pilot)), "a page back"
            )
            # escape gives the keys back to the contacts (the screen's binding), as before
            await pilot.press("escape")
            assert pilot.app.focused is pilot.app.screen.query_one("#contacts")
