"""The queue's after-contact-work timer: a countdown on screen, and a timeout that loses no wrap-up.

When the contact center completes a contact because its ACW ran out, the disposition and notes the
agent was typing stay on screen, and saving still writes them to the CRM (completing an already
completed contact is a 409 with state "completed": the desktop treats that as done).
"""

from __future__ import annotations

import re

import httpx

from desktop.backends.models import ContactEvent
from desktop.desk.contacts import Phase
from desktop.ui.textual_compat import notifications
from tests.support.scenes.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until

SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
AGENT = {"Authorization": "Bearer demo-agent-token"}
CRM = {"Authorization": "Bearer demo-crm-token"}
ACW_TIMEOUT_S = 15  # typing the notes must fit in it on a loaded machine (6 s ran out under a load of 4)


def short_acw(servers) -> None:
    httpx.patch(
        f"{servers.ccaas_url}/v1/queues/billing", json={"acw_timeout_s": ACW_TIMEOUT_S}, headers=SUPERVISOR, timeout=5
    ).raise_for_status()


async def end_and_type_wrap_up(pilot, servers, notes: str) -> dict:
    caller = servers.caller(4)
    contact = servers.place_call(caller.phone_e164, subject="ACW timer")
    await wait_until(pilot, lambda: "ACW timer" in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *notes)
    return contact


def crm_notes(servers, customer_index: int) -> list[str]:
    customer_id = f"cus-{customer_index + 1:06d}"
    stored = httpx.get(f"{servers.crm_url}/v1/customers/{customer_id}/interactions", headers=CRM, timeout=5).json()
    return [item["notes"] for item in stored if item.get("agent_id") == "agent-001"]


async def test_acw_countdown_then_timeout_keeps_the_wrap_up_and_saving_writes_it(tmp_path):
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        short_acw(servers)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            notes = "Explained the late fee; will call back."
            contact = await end_and_type_wrap_up(pilot, servers, notes)
            # The countdown is on screen: in the list, the selected contact's details and the wrap-up.
            assert re.search(r"Wrap-up 0:[01]\d", screen_text(pilot, "#contacts"))
            assert "left" in screen_text(pilot, "#contact-detail")
            assert pilot.app.screen.query_one("#wrap-up").border_subtitle.startswith(("closes in 0:0", "closes in 0:1"))

            await wait_until(
                pilot, lambda: "Timed out" in screen_text(pilot, "#contacts"), "the ACW timeout", timeout_s=ACW_TIMEOUT_S + 10
            )
            completed = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=AGENT, timeout=5).json()
            assert (completed["state"], completed["disposition"]) == ("completed", "ACW timeout")
            assert "Closed by the after-contact-work timeout" in screen_text(pilot, "#contact-detail")
            assert pilot.app.screen.query_one("#notes").text == notes, "what the agent typed is still there"
            assert crm_notes(servers, 4) == [], "nothing written yet"

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            assert not [n for n in notifications(pilot.app) if n.severity == "error"]
        assert crm_notes(servers, 4) == [notes]


async def test_a_timeout_racing_the_save_is_treated_as_done(tmp_path):
    """The timeout completes the contact while the desktop has not heard of it yet: the completion
    the desktop sends is refused with 409 "completed", and the wrap-up still counts as saved."""
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        short_acw(servers)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            notes = "Raced the timer."
            contact = await end_and_type_wrap_up(pilot, servers, notes)
            screen = pilot.app.screen
            held = screen.desk.held[contact["id"]]
            in_acw = held.contact
            await wait_until(pilot, lambda: held.phase is Phase.TIMED_OUT, "the timeout", timeout_s=ACW_TIMEOUT_S + 10)
            # Roll the desk back to before the completed event arrived.
            held.phase, held.contact = Phase.WRAP_UP, in_acw
            answer = httpx.post(
                f"{servers.ccaas_url}/v1/contacts/{contact['id']}/complete",
                json={"disposition": "Resolved"},
                headers=AGENT,
                timeout=5,
            )
            assert answer.status_code == 409 and answer.json()["state"] == "completed"

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            assert "Not saved" not in screen_text(pilot, "#wrap-up-status")
        assert crm_notes(servers, 4) == [notes]


async def test_events_replayed_after_a_reconnect_do_not_bring_back_a_saved_contact(tmp_path):
    """After a reconnect the stream replays what the desktop missed; for a contact the agent has
    already saved meanwhile, that is its ACW and completion again: neither may put it back on screen
    (nor be taken for an ACW timeout)."""
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await end_and_type_wrap_up(pilot, servers, "Saved before the replay.")
            screen = pilot.app.screen
            in_acw = screen.desk.held[contact["id"]].contact
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            completed = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact['id']}", headers=AGENT, timeout=5).json()
            assert completed["state"] == "completed"

            # As replayed from the event log, in order (a snapshot's copies carry no id).
            screen.controller.receive(ContactEvent(contact=in_acw))
            screen.controller.receive(ContactEvent(contact=in_acw.model_validate(completed)))
            await pilot.pause(0.1)
            assert screen_text(pilot, "#contacts") == ""
            assert not screen.desk.held
            assert "End a contact with e" in screen_text(pilot, "#wrap-up-contact")
