"""By keys on the in-process backends: the SLA clocks of a chat in the contacts list and on its card
(counting down, warning, "now" once breached, off once the agent answers, a next-reply clock when the customer
writes again), and a time-boxed wrap-up: the rule's countdown, a disposition picked from its tree by typing part of
it (ctrl+o), more time asked for (ctrl+g) as far as the rule allows, a no-early-exit wrap-up kept until its
deadline, and the timeout saving what was typed, written to the CRM once. A contact center that declares both
capabilities off shows no clock, no rule and no ctrl+g. Each at 80×24 too."""

from __future__ import annotations

import pytest
from rich.style import Style
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList, Select

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.agent.contacts.desk_contacts import DeskContacts
from agent_desktop.ui.agent.wrap_up.disposition_picker import DispositionPicker
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    accept,
    caller,
    go_available,
    loaded,
    scene_app,
    take,
    wait_until,
)
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen, screen_text

SMALL = (80, 24)


def state_cell(pilot: Pilot[None], contact_id: str) -> Text:
    return pilot.app.screen.query_one("#contacts", DeskContacts).get_cell(contact_id, "state")


def level_style(pilot: Pilot[None], level: str) -> Style:
    return pilot.app.screen.query_one("#contacts").get_component_rich_style(f"contact-list--sla-{level}")


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_a_chats_sla_clock_counts_down_warns_breaches_and_stops_when_answered(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        # Billing's chats: a first reply within 60 s, a warning past 75 % of it (agent_desktop_mocks/ccaas/core/contact_policy.py).
        await wait_until(
            pilot, lambda: "1st reply in 1:00" in screen_text(pilot, "#contact-detail"), "the clock on the card"
        )
        assert state_cell(pilot, contact_id).plain == "Connected", "a wait under ten seconds reads Connected"
        mocks.time.advance(10)
        await wait_until(pilot, lambda: state_cell(pilot, contact_id).plain == "Reply 0:50", "the clock in the list")
        assert state_cell(pilot, contact_id).style == level_style(pilot, "ok")
        assert "1st reply in 0:50" in screen_text(pilot, "#contact-detail")

        mocks.time.advance(40)
        await wait_until(pilot, lambda: state_cell(pilot, contact_id).plain == "Reply 0:10", "ten seconds left")
        assert state_cell(pilot, contact_id).style == level_style(pilot, "near")
        mocks.time.advance(15)
        await wait_until(pilot, lambda: state_cell(pilot, contact_id).plain == "Reply now", "the breach")
        assert state_cell(pilot, contact_id).style == level_style(pilot, "breached")
        await wait_until(
            pilot, lambda: "1st reply due now" in screen_text(pilot, "#contact-detail"), "due now on the card"
        )

        await pilot.press("i", *"Sorry for the wait, looking now.", "enter", "escape")
        await wait_until(
            pilot, lambda: not state_cell(pilot, contact_id).plain.startswith("Reply"), "the clock stopped"
        )
        assert "reply" not in screen_text(pilot, "#contact-detail").lower().replace("replies", "")

        await mocks.customer_says(contact_id, "Thanks, it was on the 3rd.")
        # The next reply is due within 90 s of the customer's message.
        await wait_until(pilot, lambda: "Next reply in 1:30" in screen_text(pilot, "#contact-detail"), "the next clock")
        mocks.time.advance(10)
        await wait_until(pilot, lambda: state_cell(pilot, contact_id).plain == "Reply 1:20", "the next clock listed")


async def crm_interactions(mocks: InProcessMocks, customer_id: str) -> list[tuple[str | None, str | None]]:
    written = await mocks.crm().list_interactions(customer_id)
    return [(i.disposition, i.notes) for i in written if i.agent_id == "agent-001"]


async def call_in_wrap_up(pilot: Pilot[None], mocks: InProcessMocks) -> tuple[str, str]:
    """A seeded caller rings, `a` accepts, `e` ends: the wrap-up is open (contact id, customer id)."""
    who = caller(mocks, 4)
    contact = await mocks.place_call(who.phone_e164, subject="Timed wrap-up")
    await wait_until(pilot, lambda: "Timed wrap-up" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    desk = agent_screen(pilot).desk
    await wait_until(pilot, lambda: (lookup := desk.lookups.get(contact.id)) is not None and lookup.done, "the pop")
    customer_id = present(desk.lookups[contact.id].record).customer.id
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    return contact.id, customer_id


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
async def test_a_time_boxed_wrap_up_picked_by_typing_extended_then_saved_by_its_timeout_once(
    mocks: InProcessMocks, size: tuple[int, int]
) -> None:
    await mocks.set_wrap_up_rule(
        "billing",
        "voice",
        mode="time_boxed",
        timeout_s=20,
        extension_s=30,
        max_extensions=1,
        default_disposition="Resolved",
    )
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id, customer_id = await call_in_wrap_up(pilot, mocks)

        def clock() -> str:
            return screen_text(pilot, "#wrap-up-clock")

        await wait_until(pilot, lambda: "closes in 0:20" in clock(), "the countdown")
        assert "then saved as Resolved" in clock()
        assert "+0:30 on request (1 left)" in clock()

        await pilot.press("w", "ctrl+o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DispositionPicker), "the picker")
        options = pilot.app.screen.query_one("#disposition-options", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown[:4] == ["Settled", "  Resolved", "  Payment arrangement", "  Refund issued"], "the tree"
        await pilot.press(*"rfnd")
        await wait_until(pilot, lambda: options.option_count == 2, "cut to Refund issued under its category")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, DispositionPicker), "the picker closed")
        assert pilot.app.screen.query_one("#disposition", Select).value == "Refund issued"
        assert present(pilot.app.focused).id == "notes", "the notes next"
        await pilot.press(*"Refund on its way.")

        assert "More time" in palette_titles(pilot.app)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: "closes in 0:50" in clock(), "thirty seconds more")
        assert "on request" not in clock(), "none left"
        assert "More time" not in palette_titles(pilot.app), "no key offered once none is left"

        mocks.time.advance(50)
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TimedOutNotice", "said over the desk")
        await pilot.press(*" and more typing", "n", "a")  # the agent typing on: no key of the desk runs
        assert type(pilot.app.screen).__name__ == "TimedOutNotice"
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "saved by the timeout")
        await wait_until(
            pilot,
            lambda: agent_screen(pilot).desk is not None and "0 pending" in screen_text(pilot, "#outbox-status"),
            "sent",
        )
        assert mocks.engine.read.contact(contact_id).disposition == "Resolved", "the contact center's default"
    assert await crm_interactions(mocks, customer_id) == [("Refund issued", "Refund on its way.")]


