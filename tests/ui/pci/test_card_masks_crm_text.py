"""The customer card never draws a card number the CRM holds: a name, notes or an address someone
typed into the CRM itself with a card number in it is masked as the desk reads it (`CustomerText`), so the
card, its tabs and everything else drawn from the record show the last four only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.models import CustomerRecord
from agent_desktop_mocks.demo_people import callers
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, scene_settings, wait_until
from tests.support.pci_cards import gives_away, words, written_card
from tests.support.scenes.pilot_steps import go_available

AT = "2026-11-23T09:00:00Z"


async def test_a_crm_name_holding_a_card_number_is_drawn_masked_on_the_card(tmp_path: Path) -> None:
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    with sqlite3.connect(tmp_path / "crm.db") as db:  # typed into the CRM itself, not through the desk
        changed = db.execute(
            "update customers set name = ?, notes = ? where name = ?",
            [f"{caller.name} 4111x1111x1111x1111", "Paid with 5555 5555 5555 4444, c v v 123", caller.name],
        ).rowcount
    assert changed == 1
    try:
        async with scene_app(mocks).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await mocks.place_call(caller.phone_e164)
            await wait_until(pilot, lambda: caller.name in screen_lines(pilot), "the card")
            shown = screen_lines(pilot)
            assert f"{caller.name} •••• 1111" in shown
            assert not gives_away("4111111111111111", shown), shown
            assert not gives_away("5555555555554444", shown), shown
    finally:
        await mocks.aclose()


@given(written_card(), words, st.sampled_from(["name", "notes", "address", "contact_hours"]))
def test_every_free_text_of_a_crm_record_is_masked_as_it_is_read(
    card: tuple[str, list[str]], word: str, field: str
) -> None:
    digits, pieces = card
    text = f"{word} {''.join(pieces)}"
    customer = {"id": "cus-1", "name": "Ana Diaz", field: text}
    record = CustomerRecord.model_validate(
        {
            "customer": customer,
            "cases": [{"id": "k-1", "customer_id": "cus-1", "subject": text, "status": "open", "opened_at": AT}],
            "interactions": [{"id": "i-1", "channel": "chat", "summary": text, "notes": text, "created_at": AT}],
        }
    )
    drawn = [
        getattr(record.customer, field),
        record.cases[0].subject,
        record.interactions[0].summary,
        record.interactions[0].notes,
    ]
    assert not any(gives_away(digits, value) for value in drawn), drawn
