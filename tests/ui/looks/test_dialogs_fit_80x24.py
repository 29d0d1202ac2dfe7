"""At 80×24 every dialog is inside the terminal: the outbox, the case and customer dialogs (90 wide), the quick
responses and a past transcript (100) were cut at the right edge, their right border and last columns gone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen

from agent_desktop.domain.models import Channel, Interaction
from agent_desktop.ui.agent.callers.case_dialog import CaseDialog
from agent_desktop.ui.agent.conversations.quick_response_picker import QuickResponsePicker
from agent_desktop.ui.agent.conversations.transcript_viewer import TranscriptViewer
from agent_desktop.ui.agent.outbox.outbox_view import OutboxView

DIALOGS: dict[str, Callable[[], Screen[Any]]] = {
    "outbox": lambda: OutboxView([]),
    "case": lambda: CaseDialog([], "Ann Example"),
    "quick responses": lambda: QuickResponsePicker([], {}, Channel.CHAT),
    "past transcript": lambda: TranscriptViewer(
        Interaction(id="i-1", channel=Channel.CHAT, created_at=datetime(2026, 11, 24, tzinfo=UTC))
    ),
}


@pytest.mark.parametrize("name", DIALOGS)
async def test_the_dialog_is_inside_an_80_by_24_terminal(name: str) -> None:

    app = App[None]()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = DIALOGS[name]()
        await app.push_screen(dialog)
        await pilot.pause()
        box = dialog.children[0]
        assert dialog.region.contains_region(box.region), f"{name}: {box.region} in an 80×24 terminal"
