"""A callback's note is the agent's or the customer's words, and a card number said on the call ends up there: my day
draws today's callbacks with their note masked, as the offer card masks the same note once it falls due, whatever
the contact center kept (the mock masks it on arrival; another vendor may keep it as typed)."""

from __future__ import annotations

from datetime import timedelta

from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from agent_desktop_mocks.ccaas.scheduled.schemas import CallbackSchedule
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, accept, caller, go_available, loaded, scene_app, wait_until
from tests.support.scenes.pilot_steps import screen_text

CARD = "4111 1111 1111 1111"


async def test_my_day_masks_a_card_number_in_a_callbacks_note(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact = await mocks.place_call(caller(mocks, 4).phone_e164, subject="Card call")
        await wait_until(pilot, lambda: "Card call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        # Kept as typed, as a contact center without the mock's redaction keeps it (not validated on purpose).
        kept_as_typed = CallbackSchedule.model_construct(
            contact_id=contact.id,
            due_at=mocks.clock.now() + timedelta(minutes=30),
            time_zone="UTC",
            note=CARD,
            number=None,
        )
        mocks.ccaas_app.state.scheduled_callbacks.schedule("agent-001", kept_as_typed)

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        shown = screen_text(pilot, "#my-day-callbacks")
        assert "•••• 1111" in shown
        assert "4111" not in shown, shown
