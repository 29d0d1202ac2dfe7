"""The customer's timeline on the card, Pilot[None] on in-process backends over the mock CRM's own store: a
customer with a call, a chat, a case, a callback and an evaluation shows them in time order, newest first, under
their consent; a summary holding markup is drawn as written (the scene is `agent-timeline`'s)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from agent_desktop.ui.agent.callers.card_tabs import CardTabs
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import card_text
from tests.support.scenes.timeline_scene import HOSTILE, journey_written, timeline_shown


async def test_a_customers_journey_is_one_time_ordered_list_with_their_consent(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))
    customer_id = await journey_written(mocks)
    with sqlite3.connect(tmp_path / "crm.db") as db:
        sms, marketing = db.execute(
            "select consent_sms, consent_marketing from customers where id = ?", [customer_id]
        ).fetchone()
    try:
        async with scene_app(mocks).run_test(size=SIZE) as pilot:
            await timeline_shown(pilot, mocks)
            lines = card_text(pilot, "history").splitlines()
            yes_no = {True: "yes", False: "no", None: "?"}
            assert lines[0].startswith("consent now |  | ☎ yes · ")
            assert f"✆ {yes_no[None if sms is None else bool(sms)]}" in lines[0]
            assert f"marketing {yes_no[None if marketing is None else bool(marketing)]}" in lines[0]
            kinds = [line.split(" | ")[2].partition(":")[0].partition(" · ")[0] for line in lines[1:6]]
            assert kinds == ["case opened", "evaluation", "callback", "chat", "call"], lines[:7]
            assert "evaluation · agent-001: Voice standard · 90% · by Sam" in lines[2]
            assert " | → ☎ | " in lines[3]
            assert f"chat · agent-001: Refund issued · {HOSTILE}" in lines[4], "markup in a summary is text"
            await pilot.press("down", "down", "down", *["right"] * 10)  # to the chat's line, its summary in view
            await pilot.pause()
            assert "[@click=app.quit]x[/] [b]agent" in screen_lines(pilot), "drawn as written"
            assert pilot.app.is_running
    finally:
        await mocks.aclose()


async def test_the_last_line_loads_the_older_page_each_item_once(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))
    customer_id = await journey_written(mocks)
    crm = mocks.crm()
    for n in range(60):  # more than a page (50) with the journey's and the seeded lines
        await crm.add_note(customer_id, f"note {n}", None, f"note-{n}")
    try:
        async with scene_app(mocks).run_test(size=SIZE) as pilot:
            await timeline_shown(pilot, mocks, until="Older")
            first = card_text(pilot, "history").splitlines()
            # a page of 50, and the record's own lines older than it (merged in, each once), then "Older"
            assert first[-1].endswith("Older: enter loads the next page")
            assert len(first) >= 1 + 50 + 1
            await pilot.press("end", "enter")
            await wait_until(pilot, lambda: "Older" not in card_text(pilot, "history"), "the older page")
            lines = card_text(pilot, "history").splitlines()[1:]
            notes = [line for line in lines if ": note " in line]
            assert len(notes) == 60, "every note, once"
            assert len(set(lines)) == len(lines), "every note, once"
            assert pilot.app.screen.query_one("#customer-tabs", CardTabs).cursor_row == len(first) - 1, (
                "the cursor stays"
            )
    finally:
        await mocks.aclose()
