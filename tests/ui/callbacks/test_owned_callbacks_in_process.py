"""Callbacks an agent owns, by keys on the in-process backends: on a call in hand, b opens the dialog
with the customer's (else the agent's) zone and a time an hour ahead; an impossible date, an unknown zone and a
past time are said in the dialog and nothing typed is lost; scheduled, it comes due an hour later and is offered to
this agent as a callback; d shows it among today's callbacks with both times and its state. A contact center that
keeps no callbacks for an agent offers no such key."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.domain.capabilities import ContactCenterCapabilities
from agent_desktop.ui.agent.callbacks.callback_dialog import CallbackDialog
from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from agent_desktop.ui.textual_compat import notifications
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    SIZE,
    accept,
    caller,
    go_available,
    loaded,
    scene_app,
    wait_until,
)
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.pilot_steps import agent_screen, offer_in_front, screen_text
from tests.support.typist import looks_first


def dialog(pilot: Pilot[None]) -> CallbackDialog | None:
    screen = pilot.app.screen
    return screen if isinstance(screen, CallbackDialog) else None


async def retype(pilot: Pilot[None], *keys: str) -> None:
    """Replace the focused field's text: home, delete to the end, type."""
    await pilot.press("ctrl+a", "ctrl+k", *keys)


async def refused_with(pilot: Pilot[None], words: str) -> None:
    await pilot.press("enter")
    await wait_until(pilot, lambda: words in str(present(dialog(pilot)).error.render()), words)


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
async def test_b_schedules_a_callback_offered_to_the_same_agent_when_due(
    mocks: InProcessMocks, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with scene_app(mocks).run_test(size=size) as pilot:
        await loaded(pilot)
        monkeypatch.setattr(agent_screen(pilot).controller.callbacks, "own_zone", lambda: "Europe/Paris")
        await go_available(pilot)
        phone = caller(mocks, 4).phone_e164
        await mocks.place_call(phone, subject="Refund call")
        await wait_until(pilot, lambda: "Refund call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        assert "Callback" in palette_titles(pilot.app)

        await pilot.press("b")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the dialog")
        typed = present(dialog(pilot)).typed()
        # The scenes' clock is 14:30 UTC; the CRM keeps this customer in Puerto Rico (UTC-4): the draft is in their
        # time, an hour on, on the quarter hour (the agent's own zone, Paris, only when the CRM has none).
        assert (typed.day, typed.at, typed.zone) == ("2026-11-20", "11:30", "America/Puerto_Rico")
        await retype(pilot, *"2026-02-30")
        await refused_with(pilot, "No such date '2026-02-30'")
        await retype(pilot, *"2026-11-20")
        await pilot.press("tab")
        await retype(pilot, *"16:30")
        await pilot.press("tab")  # time → zone
        await retype(pilot, *"Mars/Olympus")
        await refused_with(pilot, "Unknown time zone 'Mars/Olympus'")
        assert present(dialog(pilot)).typed().day == "2026-11-20", "nothing typed is lost"
        await retype(pilot, *"Asia/Tokyo")  # 16:30 in Tokyo is 07:30 UTC: gone
        await refused_with(pilot, "That time has passed")
        await retype(pilot, *"Europe/Paris")
        await pilot.press("tab", *"Refund status")
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog(pilot) is None, "scheduled")
        (scheduled,) = mocks.ccaas_app.state.scheduled_callbacks.of_agent("agent-001")
        assert (scheduled.note, scheduled.time_zone, scheduled.number) == ("Refund status", "Europe/Paris", phone)
        said = [n.message for n in notifications(pilot.app) if n.title == "Callback scheduled"]
        assert said == ["Callback at 2026-11-20 16:30 Europe/Paris"], "the time as typed, not its UTC"

        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")
        await go_available(pilot)
        mocks.time.advance(59 * 60)
        await pilot.pause()
        assert "Refund status" not in screen_text(pilot, "#offer"), "never offered before its time"
        mocks.time.advance(61)
        await wait_until(pilot, lambda: "Refund status" in screen_text(pilot, "#offer"), "the callback offered")

        await looks_first(pilot)
        await pilot.press("d")  # my day, with the callback's offer pending: the offer comes over it
        await wait_until(pilot, lambda: offer_in_front(pilot.app) is not None, "the offer over my day")
        await looks_first(pilot)
        await pilot.press("escape")  # the offer back to its card, my day in front
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        table = pilot.app.screen.query_one("#my-day-callbacks", DataTable)
        row = [str(getattr(c, "plain", c)) for c in table.get_row(scheduled.id)]
        assert row[0] == "16:30"
        assert row[1] == "16:30 CET"
        assert row[3] == "Refund status"
        assert row[4] == "offered"
        region = pilot.app.screen.query_one(".my-day-box").region
        assert region.right <= size[0], "the panel fits the terminal"
        assert region.bottom <= size[1], "the panel fits the terminal"


async def test_a_contact_center_without_owned_callbacks_offers_no_key(mocks: InProcessMocks) -> None:
    off = ContactCenterCapabilities(owned_callbacks=False)
    app = desk_app(mocks.backends(capabilities=off), clock=mocks.clock.now)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call(caller(mocks, 4).phone_e164, subject="No callbacks")
        await wait_until(pilot, lambda: "No callbacks" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        assert "Callback" not in palette_titles(pilot.app)
        await pilot.press("b")
        await pilot.pause()
        assert dialog(pilot) is None


async def test_a_callers_number_no_phone_dials_is_refused_in_the_dialog(mocks: InProcessMocks) -> None:
    """A caller whose number is 300 digits (a switch's bug, a spoofed header) cannot be scheduled for a callback:
    the contact center's rule is said where the agent typed, and nothing is stored to dial."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call("+1" + "5" * 300, subject="Long number")
        await wait_until(pilot, lambda: "Long number" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the dialog")
        await refused_with(pilot, "E.164: + then 8 to 15 digits")
        assert mocks.ccaas_app.state.scheduled_callbacks.of_agent("agent-001") == []


async def test_escape_keeps_the_time_and_note_typed_for_the_contact_and_says_so(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        await mocks.place_call(caller(mocks, 4).phone_e164, subject="Refund call")
        await wait_until(pilot, lambda: "Refund call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the dialog")
        await pilot.press("tab")
        await retype(pilot, *"16:45")
        await pilot.press("tab", "tab", *"Call about the refund")
        typed = present(dialog(pilot)).typed()
        await pilot.press("escape")
        await wait_until(pilot, lambda: dialog(pilot) is None, "the dialog closed")

        def said() -> list[str]:
            return [n.message for n in notifications(pilot.app) if n.title == "Callback"]

        await wait_until(pilot, lambda: any("kept for this contact" in m for m in said()), "the notice")
        assert not mocks.ccaas_app.state.scheduled_callbacks.of_agent("agent-001"), "nothing scheduled"

        await pilot.press("b")  # the same contact: what was typed, as typed
        await wait_until(pilot, lambda: dialog(pilot) is not None, "the dialog again")
        assert present(dialog(pilot)).typed() == typed
        assert (typed.at, typed.note) == ("16:45", "Call about the refund")
        await pilot.press("enter")  # scheduled: the draft is done with
        await wait_until(pilot, lambda: dialog(pilot) is None, "scheduled")
        await pilot.press("b")
        await wait_until(pilot, lambda: dialog(pilot) is not None, "a fresh dialog")
        assert present(dialog(pilot)).typed().note == ""
