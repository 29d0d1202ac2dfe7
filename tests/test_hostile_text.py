"""Text from a backend is shown literally: markup does nothing, escape sequences never reach the terminal."""

from __future__ import annotations

import httpx

from scripts.scenes import SIZE, accept, customer_text, go_available, scene_app, scene_servers, wait_until

HOSTILE_NAME = "[@click=app.quit]x[/] \x1b[2J\x1b]0;pwned\x07Mallory [b]bold[/b] שלום 👩‍💻"
SHOWN_NAME = "[@click=app.quit]x[/] [2J]0;pwnedMallory [b]bold[/b] שלום 👩‍💻"


async def test_hostile_customer_name_is_shown_literally_and_does_nothing(tmp_path):
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        response = httpx.post(
            f"{servers.crm_url}/v1/customers",
            json={"name": HOSTILE_NAME, "phones": ["+1 808 555 0077"], "emails": []},
            headers={"Authorization": "Bearer demo-crm-token"},
        )
        assert response.status_code == 201, response.text
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+18085550077", subject="[@click=app.quit]subject[/]\x1b[31m")
            await wait_until(pilot, lambda: SHOWN_NAME in customer_text(pilot), "the hostile name, literally")
            assert "[@click=app.quit]subject[/]" in pilot.app.screen.query_one("#offer").render().plain
            # Clicking where the "link" is must not quit the app.
            await pilot.click("#customer-summary", offset=(2, 0))
            await accept(pilot)
            assert pilot.app.is_running
            assert "\x1b" not in pilot.app.export_screenshot()


async def test_backend_text_in_a_notification_is_literal(tmp_path):
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            pilot.app.screen.notify("422 [@click=app.quit]bad[/] \x1b[31mred", title="[b]CRM[/b]")
            await pilot.pause(0.2)
            toast = pilot.app._notifications
            assert [n.message for n in toast] == ["422 [@click=app.quit]bad[/] [31mred"]
            assert [n.title for n in toast] == ["[b]CRM[/b]"]
            assert not any(n.markup for n in toast)
