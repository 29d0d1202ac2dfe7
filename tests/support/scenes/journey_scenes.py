"""Scenes of the caller's journey on the agent's desk (`make screenshots`, snapshot tests): an offer that came
through the IVR with the caller verified, and a callback being dialled (the frozen clock keeps it ringing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.pilot import Pilot

from tests.support.scenes.pilot_steps import customer_text, screen_text, wait_until

if TYPE_CHECKING:  # scenes.py imports this module
    from tests.support.scenes.scenes import SceneServers

JOURNEY_STEPS = ("ivr-offer", "callback-dialling")
IVR_CALLER = 3  # the offer scene's caller, now through the IVR with their account
CALLBACK_CALLER = 8


async def journey_flow_until(pilot: Pilot[None], servers: SceneServers, step: str) -> None:
    """'ivr-offer': a verified caller offered with what the IVR collected; 'callback-dialling': a callback
    accepted and ringing the customer."""
    from tests.support.scenes.scenes import agent_flow_until

    if step == "ivr-offer":
        await agent_flow_until(pilot, servers, "available")
        caller = servers.caller(IVR_CALLER)
        body = {
            "entry_number": "+18005550100",
            "from_address": caller.phone_e164,
            "keys": ["1", "2"],
            "account_number": servers.account_number(caller.phone_e164),
        }
        servers.as_supervisor("POST", "/v1/ivr/calls", body)
        await wait_until(pilot, lambda: "IVR ✓" in screen_text(pilot, "#offer"), "the IVR offer")
        await wait_until(pilot, lambda: caller.name in customer_text(pilot), "the screen pop")
        return
    caller = servers.caller(CALLBACK_CALLER)
    servers.as_supervisor("PATCH", "/v1/queues/billing", {"callback_offer_after_s": 0})
    contact = servers.place_call(caller.phone_e164, subject="Card declined")
    # asked for while nobody is available: a callback is for a caller still waiting in the queue
    servers.as_supervisor("POST", f"/v1/contacts/{contact['id']}/callback", {"reason": "Card declined twice"})
    await agent_flow_until(pilot, servers, "available")
    await wait_until(pilot, lambda: "↻ Callback" in screen_text(pilot, "#offer"), "the callback offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: "Dialling…" in screen_text(pilot, "#contact-detail"), "Dialling…")
    await wait_until(pilot, lambda: caller.name in customer_text(pilot), "the screen pop")
