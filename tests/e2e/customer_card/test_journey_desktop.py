"""The caller's journey on the agent's desk, against the real CCaaS and CRM on loopback.

What the IVR collected is on the offer and on the Selected contact panel; a caller the IVR verified
pops by their account; a callback is taken by keys: the offer says it is one, "Dialling…" until the
simulated customer answers (or does not: the retry and the contact center's disposition said in
words), and the interaction the CRM keeps says outbound callback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from agent_desktop.domain.formats.phone_format import shown_phone
from agent_desktop.ui.supervisor.queue_table import QueueTable
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.ccaas.tables.ivr import CrmDirectory
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    accept,
    end_and_fill_wrap_up,
    go_available,
    scene_app,
    screen_text,
    wait_until,
)

SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
CRM = {"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}


# A callback's dial rings 3-8 s of the mock's time: 0.75-2 s at 4x; offers keep 20 s of real time.
DIAL_TIME = {"time_scale": 4.0, "offer_timeout_s": 80.0}
# The second dial nobody answers is on screen only while it rings: at 2x it rings 1.5-4 s, long enough to be
# seen between two looks of a loaded machine (at 4x a CI run once saw the ring begin and end between two).
SLOWER_DIAL_TIME = {"time_scale": 2.0, "offer_timeout_s": 80.0}


@contextmanager
def journey_servers(data_dir: Path, **settings: object) -> Iterator[SceneServers]:
    """The three mocks, the CCaaS's IVR dipping into this CRM (as `agent-desktop mocks` sets it up)."""
    mock = MockSettings(data_dir=data_dir, seed=42, customers=40, experts=30, simulator=False, fresh=True, **settings)
    ccaas = create_ccaas(mock)
    running = serve_in_thread([ccaas, create_crm(mock), create_presence(mock)])
    ccaas.state.directory = CrmDirectory(running.urls[1], DEMO_CRM_TOKEN)
    try:
        yield SceneServers.at(running.urls, mock)
    finally:
        running.stop()


def customer_by_phone(servers: SceneServers, phone: str) -> dict[str, Any]:
    found = httpx.get(f"{servers.crm_url}/v1/customers/lookup", params={"phone": phone}, headers=CRM, timeout=5)
    answer: dict[str, Any] = found.json()["customers"][0]
    return answer


async def test_what_the_ivr_collected_is_on_the_offer_and_the_card_pops_by_the_verified_account(tmp_path: Path) -> None:
    with journey_servers(tmp_path) as servers:
        caller = servers.caller(3)
        customer = customer_by_phone(servers, caller.phone_e164)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            body = {
                "entry_number": "+18005550100",
                "from_address": caller.phone_e164,
                "keys": ["1", "2"],
                "account_number": customer["account_number"],
            }
            call = httpx.post(f"{servers.ccaas_url}/v1/ivr/calls", json=body, headers=SUPERVISOR, timeout=5).json()
            assert call["attached"]["verified"] is True
            await wait_until(pilot, lambda: "IVR ✓" in screen_text(pilot, "#offer"), "the IVR's data on the offer")
            offer = screen_text(pilot, "#offer")
            assert customer["account_number"] in offer, offer
            assert "billing inquiry" in offer, offer
            await wait_until(pilot, lambda: caller.name in screen_text(pilot, "#customer-summary"), "the screen pop")
            lookup = agent_screen(pilot).desk.lookups[call["contact"]["id"]]
            assert lookup.matched_on == "account"  # by the account the IVR verified, not by the number
            assert "✓ matched" in screen_text(pilot, "#customer-summary")
            await accept(pilot)
            detail = screen_text(pilot, "#contact-detail")
            assert f"IVR ✓ {customer['account_number']}" in detail, detail


async def test_a_callback_taken_by_keys_is_dialled_answered_and_written_as_outbound(tmp_path: Path) -> None:
    with journey_servers(tmp_path, callback_answer_pct=100, **DIAL_TIME) as servers:
        caller = servers.caller(5)
        customer = customer_by_phone(servers, caller.phone_e164)
        with httpx.Client(base_url=servers.ccaas_url, headers=SUPERVISOR, timeout=5) as ccaas:
            ccaas.patch("/v1/queues/billing", json={"callback_offer_after_s": 0}).raise_for_status()
            contact = servers.place_call(caller.phone_e164, subject="Card declined")
            ccaas.post(
                f"/v1/contacts/{contact['id']}/callback", json={"reason": "Card declined twice"}
            ).raise_for_status()
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await wait_until(pilot, lambda: "↻ Callback" in screen_text(pilot, "#offer"), "the callback offer")
            offer = screen_text(pilot, "#offer")
            assert f"to {shown_phone(caller.phone_e164)}" in offer, offer
            assert "Card declined twice" in offer, offer
            assert "dial 1 of 3" in offer, offer
            await pilot.press("a")
            await wait_until(pilot, lambda: "Dialling…" in screen_text(pilot, "#contact-detail"), "Dialling…")
            assert "attempt 1 of 3" in screen_text(pilot, "#contact-detail")
            await wait_until(
                pilot, lambda: "callback answered" in screen_text(pilot, "#contact-detail"), "the answer", timeout_s=15
            )
            await end_and_fill_wrap_up(pilot, "Called back, card replaced")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            await wait_until(pilot, lambda: _interactions(servers, customer["id"]), "the interaction in the CRM")
        (written,) = _interactions(servers, customer["id"])
        assert written["direction"] == "outbound"
        assert written["summary"].startswith("Outbound callback · Billing")
        assert written["notes"] == "Called back, card replaced"


