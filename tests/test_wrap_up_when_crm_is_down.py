"""A wrap-up saved while the CRM is down keeps everything the agent typed, and is stored once when it is back."""

from __future__ import annotations

import httpx

from desktop.backends.factory import build_backends
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp
from mock_backends.ccaas.app import create_app as create_ccaas
from mock_backends.common.runner import serve_in_thread
from mock_backends.common.settings import MockSettings
from mock_backends.crm.app import create_app as create_crm
from mock_backends.presence.app import create_app as create_presence
from scripts.scenes import (
    OFFER_CALLER,
    SIZE,
    SceneServers,
    accept,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    screen_text,
    wait_until,
)


async def test_crm_outage_at_wrap_up_loses_nothing_and_doubles_nothing(tmp_path):
    settings = MockSettings(data_dir=tmp_path, seed=42, customers=30, experts=10, simulator=False, fresh=True)
    others = serve_in_thread([create_ccaas(settings), create_presence(settings)])
    crm = serve_in_thread([create_crm(settings)])
    crm_url = crm.urls[0]
    servers = SceneServers(others.urls[0], crm_url, others.urls[1], settings=settings)
    app = AgentDesktopApp(build_backends(demo_settings(servers.ccaas_url, crm_url, servers.presence_url)))
    notes = "Customer asked for a refund; promised a callback."
    try:
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)
            await accept(pilot)
            await end_and_fill_wrap_up(pilot, notes)

            crm.stop()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Not saved" in screen_text(pilot, "#wrap-up-status"), "the failure")
            assert "cannot reach CRM" in screen_text(pilot, "#wrap-up-status")
            assert pilot.app.screen.query_one("#notes").text == notes, "the notes are kept"
            assert "Wrap-up" in screen_text(pilot, "#contacts"), "the contact is still in after-contact work"

            crm = serve_in_thread(
                [create_crm(settings.model_copy(update={"fresh": False}))], ports=[int(crm_url.rsplit(":", 1)[1])]
            )
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")

        customer_id = f"cus-{OFFER_CALLER + 1:06d}"
        stored = httpx.get(
            f"{crm_url}/v1/customers/{customer_id}/interactions", headers={"Authorization": "Bearer demo-crm-token"}
        ).json()
        assert [i["notes"] for i in stored].count(notes) == 1
    finally:
        crm.stop()
        others.stop()
