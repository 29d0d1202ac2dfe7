"""The agent is told when the contact center stops recording their call (docs/voice.md "Recording, paused
for card data"): the mock's recording meets a full disk (its WAV is `/dev/full`, which refuses every write with "No
space left on device"), stops, says so on the agent's stream, and the desk says it once; the call goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, go_available, loaded, receive_offer, scene_app, wait_until
from tests.support.scenes.pilot_steps import agent_screen, shows_connected

FULL_DISK = Path("/dev/full")


def told(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in notifications(pilot.app) if "stopped recording this call" in str(n.message)]


@pytest.mark.skipif(not FULL_DISK.exists(), reason="no /dev/full to stand for a full disk")
async def test_a_recording_stopped_by_a_full_disk_is_said_to_the_agent_once(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await receive_offer(pilot, mocks)
        await accept(pilot)
        contact_id = agent_screen(pilot).desk.selected_id
        assert contact_id is not None
        assert not told(pilot)
        recordings = mocks.ccaas_app.state.voice_leg.recordings
        recordings.folder.mkdir(parents=True, exist_ok=True)
        recordings.path_of(contact_id).symlink_to(FULL_DISK)  # the folder full: every write refused
        recording = recordings.start(contact_id, audio=True)  # as the media relay does when the call's sound comes
        recording.add("customer", b"\x01\x00" * 800, recordings.now())
        recording.flush(recordings.now() + 1.0)  # the relay's tick: the write meets the full disk
        assert recording.state() == "stopped", recording.describe(recordings.now())
        await wait_until(pilot, lambda: told(pilot), "the agent to be told the recording stopped")
        (notice,) = told(pilot)
        assert "No space left on device" in notice
        recording.flush(recordings.now() + 2.0)  # the next ticks write nothing, and say nothing again
        await pilot.pause()
        assert len(told(pilot)) == 1
        assert shows_connected(pilot), "the call went with its recording"
