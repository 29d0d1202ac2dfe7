"""The agent flow by keyboard with the contact center on the Twilio backend and the CRM on the Zendesk backend,
against the Twilio-shaped mock (through the Twilio event relay) and the Zendesk-shaped mock over the same seeded
floor and customers, as `agent-desktop demo --ccaas twilio --crm zendesk` runs them: go available, the offer
with the card popped from Zendesk, accept, end, a wrap-up saved and written once, read back through Zendesk's
API and in the Twilio task's attributes; hold and resume through the call's Voice conference. Keys the Twilio
backend cannot serve (transfer, consult) are never in the footer. Every TaskRouter and conference exchange of the
desk is checked against Twilio's pinned specs.
"""

from __future__ import annotations

import dataclasses
import json

import httpx
from textual.widgets import Select

from desktop.backends.ccaas_twilio import TwilioContactCenter
from desktop.backends.crm_zendesk import ZendeskCrm
from desktop.demo import DEMO_TWILIO_API_KEY_SECRET, DEMO_TWILIO_API_KEY_SID, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from desktop.ui.app import AgentDesktopApp, utc_now
from desktop.ui.textual_compat import FooterKey, notifications
from tests.support.scenes.scenes import SIZE, accept, customer_text, go_available, receive_offer, scene_servers, screen_text, wait_until
from tests.contract.twilio_contract import TwilioContractTransport, taskrouter
from tests.e2e.test_zendesk_agent_flow import wait_written_once

UNSERVED = {"t", "k", "x"}  # transfer, a consult completed or cancelled: Flex Interactions / the conference's, not made


def shown_keys(pilot) -> set[str]:
    return {key.key for key in pilot.app.screen.query(FooterKey) if key.display}


def desk_app(servers, transport: TwilioContractTransport) -> AgentDesktopApp:
    """The demo's backends, the contact center's exchanges checked against Twilio's spec on the way."""
    backends = servers.backends()  # its own contact center has opened no connection yet: replaced by the same one
    contact_center = TwilioContactCenter(backends.contact_center.config, transport=transport, heartbeat_timeout_s=5.0)
    return AgentDesktopApp(dataclasses.replace(backends, contact_center=contact_center), clock=utc_now)


async def customer_on_hold(servers, task_sid: str) -> bool:
    """The `hold` of the customer's participant in the task's conference (where Flex names it)."""
    config = servers.backends().contact_center.config
    async with httpx.AsyncClient(auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5) as client:
        task = (await client.get(f"{servers.twilio_url}/v1/Workspaces/{config.workspace_sid}/Tasks/{task_sid}")).json()
        conference = json.loads(task["attributes"])["conference"]
        url = (f"{servers.twilio_url}/2010-04-01/Accounts/{config.account_sid}/Conferences/{conference['sid']}"
               f"/Participants/{conference['participants']['customer']}.json")  # fmt: skip
        return (await client.get(url)).json()["hold"]


async def task_attributes(servers, task_sid: str) -> dict:
    config = servers.backends().contact_center.config
    async with httpx.AsyncClient(auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5) as client:
        response = await client.get(f"{servers.twilio_url}/v1/Workspaces/{config.workspace_sid}/Tasks/{task_sid}")
    response.raise_for_status()
    task = response.json()
    assert task["assignment_status"] == "completed", task["assignment_status"]
    return json.loads(task["attributes"])


async def test_the_agent_flow_on_twilio_and_zendesk(tmp_path):
    taskrouter()  # Twilio's pinned spec, installed (hash-checked) and loaded before the clock of the flow starts
    with scene_servers(tmp_path, frozen=False, customers=20, zendesk=True, twilio=True) as servers:
        zendesk = ZendeskCrm(servers.zendesk_url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN)
        transport = TwilioContractTransport()
        try:
            async with desk_app(servers, transport).run_test(size=SIZE) as pilot:
                assert type(pilot.app.backends.crm).__name__ == "ZendeskCrm"
                await go_available(pilot)
                assert not UNSERVED & shown_keys(pilot)
                caller = await receive_offer(pilot, servers)  # the card popped from Zendesk by the caller's number
                assert {"a", "r"} <= shown_keys(pilot) and not UNSERVED & shown_keys(pilot)
                user = (await zendesk.lookup(caller.phone_e164)).customers[0]
                assert user.name == caller.name and caller.name in customer_text(pilot)

                await accept(pilot)
                task_sid = pilot.app.screen.desk.selected_id
                assert task_sid.startswith("WT"), task_sid
                assert "e" in shown_keys(pilot) and not UNSERVED & shown_keys(pilot), shown_keys(pilot)
                detail = screen_text(pilot, "#contact-detail")  # its key hints name only the keys served
                assert "h holds" in detail and "e ends" in detail and "transfers" not in detail, detail
                await pilot.press("t")  # nothing happens: no dialog, the call stays connected
                await pilot.pause(0.2)
                assert type(pilot.app.screen).__name__ != "TransferDialog"
                await pilot.press("h")  # the customer's leg of the Voice conference, held
                await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "on hold")
                assert await customer_on_hold(servers, task_sid)  # as Twilio's REST API says it
                await pilot.press("h")
                await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "resumed")

                notes = "Refunded the duplicate charge (Twilio desk)."
                await pilot.press("e")
                await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
                await pilot.press("w", "enter", "down", "enter")  # the first of the Twilio backend's default codes
                await pilot.press("tab", *notes)
                await pilot.pause(0.1)
                assert pilot.app.screen.query_one("#disposition", Select).value == "Resolved"
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
                written = await wait_written_once(pilot, zendesk, user.id, task_sid)
                assert notes in (written.notes or "")
                assert written.disposition == "Resolved", written.disposition
                attributes = await task_attributes(servers, task_sid)  # where Flex Insights reads the outcome
                assert attributes["conversations"]["outcome"] == "Resolved", attributes
                assert not [n for n in notifications(pilot.app) if n.severity == "error"]
        finally:
            await zendesk.aclose()
    paths = {(method, path.rsplit("/", 1)[0].rsplit("/", 1)[-1]) for method, path, _ in transport.exchanges}
    assert {("POST", "Reservations"), ("POST", "Tasks"), ("POST", "Participants")} <= paths, sorted(paths)  # checked