async def test_a_callback_nobody_answers_is_retried_then_closed_and_said_in_words(tmp_path: Path) -> None:
    with journey_servers(tmp_path, callback_answer_pct=0, **SLOWER_DIAL_TIME) as servers:
        with httpx.Client(base_url=servers.ccaas_url, headers=SUPERVISOR, timeout=5) as ccaas:
            settings = {"callback_offer_after_s": 0, "callback_retry_s": 1, "callback_max_attempts": 2}
            ccaas.patch("/v1/queues/billing", json=settings).raise_for_status()
            contact = servers.place_call("+12125550177")
            ccaas.post(f"/v1/contacts/{contact['id']}/callback", json={"reason": "Billing question"}).raise_for_status()
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await wait_until(pilot, lambda: "↻ Callback" in screen_text(pilot, "#offer"), "the callback offer")
            await pilot.press("a")
            await wait_until(pilot, lambda: "Dialling…" in screen_text(pilot, "#contact-detail"), "Dialling…")

            def said() -> list[str]:
                return [n.message for n in notifications(pilot.app) if "did not answer" in str(n.message)]

            await wait_until(pilot, lambda: bool(said()), "the no-answer notice", timeout_s=15)
            assert "(212) 555-0177 did not answer. The contact center dials again at" in str(said()[0])
            await wait_until(pilot, lambda: "dial 2 of 2" in screen_text(pilot, "#offer"), "the retry", timeout_s=15)
            await pilot.press("a")
            # The second dial rings 1.5-4 s here; a loaded machine can see it ring and end between two looks, so
            # the dial shown or the contact already closed after it (said below in words) both count.
            await wait_until(
                pilot,
                lambda: any(s in screen_text(pilot, "#contact-detail") for s in ("attempt 2 of 2", "after 2 dials")),
                "the second dial",
            )
            await wait_until(
                pilot,
                lambda: "Callback not answered" in screen_text(pilot, "#contact-detail"),
                "given up",
                timeout_s=15,
            )
            detail = screen_text(pilot, "#contact-detail")
            assert "after 2 dials: closed by the contact center Callback: no answer" in detail, detail


def _interactions(servers: SceneServers, customer_id: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{servers.crm_url}/v1/customers/{customer_id}/interactions", headers=CRM, timeout=5)
    return [i for i in response.json() if i.get("direction") == "outbound"]


async def test_the_supervisor_sees_the_estimated_wait_and_the_callbacks_pending(tmp_path: Path) -> None:
    from tests.support.scenes.supervisor_scene import row, supervisor_app, wait_for_floor

    with journey_servers(tmp_path) as servers:
        with httpx.Client(base_url=servers.ccaas_url, headers=SUPERVISOR, timeout=5) as ccaas:
            ccaas.patch("/v1/queues/billing", json={"callback_offer_after_s": 0}).raise_for_status()
            ccaas.put("/v1/agents/agent-003/state", json={"state": "available"}).raise_for_status()  # billing
            first = servers.place_call("+12125550101")  # offered to agent-003, who does not answer
            waiting = servers.place_call("+12125550102")
            ccaas.post(f"/v1/contacts/{waiting['id']}/callback", json={}).raise_for_status()
            expected = next(s for s in ccaas.get("/v1/queues/stats").json() if s["queue_id"] == "billing")
        assert first["id"] != waiting["id"]
        assert expected["callbacks_pending"] == 1
        assert expected["ewt_s"] is not None
        async with supervisor_app(servers).run_test(size=SIZE) as pilot:
            await wait_for_floor(pilot)
            await wait_until(pilot, lambda: "1 · " in row(pilot, "#queues", "Billing"), "the callback pending")
            cells = [c.strip() for c in row(pilot, "#queues", "Billing").split(" | ")]
            header = [c.label for c in pilot.app.screen.query_one("#queues", QueueTable).columns]
            assert cells[header.index("Callback")].startswith("1 · ")
            assert cells[header.index("EWT")] not in ("", "—")