async def test_no_early_exit_keeps_the_wrap_up_until_its_deadline_then_saves_it(mocks: InProcessMocks) -> None:
    await mocks.set_wrap_up_rule("billing", "voice", mode="time_boxed_no_early_exit", timeout_s=20, extension_s=0)
    async with scene_app(mocks).run_test(size=SMALL) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id, customer_id = await call_in_wrap_up(pilot, mocks)
        await pilot.press("w", "enter", "down", "enter", "tab", *"Typed early.", "ctrl+s")
        await wait_until(pilot, lambda: "No early exit" in screen_text(pilot, "#wrap-up-status"), "refused early")
        assert "Wrap-up" in screen_text(pilot, "#contacts")
        assert "More time" not in palette_titles(pilot.app)
        mocks.time.advance(20)
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TimedOutNotice", "said over the desk")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "saved at the deadline")
        await wait_until(pilot, lambda: "0 pending" in screen_text(pilot, "#outbox-status"), "sent")
    written = await crm_interactions(mocks, customer_id)
    assert len(written) == 1
    assert written[0][1] == "Typed early."


async def test_a_contact_center_without_policies_shows_no_clock_no_rule_and_offers_no_more_time(
    mocks: InProcessMocks,
) -> None:
    off = ContactCenterCapabilities(sla_clocks=False, wrap_up_rules=False)
    app = desk_app(mocks.backends(capabilities=off), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        mocks.time.advance(65)
        await wait_until(pilot, lambda: "Waits" in state_cell(pilot, contact_id).plain, "the old Waits timer")
        assert "reply" not in screen_text(pilot, "#contact-detail").lower()
        await pilot.press("i", *"Hello", "enter", "escape")
        await pilot.press("e")
        await wait_until(
            pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts") or pilot.app.screen.query("#confirm"), "end"
        )
        if "Wrap-up" not in screen_text(pilot, "#contacts"):
            await pilot.press("enter")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        assert not pilot.app.screen.query_one("#wrap-up-clock").display
        assert "More time" not in palette_titles(pilot.app)
