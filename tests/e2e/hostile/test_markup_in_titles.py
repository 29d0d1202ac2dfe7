"""Backend text in a dialog's title is shown as written: `[@click=...]` does nothing, `[/x]` does not crash.

The case dialog and the customer picker put the customer's name or the caller's
address into `border_title` through an f-string, which Textual parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import httpx
from textual.pilot import Pilot

from agent_desktop.ui.textual_compat import render_strips
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    accept,
    customer_text,
    go_available,
    scene_app,
    scene_servers,
    wait_until,
)

AUTH = {"Authorization": "Bearer demo-crm-token"}


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """What the terminal shows, line by line, borders and titles included."""
    return [strip.text for strip in render_strips(pilot.app.screen)]


def add_customer(servers: SceneServers, name: str, *, phones: Sequence[str] = (), emails: Sequence[str] = ()) -> None:
    response = httpx.post(
        f"{servers.crm_url}/v1/customers",
        json={"name": name, "phones": list(phones), "emails": list(emails)},
        headers=AUTH,
        timeout=5,
    )
    assert response.status_code == 201, response.text


async def open_case_dialog(pilot: Pilot[None], servers: SceneServers, phone: str, name_shown: str) -> None:
    await go_available(pilot)
    servers.place_call(phone)
    await wait_until(pilot, lambda: name_shown in customer_text(pilot), "the screen pop")
    await accept(pilot)
    await pilot.press("c")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CaseDialog", "the case dialog")
    await pilot.pause(0.1)


async def test_a_click_on_a_case_title_with_click_markup_does_not_quit(tmp_path: Path) -> None:
    name = "[@click=app.quit]Evil Corp[/]"
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        add_customer(servers, name, phones=["+1 808 555 0061"])
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_case_dialog(pilot, servers, "+18085550061", name)
            box = pilot.app.screen.query_one(".dialog-box")
            for x in range(1, min(box.size.width, 48)):  # every cell of the title row
                await pilot.click(box, offset=(x, 0))
            await pilot.pause(0.1)
            assert pilot.app.is_running, "a click on the customer's name quit the desktop"
            assert type(pilot.app.screen).__name__ == "CaseDialog"
            assert any(f"Case for {name}" in line for line in screen_lines(pilot)), "the name, literally, in the title"


async def test_a_name_with_a_closing_tag_opens_the_case_dialog(tmp_path: Path) -> None:
    name = "Broken [/nope] Corp"
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        add_customer(servers, name, phones=["+1 808 555 0062"])
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await open_case_dialog(pilot, servers, "+18085550062", name)
            assert pilot.app.is_running
            assert any(f"Case for {name}" in line for line in screen_lines(pilot))


async def test_a_chat_address_with_a_closing_tag_opens_the_customer_picker(tmp_path: Path) -> None:
    address = "[/x]@evil.co"
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        add_customer(servers, "Eve One", emails=[address])
        add_customer(servers, "Eve Two", emails=[address])
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call(address, channel="chat")
            await wait_until(pilot, lambda: "customers match" in customer_text(pilot), "the two matches")
            await pilot.press("p")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CustomerPicker", "the picker")
            await pilot.pause(0.1)
            assert pilot.app.is_running
            assert any(f"Who is calling from {address}?" in line for line in screen_lines(pilot))
