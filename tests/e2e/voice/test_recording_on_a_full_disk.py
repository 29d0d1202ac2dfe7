"""A recording folder that fills up stops the call's recording, not the call (docs/voice.md "Recording"):
on a real small filesystem (a tmpfs, tests/support/small_disk.py) filled to its last byte, the recording's next write
is refused; the recording says it stopped and why, takes no more audio without failing the relay that hands it
over, and what it wrote before is still a WAV that plays."""

from __future__ import annotations

import wave
from array import array
from pathlib import Path

from agent_desktop_mocks.ccaas.voice.media.call_recording import RATE, Recordings
from tests.support.small_disk import small_disk

SPEECH = array("h", [1000] * (RATE // 4)).tobytes()  # a quarter of a second said


def test_a_full_recording_folder_stops_the_recording_and_says_why(tmp_path: Path) -> None:
    with small_disk(tmp_path / "recordings", size="1m") as disk:
        now = [0.0]
        recordings = Recordings(disk.path, now=lambda: now[0])
        recording = recordings.start("c-1", audio=True)
        for _ in range(4):  # a second recorded
            now[0] += 0.25
            recording.add("customer", SPEECH, now[0])
            recording.flush(now[0])
        assert recording.state() == "recording"
        disk.fill()
        for _ in range(8):  # the call goes on: the relay keeps handing its audio over
            now[0] += 0.25
            recording.add("customer", SPEECH, now[0])
            recording.flush(now[0])
        described = recording.describe(now[0])
        recording.close(now[0])
        disk.free()
        assert recording.path is not None
        with wave.open(str(recording.path)) as written:
            kept = written.getnframes()
    assert described.state == "stopped"
    assert described.stopped_reason == "the recording could not be written: No space left on device"
    # what was written of the second before the disk filled (the timeline runs half a second behind), and what still
    # fitted in the file's last page; not the call's 3 s
    assert RATE // 2 <= kept < 3 * RATE, f"{kept} samples kept of a call of {3 * RATE}"
