"""The agent pauses a call's recording from the desk (docs/voice.md "Recording, paused for card data"):
`P` on a call in hand pauses it at the contact center, the call's row says so in the warning colour with how long
(kept while the call is on hold), a pause past three minutes said once, `P` again resumes it; a contact center that cannot pause a recording never offers
the key, and says why in the help."""

from __future__ import annotations

import re

from textual.pilot import Pilot

from agent_desktop.agent_desk.commands import Where, enabled, why_not
from agent_desktop.agent_desk.voice.recording_pauses import LONG_PAUSE_S
from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, go_available, loaded, receive_offer, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text

PAUSED = "No REC"


def told(pilot: Pilot[None]) -> int:
    return sum("recording has been paused for 03:0" in str(n.message) for n in notifications(pilot.app))


def paused_at_the_contact_center(mocks: InProcessMocks, contact_id: str) -> bool:
    recording = mocks.ccaas_app.state.voice_leg.recordings.of(contact_id)
    return recording is not None and recording.paused


async def test_p_pauses_the_calls_recording_and_its_row_says_so_through_a_hold(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await accept(pilot)
        desk = agent_screen(pilot).desk
        contact_id = desk.selected_id
        assert contact_id is not None
        assert PAUSED not in screen_text(pilot, "#contacts")
        await pilot.press("P")
        await wait_until(pilot, lambda: PAUSED in screen_text(pilot, "#contacts"), "the row to say recording is off")
        assert paused_at_the_contact_center(mocks, contact_id)
        assert enabled(desk, Where())["toggle_recording"]  # P again resumes it
        await pilot.press("h")
        await wait_until(pilot, lambda: "On hold" in screen_text(pilot, "#contact-detail"), "the hold")
        await pilot.pause()
        assert PAUSED in screen_text(pilot, "#contacts"), "the hold hid that the recording is off"
        assert paused_at_the_contact_center(mocks, contact_id)
        mocks.time.advance(LONG_PAUSE_S)  # the pause forgotten: said once
        await wait_until(pilot, lambda: told(pilot), "the agent to be told the pause is long")
        assert re.search(rf"{PAUSED} 03:0\d", screen_text(pilot, "#contacts")), "the pause's time, whole in its cell"
        await pilot.press("P")
        await wait_until(pilot, lambda: PAUSED not in screen_text(pilot, "#contacts"), "the row to drop it")
        assert told(pilot) == 1
        assert not paused_at_the_contact_center(mocks, contact_id)


async def test_a_contact_center_that_cannot_pause_a_recording_offers_no_key_and_says_why(
    mocks: InProcessMocks,
) -> None:
    narrower = ContactCenterCapabilities(flags=True, broadcasts=True, quality=True, recording_pause=False)
    app: AgentDesktopApp = desk_app(mocks.backends(capabilities=narrower), clock=mocks.clock.now)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await accept(pilot)
        desk = agent_screen(pilot).desk
        assert not enabled(desk, Where())["toggle_recording"]
        assert why_not("toggle_recording", desk) == "this contact center cannot pause a call's recording"
        await pilot.press("P")
        await pilot.pause()
        assert PAUSED not in screen_text(pilot, "#contacts")
