"""Follow-up on the real mock servers: after a wrap-up, the agent sends a customer with SMS consent a
follow-up (u, s, ctrl+s) while the CRM is down. Consent is read from the CRM as the message leaves, so nothing is
sent while it is down (the entry waits in the outbox); once the CRM server is started again the contact center's
messaging sends it once (its delivery read until delivered), and the message and its delivery status are in the
customer's record exactly once. When the CRM only loses its answers, the message is sent at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from agent_desktop.outbox.store import Outbox, OutboxEntry
from tests.support.scenes.pilot_steps import agent_screen, customer_text
from tests.support.scenes.scenes import SIZE, accept, end_and_fill_wrap_up, go_available, screen_text, wait_until
from tests.support.write_back_rig import AUTH, Rig, write_back_rig


def customer_with_sms_consent(crm_url: str, customers: int) -> tuple[int, dict[str, Any]]:
    """A seeded customer who agreed to SMS, and the index of the caller they are."""
    for n in range(1, customers + 1):
        found = httpx.get(f"{crm_url}/v1/customers/cus-{n:06d}", headers=AUTH, timeout=5).json()
        if found.get("consent_sms") is True and found.get("phones"):
            return n - 1, found
    raise AssertionError("no seeded customer with SMS consent")


def follow_up_entries(rig: Rig) -> list[OutboxEntry]:
    outbox = Outbox(rig.outbox_path)
    try:
        return [e for e in outbox.recent() if e.kind.value == "follow_up"]
    finally:
        outbox.close()


def messages_sent(rig: Rig) -> int:
    (count,) = rig.ccaas.state.messaging.conn.execute("select count(*) from messages").fetchone()
    answer: int = count
    return answer


@pytest.mark.parametrize("outage", ["down", "answer-lost"])
async def test_a_follow_up_queued_while_the_crm_is_out_reaches_it_once_when_it_is_back(
    tmp_path: Path, outage: str
) -> None:
    """`down`: the CRM server stopped, started again once the write was refused a few times. `answer-lost`: the
    CRM stores the write but its answer comes after the desk gave up (1 s): the resend is replayed, not stored."""
    with write_back_rig(tmp_path) as rig:
        index, customer = customer_with_sms_consent(rig.crm_url, rig.settings.customers)
        person = rig.servers.caller(index)
        async with rig.app(crm_write_timeout_s=1.0).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            rig.servers.place_call(person.phone_e164, subject="Refund follow-up")
            await wait_until(pilot, lambda: "Refund follow-up" in screen_text(pilot, "#offer"), "the offer")
            await wait_until(pilot, lambda: person.name in customer_text(pilot), "the screen pop")
            await accept(pilot)
            contact_id = agent_screen(pilot).desk.selected_id
            await end_and_fill_wrap_up(pilot, "Refunded.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact completed")
            await wait_until(pilot, lambda: rig.pending() == 0, "the wrap-up written")

            if outage == "down":
                rig.stop_crm()
            else:
                rig.faults(delay_s=60.0, delay_phase="after", count=1, methods=["POST"])
            await pilot.press("u")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "FollowUpDialog", "the dialog")
            await pilot.press("s", "ctrl+s")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "queued")
            if outage == "down":
                await wait_until(
                    pilot,
                    lambda: (e := follow_up_entries(rig)) and e[0].attempts >= 3,
                    "the consent read refused a few times",
                    timeout_s=30,
                )
                assert messages_sent(rig) == 0, "nothing sent on consent the desk could not read"
                rig.start_crm()
            await wait_until(pilot, lambda: messages_sent(rig) == 1, "the SMS sent", timeout_s=30)
            await wait_until(pilot, lambda: follow_up_entries(rig)[0].state.value == "sent", "kept", timeout_s=45)
            await pilot.pause(0.5)
        assert messages_sent(rig) == 1, "sent once, however often the outbox tried"
        kept = [
            i
            for i in rig.stored(customer["id"])
            if i["disposition"].startswith("Follow-up ") and i["direction"] == "outbound"
        ]
        assert len(kept) == 1, kept
        assert (kept[0]["channel"], kept[0]["direction"], kept[0]["disposition"]) == (
            "sms",
            "outbound",
            "Follow-up delivered",
        )
        assert kept[0]["contact_id"] == contact_id
        assert customer["name"].split()[0] in kept[0]["notes"]
