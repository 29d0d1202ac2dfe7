"""The after-contact-work timeout on screen, on the in-process backends: a countdown, and a timeout that loses
no wrap-up. When the contact center completes a contact because its ACW ran out, the disposition and notes the
agent was typing are not lost: under the queue's time-boxed rule the desk saves them at once, with
the chosen code (else the rule's default); with no rule (a contact center that declares `wrap_up_rules` off)
they stay on screen and saving still writes them to the CRM (completing an already completed contact is
refused with 409 "completed": the desktop treats that as done).

These two ran on the real servers with a 15-second timer on the real clock (tests/e2e/wrap_up/test_acw_events_replayed.py
keeps the replay after a reconnect); here the three mocks run in-process (tests/support/in_process) with the
same flow, keys and assertions, and the timeout is a clock step, not a wait. The desktop reads the mocks' clock too, so its
countdown and the contact center's deadline agree. The protocol suite's
`test_the_queue_acw_timeout_completes_the_contact` proves the in-process contact center times ACW out
as the server does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, TextArea

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import Contact
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.attention_rig import NoticedApp
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, go_available, screen_text, wait_until

SIZE = (120, 40)
ACW_TIMEOUT_S = 6
CALLER_INDEX = 4


def scene_settings(data_dir: Path) -> MockSettings:
    """As tests/support/scenes/scenes.py's `scene_servers` builds the mocks with `frozen=False, customers=20`."""
    return MockSettings(data_dir=data_dir, seed=42, customers=20, experts=30, simulator=False, fresh=True)


async def crm_notes(mocks: InProcessMocks) -> list[str]:
    written = await mocks.crm().list_interactions(f"cus-{CALLER_INDEX + 1:06d}")
    return [interaction.notes or "" for interaction in written if interaction.agent_id == "agent-001"]


async def end_and_type_wrap_up(pilot: Pilot[None], mocks: InProcessMocks, notes: str) -> Contact:
    caller = callers(mocks.settings.seed, mocks.settings.customers)[CALLER_INDEX]
    contact = await mocks.place_call(caller.phone_e164, subject="ACW timer")
    await wait_until(pilot, lambda: "ACW timer" in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *notes)
    return contact


@pytest.mark.parametrize("notes", ["Explained the late fee; will call back.", ""], ids=["notes", "no-notes"])
async def test_acw_countdown_then_timeout_saves_what_was_typed_once(tmp_path: Path, notes: str) -> None:
    """The queue's rule is time-boxed: the timeout saves the notes with the chosen code, written once, and
    says so truly: the code the CRM got, notes or none, and the contact center's own code."""
    mocks = InProcessMocks(scene_settings(tmp_path))
    try:
        await mocks.set_acw_timeout("billing", ACW_TIMEOUT_S)
        # Every notice it showed is kept: a toast lasts 5 s of real time, which the steps after the timeout can
        # outlast on a busy machine (read from the toasts on show, the notice was gone under load).
        app = desk_app(app_class=NoticedApp, backends=mocks.backends(), clock=mocks.clock.now)
        async with app.run_test(size=SIZE) as pilot:
            await go_available(pilot)
            contact = await end_and_type_wrap_up(pilot, mocks, notes)
            # (with no notes typed, nothing gives the form a turn to draw its clock before these are read)
            await wait_until(pilot, lambda: re.search(r"Wrap-up 0:0\d", screen_text(pilot, "#contacts")), "countdown")
            await wait_until(pilot, lambda: "closes in 0:0" in screen_text(pilot, "#wrap-up-clock"), "the form's clock")
            chosen = str(pilot.app.screen.query_one("#disposition", Select).value)

            mocks.time.advance(ACW_TIMEOUT_S)
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TimedOutNotice", "said over the desk")
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved by itself")
            assert mocks.engine.read.contact(contact.id).disposition == "ACW timeout"
            with_notes = "with your notes." if notes else "with no notes (none were typed)."
            assert (
                f"Wrap-up: Wrap-up time ran out: saved to the CRM as {chosen}, {with_notes} "
                "The contact center closed the contact as ACW timeout."
            ) in getattr(app, "said", [])
            await pilot.pause(0.1)
        interactions = [
            i for i in await mocks.crm().list_interactions(f"cus-{CALLER_INDEX + 1:06d}") if i.agent_id == "agent-001"
        ]
        assert [(i.notes, i.disposition) for i in interactions] == [(notes, chosen)]
    finally:
        await mocks.aclose()


async def test_acw_countdown_then_timeout_keeps_the_wrap_up_and_saving_writes_it(tmp_path: Path) -> None:
    """A contact center that gives no wrap-up rules: the timed-out wrap-up waits on screen for ctrl+s."""
    mocks = InProcessMocks(scene_settings(tmp_path))
    try:
        await mocks.set_acw_timeout("billing", ACW_TIMEOUT_S)
        backends = mocks.backends(capabilities=ContactCenterCapabilities(wrap_up_rules=False))
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            notes = "Explained the late fee; will call back."
            contact = await end_and_type_wrap_up(pilot, mocks, notes)
            # The countdown is on screen: in the list, the selected contact's details and the wrap-up.
            assert re.search(r"Wrap-up 0:0\d", screen_text(pilot, "#contacts"))
            assert "left" in screen_text(pilot, "#contact-detail")
            assert present(pilot.app.screen.query_one("#wrap-up").border_subtitle).startswith("closes in 0:0")

            mocks.time.advance(ACW_TIMEOUT_S)
            await wait_until(pilot, lambda: "Timed out" in screen_text(pilot, "#contacts"), "the ACW timeout")
            completed = mocks.engine.read.contact(contact.id)
            assert (completed.state, completed.disposition) == ("completed", "ACW timeout")
            assert "Closed by the after-contact-work timeout" in screen_text(pilot, "#contact-detail")
            assert pilot.app.screen.query_one("#notes", TextArea).text == notes, "what the agent typed is still there"
            assert await crm_notes(mocks) == [], "nothing written yet"

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            assert not [n for n in notifications(pilot.app) if n.severity == "error"]
        assert await crm_notes(mocks) == [notes]
    finally:
        await mocks.aclose()


async def test_a_timeout_racing_the_save_is_treated_as_done(tmp_path: Path) -> None:
    """The timeout completes the contact while the desktop has not heard of it yet: the completion the desktop
    sends is refused with 409 "completed", and the wrap-up still counts as saved."""
    mocks = InProcessMocks(scene_settings(tmp_path))
    try:
        await mocks.set_acw_timeout("billing", ACW_TIMEOUT_S)
        backends = mocks.backends(capabilities=ContactCenterCapabilities(wrap_up_rules=False))
        async with desk_app(backends, clock=mocks.clock.now).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            notes = "Raced the timer."
            contact = await end_and_type_wrap_up(pilot, mocks, notes)
            screen = agent_screen(pilot)
            held = screen.desk.held[contact.id]
            in_acw = held.contact
            mocks.time.advance(ACW_TIMEOUT_S)
            await wait_until(pilot, lambda: held.phase is Phase.TIMED_OUT, "the timeout")
            # Roll the desk back to before the completed event arrived.
            held.phase, held.contact = Phase.WRAP_UP, in_acw
            with pytest.raises(BackendError) as late:
                await mocks.contact_center().complete_contact(contact.id, "Resolved")
            assert (late.value.status, late.value.state) == (409, "completed")

            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
            assert "Not saved" not in screen_text(pilot, "#wrap-up-status")
        assert await crm_notes(mocks) == [notes]
    finally:
        await mocks.aclose()
