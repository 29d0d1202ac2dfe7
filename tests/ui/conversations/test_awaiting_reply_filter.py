"""Awaiting our reply on the agent's contacts list: a conversation whose customer wrote last is marked ↩
and counted on the list; `A` shows only those (and the selected contact), `A` again every contact. Reading it or a
private note never clears it, only the agent's reply does; and a desk started again on the same contact center
shows the same marks, read from the contact center, not from what the first desk kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot

from agent_desktop.ui.agent.contacts.contact_list import ContactList
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import go_available, loaded, scene_app, scene_mocks, take, wait_until
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen, type_burst


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


def contact_list(pilot: Pilot[None]) -> ContactList:
    return pilot.app.screen.query_one("#contacts", ContactList)


def rows(pilot: Pilot[None]) -> dict[str, str]:
    """Each row shown, by contact id: its Contact cell as the agent reads it."""
    table = contact_list(pilot)
    return {str(row.value): table.get_cell(str(row.value), "contact").plain for row in table.rows}


def subtitle(pilot: Pilot[None]) -> str:
    return Content.from_markup(str(contact_list(pilot).border_subtitle or "")).plain


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_awaiting_reply_mark_count_and_filter(mocks: InProcessMocks, size: tuple[int, int]) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        answered = await take(pilot, mocks, "ann@example.com", "chat", "Charged twice this month")
        waiting = await take(pilot, mocks, "bo@example.com", "chat", "Where is my parcel?")
        await wait_until(pilot, lambda: "2 awaiting reply (A)" in subtitle(pilot), lambda: subtitle(pilot))
        assert all("↩" in cell for cell in rows(pilot).values()), rows(pilot)

        agent_screen(pilot).desk.select(answered)
        await pilot.press("i")
        await type_burst(pilot, "Refund on its way.")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "↩" not in rows(pilot).get(answered, "↩"), lambda: f"replied: {rows(pilot)}")
        assert "↩" in rows(pilot)[waiting]
        assert "1 awaiting reply (A)" in subtitle(pilot)

        await pilot.press("escape", "A")  # out of the composer; only those awaiting our reply
        await wait_until(pilot, lambda: list(rows(pilot)) == [waiting], lambda: f"filtered: {rows(pilot)}")
        assert subtitle(pilot) == "Awaiting reply: 1 of 2 · A shows all"
        assert agent_screen(pilot).desk.selected_id == waiting

        await pilot.press("i", "ctrl+t")  # a private note is not a reply
        await type_burst(pilot, "Parcel lost, check with the courier")
        await pilot.press("enter", "escape")
        await wait_until(
            pilot,
            lambda: bool(agent_screen(pilot).desk.conversations.private_notes(waiting)),
            "the note kept",
        )
        assert list(rows(pilot)) == [waiting]
        assert "↩" in rows(pilot)[waiting]

        await pilot.press("A")
        await wait_until(pilot, lambda: set(rows(pilot)) == {answered, waiting}, lambda: f"all again: {rows(pilot)}")
        assert "1 awaiting reply (A)" in subtitle(pilot)

    async with scene_app(mocks).run_test(size=size) as pilot:  # the desk started again (Busy: its chats in hand)
        await wait_until(pilot, lambda: set(rows(pilot)) == {answered, waiting}, lambda: f"in hand: {rows(pilot)}")
        await wait_until(pilot, lambda: "↩" in rows(pilot)[waiting], lambda: f"still awaiting: {rows(pilot)}")
        assert "↩" not in rows(pilot)[answered]
        assert "1 awaiting reply (A)" in subtitle(pilot)
