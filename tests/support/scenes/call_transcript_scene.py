"""Screen for `make screenshots`: a call's live transcript on the agent's desk, the caller annoyed (the mood
on the area's title, "upset" on the call's row) and their next line still being heard. On the in-process mocks, whose
clock the scene steps while the mock's caller and agent speak: every run the same."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from agent_desktop.ui.shared.call_transcript_view import CallTranscriptView
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import accept, caller, go_available, loaded, scene_app, scene_mocks, wait_until
from tests.support.scenes.pilot_steps import screen_text

SIZE = (120, 40)
HEARING_LINE = 5  # the caller's third line ("How long will that take? …"), caught half heard


def _half_heard(pilot: Pilot[None]) -> bool:
    calls = pilot.app.screen.desk.calls  # type: ignore[attr-defined]
    lines = [line for call in calls.values() for line in call.lines]
    return len(lines) > HEARING_LINE and not lines[HEARING_LINE].final and len(lines[HEARING_LINE].text.split()) >= 6


async def call_with_transcript(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    await loaded(pilot)
    await go_available(pilot)
    await mocks.place_call(caller(mocks, 4).phone_e164)
    await wait_until(pilot, lambda: "Billing" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    for _ in range(400):
        if _half_heard(pilot):
            break
        mocks.time.advance(0.1)
        await pilot.pause(0.01)
    view = pilot.app.screen.query_one(CallTranscriptView)
    await wait_until(pilot, lambda: "hearing…" in "\n".join(view.plain_lines()), "a line being heard")
    await wait_until(pilot, lambda: "upset" in screen_text(pilot, "#contacts"), "upset on the call's row")


async def capture_call_transcript(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        mocks = scene_mocks(Path(data_dir))
        try:
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                await call_with_transcript(pilot, mocks)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
