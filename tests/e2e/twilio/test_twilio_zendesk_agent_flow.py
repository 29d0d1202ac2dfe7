"""The agent flow by keyboard with the contact center on the Twilio backend and the CRM on the Zendesk backend,
against the Twilio-shaped mock (through the Twilio event relay) and the Zendesk-shaped mock over the same seeded
floor and customers, as `agent-desktop demo --ccaas twilio --crm zendesk` runs them: go available, the offer
with the card popped from Zendesk, accept, hold and resume through the call's Voice conference, end, a wrap-up
saved and written once, read back through Zendesk's API and in the Twilio task's attributes; a second caller
transferred blind to the Sales queue from the transfer dialog (the caller's call redirected into `<Enqueue>`: a new
task for the call); a chat read and
answered in the conversation workspace (Twilio Conversations), ended and wrapped up, written once with its
conversation. Keys the Twilio backend cannot serve (consult) are never in the footer. Every TaskRouter, conference,
Flex and Conversations exchange of the desk is checked against Twilio's pinned specs. The same flow on the mock
HTTP contact center: tests/e2e/zendesk/test_zendesk_agent_flow.py.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Select

from agent_desktop.adapters.twilio.contact_center import TwilioContactCenter
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.app.demo import (
    DEMO_TWILIO_API_KEY_SECRET,
    DEMO_TWILIO_API_KEY_SID,
    DEMO_ZENDESK_EMAIL,
    DEMO_ZENDESK_TOKEN,
)
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.models import TranscriptItem
from agent_desktop.services import utc_now
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.shared.footer import KeyFooter
from agent_desktop.ui.textual_compat import notifications
from tests.contract.twilio_contract import TwilioContractTransport, taskrouter
from tests.e2e.zendesk.test_zendesk_agent_flow import transcript, wait_written_once
from tests.support.desk_app import desk_app as app_on
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import agent_screen, desk_app_of, in_front
from tests.support.scenes.scenes import (
    SIZE,
    SceneServers,
    accept,
    customer_text,
    go_available,
    receive_offer,
    scene_servers,
    screen_text,
    wait_until,
)

UNSERVED = {"k", "x"}  # a consult completed or cancelled: no consult on Twilio (a Flex UI feature, not its REST API)


def shown_keys(pilot: Pilot[None]) -> set[str]:
    return {key.key for key in pilot.app.screen.query_one(KeyFooter).shown()}


def desk_app(servers: SceneServers, transport: TwilioContractTransport) -> AgentDesktopApp:
    """The demo's backends, the contact center's exchanges checked against Twilio's spec on the way."""
    backends = servers.backends()  # its own contact center has opened no connection yet: replaced by the same one
    contact_center = TwilioContactCenter(
        of_kind(backends.contact_center, TwilioContactCenter).config, transport=transport, heartbeat_timeout_s=5.0
    )
    return app_on(dataclasses.replace(backends, contact_center=contact_center), clock=utc_now)


async def customer_on_hold(servers: SceneServers, task_sid: str) -> bool:
    """The `hold` of the customer's participant (the task's `call_sid`) in the conference the conference
    instruction named after the task, as Twilio documents finding it."""
    config = of_kind(servers.backends().contact_center, TwilioContactCenter).config
    api = f"{servers.twilio_url}/2010-04-01/Accounts/{config.account_sid}"
    async with httpx.AsyncClient(auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5) as client:
        task = (await client.get(f"{servers.twilio_url}/v1/Workspaces/{config.workspace_sid}/Tasks/{task_sid}")).json()
        call = json.loads(task["attributes"])["call_sid"]
        listed = (
            await client.get(f"{api}/Conferences.json", params={"FriendlyName": task_sid, "Status": "in-progress"})
        ).json()
        (conference,) = listed["conferences"]
        answer: bool = (await client.get(f"{api}/Conferences/{conference['sid']}/Participants/{call}.json")).json()[
            "hold"
        ]
        return answer


async def task_of(servers: SceneServers, task_sid: str) -> dict[str, Any]:
    """The task as TaskRouter's REST API answers it."""
    config = of_kind(servers.backends().contact_center, TwilioContactCenter).config
    async with httpx.AsyncClient(auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5) as client:
        response = await client.get(f"{servers.twilio_url}/v1/Workspaces/{config.workspace_sid}/Tasks/{task_sid}")
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def task_after(servers: SceneServers, task_sid: str) -> dict[str, Any]:
    """The task a transfer made of `task_sid`: a Flex Interactions Invite's, for the same interaction (the Invites
    doc: a new task); a call's `<Enqueue>`, naming `task_sid` as the one it continues."""
    config = of_kind(servers.backends().contact_center, TwilioContactCenter).config
    interaction = json.loads((await task_of(servers, task_sid))["attributes"]).get("flexInteractionSid")
    async with httpx.AsyncClient(auth=(DEMO_TWILIO_API_KEY_SID, DEMO_TWILIO_API_KEY_SECRET), timeout=5) as client:
        response = await client.get(
            f"{servers.twilio_url}/v1/Workspaces/{config.workspace_sid}/Tasks", params={"PageSize": 100}
        )
    response.raise_for_status()
    (made,) = [
        t
        for t in response.json()["tasks"]
        if t["sid"] != task_sid
        and (
            json.loads(t["attributes"]).get("transferredFromTaskSid") == task_sid
            or interaction is not None
            and json.loads(t["attributes"]).get("flexInteractionSid") == interaction
        )
    ]
    answer: dict[str, Any] = made
    return answer


