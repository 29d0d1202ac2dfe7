"""Two backend records with the same id (a CRM or directory bug, or a hostile backend) do not crash a dialog.

Options used to be keyed by the backend's id, and Textual refuses two options with one id
(`DuplicateID`): the transfer dialog, the customer pickers and the supervisor's choice picker quit the
desktop. Options are now keyed by position, and the one chosen is the one under the cursor.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import App
from textual.screen import Screen

from agent_desktop.domain.models import (
    Availability,
    Case,
    Contact,
    ContactState,
    Customer,
    Expert,
    Presence,
    Queue,
    TargetKind,
)
from agent_desktop.ui.agent.callers.case_dialog import CaseDialog
from agent_desktop.ui.agent.callers.customer_picker import CustomerPicker
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.shared.choice_picker import ChoicePicker
from tests.support.hostile_models import AT, hostile
from tests.support.narrowing import present

T = TypeVar("T")


def _expert(name: str, address: str) -> Expert:
    return Expert(
        id="same", name=name, address=address, presence=Presence(availability=Availability.AVAILABLE, changed_at=AT)
    )


async def _choose(dialog: Screen[T], *keys: str) -> list[T | None]:
    chosen: list[T | None] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(dialog, chosen.append)

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press(*keys)
        await pilot.pause()
        assert app.is_running
    return chosen


async def test_the_transfer_dialog_with_two_experts_and_two_queues_of_one_id() -> None:
    contact = hostile(Contact, "x", state=ContactState.CONNECTED)
    queues = [Queue(id="q", name="Billing"), Queue(id="q", name="Sales")]
    experts = [_expert("Ann Able", "sip:ann@x"), _expert("Bob Best", "sip:bob@x")]
    (chosen,) = await _choose(TransferDialog(contact, queues, experts), "3", "down", "enter")
    choice = present(chosen)
    assert (choice.target.kind, choice.target.id, choice.target.name) == (TargetKind.ADDRESS, "sip:bob@x", "Bob Best")
    (chosen,) = await _choose(TransferDialog(contact, queues, experts), "1", "down", "enter")
    choice = present(chosen)
    assert (choice.target.id, choice.target.name) == ("q", "Sales")


async def test_the_customer_picker_and_the_choice_picker_with_one_id_twice() -> None:
    twins = [Customer(id="c-1", name="Ann Able"), Customer(id="c-1", name="Ann Able (old)")]
    assert await _choose(CustomerPicker(twins, "+15125550100"), "down", "enter") == ["c-1"]
    assert await _choose(ChoicePicker("Move to…", [("q", "Billing"), ("q", "Billing again")]), "down", "enter") == ["q"]


async def test_the_case_dialog_with_a_case_id_twice_links_the_one_chosen() -> None:
    cases = [hostile(Case, "x", id="CASE-1", subject="First"), hostile(Case, "x", id="CASE-1", subject="Second")]
    (chosen,) = await _choose(CaseDialog(cases, "Ann Able"), "down", "down", "enter")
    choice = present(chosen)
    assert (choice.action, choice.case_id) == ("link", "CASE-1")
