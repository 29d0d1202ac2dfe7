"""A line heard on a call repaints the call's area, not the screen: Textual renders, in a frame, every widget inside
the box around what changed (the widgets asked to repaint, as `Widget.refresh` is called), so a repaint of the selected contact's detail or the composer's count on the other side
of the screen (each line once did both) made every version of a line cost a whole screen. The desk's clock is held
still (its tick would repaint the status line and the counts each second, as it should); the mock's people speak."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget

from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.ui.transcripts.test_call_transcript_in_process import answered_call, heard, step_until

# What a line may repaint: the call's area and what is in it, the card's mood bars, the mood on the call's row.
MAY_REPAINT = {"call", "customer", "contacts"}


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    yield mocks
    await mocks.aclose()


@contextmanager
def repainted() -> Iterator[Counter[str]]:
    """The widgets on screen asked to repaint, by the id of the area they are in."""
    seen: Counter[str] = Counter()
    refresh = Widget.refresh

    def spy(widget: Widget, *regions: Any, **options: Any) -> Widget:
        if widget.is_attached and widget.display and widget.screen.is_current:
            area = next((w.id for w in widget.ancestors_with_self if w.id in MAY_REPAINT), None)
            seen[area or f"{type(widget).__name__}#{widget.id}"] += 1
        return refresh(widget, *regions, **options)

    Widget.refresh = spy  # type: ignore[method-assign,assignment]
    try:
        yield seen
    finally:
        Widget.refresh = refresh  # type: ignore[method-assign]


async def test_a_line_heard_on_a_call_repaints_its_area_alone(mocks: InProcessMocks) -> None:
    app = desk_app(mocks.backends(), clock=mocks.clock.now, status_clock_s=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await answered_call(pilot, mocks)
        await step_until(pilot, mocks, lambda: "How can I help" in heard(pilot), "the agent's greeting")
        await pilot.pause(0.2)
        before = heard(pilot)
        with repainted() as seen:
            await step_until(pilot, mocks, lambda: "annoyed about it." in heard(pilot), "the caller's complaint")
            await pilot.pause(0.2)
        assert heard(pilot) != before
    assert seen["call"] >= 3, f"the call's lines painted as they came: {seen}"
    assert set(seen) <= MAY_REPAINT, f"repainted besides the call's area, the card and the row: {seen}"