async def transfer_to_sales(pilot: Pilot[None]) -> None:
    """t, the queues tab, Sales, enter: the contact leaves the agent's hands."""
    await pilot.press("t")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
    names = [queue.name for queue in in_front(pilot, TransferDialog).queues]
    await pilot.press("1", "b", *["down"] * names.index("Sales"), "enter")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the dialog closed")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact gone from my hands")


async def task_attributes(servers: SceneServers, task_sid: str) -> dict[str, Any]:
    task = await task_of(servers, task_sid)
    assert task["assignment_status"] == "completed", task["assignment_status"]
    answer: dict[str, Any] = json.loads(task["attributes"])
    return answer


async def end_chat(pilot: Pilot[None]) -> None:
    """e; if the customer wrote last the desk asks first: end it anyway."""
    await pilot.press("e")
    await wait_until(
        pilot,
        lambda: (
            type(pilot.app.screen).__name__ == "EndConversationDialog" or "Wrap-up" in screen_text(pilot, "#contacts")
        ),
        "ended or asked",
    )
    if type(pilot.app.screen).__name__ == "EndConversationDialog":
        await pilot.press("ctrl+e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")


async def test_the_agent_flow_on_twilio_and_zendesk(tmp_path: Path) -> None:
    taskrouter()  # Twilio's pinned spec, installed (hash-checked) and loaded before the clock of the flow starts
    with scene_servers(tmp_path, frozen=False, customers=20, zendesk=True, twilio=True) as servers:
        zendesk = ZendeskCrm(present(servers.zendesk_url), DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN)
        transport = TwilioContractTransport()
        try:
            async with desk_app(servers, transport).run_test(size=SIZE) as pilot:
                assert type(of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.crm).__name__ == "ZendeskCrm"
                await go_available(pilot)
                assert not UNSERVED & shown_keys(pilot)
                caller = await receive_offer(pilot, servers)  # the card popped from Zendesk by the caller's number
                assert {"a", "r"} <= shown_keys(pilot)
                assert not UNSERVED & shown_keys(pilot)
                user = (await zendesk.lookup(caller.phone_e164)).customers[0]
                assert user.name == caller.name
                assert caller.name in customer_text(pilot)

                await accept(pilot)
                task_sid = present(agent_screen(pilot).desk.selected_id)
                assert task_sid.startswith("WT"), task_sid
                assert "e" in shown_keys(pilot), shown_keys(pilot)
                assert not UNSERVED & shown_keys(pilot), shown_keys(pilot)
                detail = screen_text(pilot, "#contact-detail")  # its key hints name only the keys served
                assert "h holds" in detail, detail
                assert "t transfers" in detail, detail
                assert "e ends" in detail, detail
                await pilot.press("h")  # the customer's leg of the Voice conference, held
                await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contacts"), "on hold")
                assert await customer_on_hold(servers, task_sid)  # as Twilio's REST API says it
                await pilot.press("h")
                await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "resumed")

                notes = "Refunded the duplicate charge (Twilio desk)."
                await pilot.press("e")
                await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
                acw = screen_text(pilot, "#contact-detail")  # the wrap-up time the demo tells the desk (acw_timeouts)
                assert "After-contact work" in acw, acw
                assert "no time limit" not in acw, acw
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

                # A second caller, popped from Zendesk, transferred blind to the Sales queue by keyboard: the
                # caller's call redirected into <Enqueue> (a new task for the call), this agent's task completed.
                second = servers.caller(5)
                servers.place_call(second.phone_e164, subject="Wants a new plan")
                await wait_until(pilot, lambda: "Wants a new plan" in screen_text(pilot, "#offer"), "the second offer")
                await wait_until(pilot, lambda: second.name in customer_text(pilot), "the second caller popped")
                await accept(pilot)
                moved_sid = present(agent_screen(pilot).desk.selected_id)
                assert "t" in shown_keys(pilot), shown_keys(pilot)
                await pilot.press("t")
                await wait_until(
                    pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog"
                )
                names = [queue.name for queue in in_front(pilot, TransferDialog).queues]
                await pilot.press("1", "b", *["down"] * names.index("Sales"), "enter")
                await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the dialog closed")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the call gone from my hands")
                # As TaskRouter says: this agent's task completed with the transfer as its reason, a new one for the
                # same call waiting in Sales.
                old_call = await task_of(servers, moved_sid)
                assert (old_call["assignment_status"], old_call["reason"]) == (
                    "completed",
                    "Transferred to queue Sales",
                )
                moved = await task_after(servers, moved_sid)
                assert moved["task_queue_friendly_name"] == "Sales", moved["task_queue_friendly_name"]
                assert json.loads(moved["attributes"])["call_sid"] == json.loads(old_call["attributes"])["call_sid"]
                assert moved["assignment_status"] in ("pending", "reserved"), moved["assignment_status"]

                # A chat from the first caller (Twilio Conversations), read and answered in the workspace.
                servers.place_call(caller.email, channel="chat", subject="Chat via Twilio")
                await wait_until(pilot, lambda: "Chat via Twilio" in screen_text(pilot, "#offer"), "the chat offer")
                await wait_until(pilot, lambda: caller.name in customer_text(pilot), "popped by email")
                await accept(pilot)
                chat_id = present(agent_screen(pilot).desk.selected_id)
                assert chat_id.startswith("WT"), chat_id
                assert chat_id not in (task_sid, moved_sid), chat_id
                desk = agent_screen(pilot).desk

                # read afresh at each look: the desk may replace a conversation's record as its history loads
                def said() -> list[TranscriptItem]:
                    return [
                        i for i in desk.conversations[chat_id].items if i.role == "customer" and i.kind == "message"
                    ]

                await wait_until(pilot, lambda: bool(said()), "the customer's opening message", timeout_s=30)
                opening = said()[0].text
                await wait_until(pilot, lambda: opening[:30] in transcript(pilot), "the opening message on screen")
                await pilot.press("i", *"Hello from the Twilio desk", "enter")
                await wait_until(pilot, lambda: "Hello from the Twilio desk" in transcript(pilot), "the reply sent")
                await pilot.press("escape")
                await end_chat(pilot)
                await pilot.press("w", "enter", "down", "enter")
                await pilot.press("tab", *"Answered in chat.")
                await pilot.pause(0.1)
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the chat's wrap-up saved")
                chat = await wait_written_once(pilot, zendesk, user.id, chat_id)
                assert "Answered in chat." in (chat.notes or "")
                assert "Hello from the Twilio desk" in (chat.notes or "")
                assert (await task_attributes(servers, chat_id))["conversations"]["outcome"] == "Resolved"

                # A second chat transferred blind to Sales: Flex makes a new task for the interaction, naming the same
                # conversation (its transcript goes with it); closing this agent's participant completed its task.
                servers.place_call(caller.email, channel="chat", subject="Chat to move")
                await wait_until(pilot, lambda: "Chat to move" in screen_text(pilot, "#offer"), "the chat to move")
                await accept(pilot)
                chat_moved = present(agent_screen(pilot).desk.selected_id)
                await transfer_to_sales(pilot)
                assert (await task_of(servers, chat_moved))["assignment_status"] == "completed"
                new_chat = await task_after(servers, chat_moved)
                assert (new_chat["task_queue_friendly_name"], new_chat["task_channel_unique_name"]) == ("Sales", "chat")
                old_conversation = json.loads((await task_of(servers, chat_moved))["attributes"])["conversationSid"]
                assert json.loads(new_chat["attributes"])["conversationSid"] == old_conversation
                assert chat_moved not in agent_screen(pilot).desk.held

                # A chat the customer leaves quiet: the conversation's closed timer (the queue's inactivity timeout)
                # closes it, which Twilio says only in onConversationStateUpdated; the desk shows it ended.
                servers.as_supervisor(
                    "PATCH", "/v1/queues/billing/conversation-settings", {"inactivity_timeout_s": {"chat": 3}}
                )
                servers.place_call(caller.email, channel="chat", subject="Quiet chat")
                await wait_until(pilot, lambda: "Quiet chat" in screen_text(pilot, "#offer"), "the quiet chat's offer")
                await pilot.press("a")  # accepted: it may be closed before the desk shows it connected
                await wait_until(
                    pilot,
                    lambda: any(
                        c.ended_reason == "customer_inactive" for c in agent_screen(pilot).desk.conversations.values()
                    ),
                    "the chat closed by Twilio's timer",
                    timeout_s=15,
                )
                await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
                await pilot.press("escape")  # out of the composer `a` put the agent in
                await pilot.press("w", "enter", "down", "enter")
                await pilot.pause(0.1)
                await pilot.press("ctrl+s")
                await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the quiet chat's wrap-up saved")
                assert not [n for n in notifications(pilot.app) if n.severity == "error"]
        finally:
            await zendesk.aclose()
    paths = {(method, path.rsplit("/", 1)[0].rsplit("/", 1)[-1]) for method, path, _ in transport.exchanges}
    assert {("POST", "Reservations"), ("POST", "Tasks"), ("POST", "Participants"), ("POST", "Calls")} <= paths, sorted(
        paths
    )
    ends = {(method, path.rsplit("/", 1)[-1]) for method, path, _ in transport.exchanges}
    assert {("POST", "Invites"), ("GET", "Messages"), ("POST", "Messages")} <= ends, sorted(
        ends
    )  # transfer, chat: checked
    read_marks = [
        path
        for method, path, _ in transport.exchanges
        if method == "POST" and "/Conversations/" in path and "/Participants/" in path
    ]
    assert read_marks, "the opening message read: the worker's read horizon moved (and kept to Conversations' spec)"
