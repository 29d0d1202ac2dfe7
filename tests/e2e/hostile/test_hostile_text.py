"""Text from a backend is shown literally: markup does nothing, escape sequences never reach the terminal."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.content import Content
from textual.widgets import DataTable

from agent_desktop.ui.textual_compat import notifications
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    card_text,
    customer_text,
    go_available,
    scene_app,
    scene_servers,
    wait_until,
)

HOSTILE_NAME = "[@click=app.quit]x[/] \x1b[2J\x1b]0;pwned\x07Mallory [b]bold[/b] שלום 👩‍💻"
SHOWN_NAME = "[@click=app.quit]x[/] [2J]0;pwnedMallory [b]bold[/b] שלום 👩‍💻"


async def test_hostile_customer_name_is_shown_literally_and_does_nothing(tmp_path: Path) -> None:
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
            assert (
                "[@click=app.quit]subject[/]" in of_kind(pilot.app.screen.query_one("#offer").render(), Content).plain
            )
            # Clicking where the "link" is must not quit the app.
            await pilot.click("#customer-summary", offset=(2, 0))
            await accept(pilot)
            assert pilot.app.is_running
            assert "\x1b" not in pilot.app.export_screenshot()


async def test_backend_text_in_a_notification_is_literal(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            # Let the start-up loads finish first: a worker still running at exit would fail on a torn-down screen.
            await wait_until(
                pilot, lambda: pilot.app.screen.query_one("#expert-table", DataTable).row_count > 0, "the experts"
            )
            await wait_until(pilot, lambda: bool(agent_screen(pilot).desk.queues), "the queues")
            pilot.app.screen.notify("422 [@click=app.quit]bad[/] \x1b[31mred", title="[b]CRM[/b]")
            await pilot.pause(0.2)
            toast = notifications(pilot.app)
            assert [n.message for n in toast] == ["422 [@click=app.quit]bad[/] [31mred"]
            assert [n.title for n in toast] == ["[b]CRM[/b]"]
            assert not any(n.markup for n in toast)


LONG_NAME = "Ω" * 3 + "🙂" * 1000 + "مرحبا بالعالم " * 300 + "[@click=app.quit]x[/]" * 200  # > 10 kB
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m"


async def test_hostile_record_in_every_tab_is_literal_and_keeps_the_layout(tmp_path: Path) -> None:
    """10 kB names, RTL, emoji, markup and escape sequences in every part of a record, through the real CRM."""
    auth = {"Authorization": "Bearer demo-crm-token"}
    assert len(LONG_NAME.encode()) > 10_000
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        crm = httpx.Client(base_url=servers.crm_url, headers=auth, timeout=10)
        customer = crm.post(
            "/v1/customers",
            json={
                "name": LONG_NAME + ESCAPES,
                "phones": ["+1 808 555 0078"],
                "emails": ["x@example.com"],
                "notes": ESCAPES,
            },
        ).json()
        crm.post(
            "/v1/cases",
            json={"customer_id": customer["id"], "subject": "[@click=app.quit]case[/] " + ESCAPES + " שלום"},
            headers={"Idempotency-Key": "hostile-case"},
        ).raise_for_status()
        crm.post(
            "/v1/interactions",
            json={
                "customer_id": customer["id"],
                "contact_id": "c-x",
                "channel": "chat",
                "agent_id": "[b]agent[/b]",
                "queue_id": "billing",
                "disposition": "[@click=app.quit]d[/]",
                "notes": "👩‍💻" * 500 + ESCAPES,
            },
            headers={"Idempotency-Key": "hostile-interaction"},
        ).raise_for_status()
        app = scene_app(servers, frozen=False)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            servers.place_call("+18085550078")
            await wait_until(pilot, lambda: "ΩΩΩ🙂" in customer_text(pilot), "the hostile record")
            summary = pilot.app.screen.query_one("#customer-summary")
            assert summary.size.height <= 8, "a 10 kB name does not push the record off the card"
            for tab in "12345":
                await pilot.press(tab)
                await pilot.pause(0.05)
            assert "[@click=app.quit]case[/]" in card_text(pilot, "cases")
            history = card_text(pilot, "history")
            assert "[@click=app.quit]d[/]" in history
            assert "[b]agent[/b]" in history
            profile = card_text(pilot, "profile")
            assert "ΩΩΩ🙂" in profile, "the profile shows the name's first 500 characters"
            assert "…" in profile, "the profile shows the name's first 500 characters"
            assert "[2J]0;pwned31m" in profile, "the escape sequences' control characters are stripped"
            await pilot.click("#customer-summary", offset=(2, 1))
            await pilot.click("#customer-tabs", offset=(20, 2))
            await accept(pilot)
            assert pilot.app.is_running
            shot = pilot.app.export_screenshot()
            assert "\x1b" not in shot
            assert "\x9b" not in shot
            assert "\x07" not in shot
