"""Quality evaluations on the agent's desk, by keys on the in-process backends: a call taken and wrapped
up, scored by the supervisor with the voice form, reaches the agent as a notice (their stream, no polling); d shows
it in "my day" with its score and comments, and a acknowledges it, once, at the contact center."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import (
    accept,
    caller,
    go_available,
    loaded,
    scene_app,
    wait_until,
)
from tests.support.scenes.pilot_steps import screen_text


def told(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in notifications(pilot.app) if n.title == "Evaluation"]


async def test_a_released_evaluation_is_told_shown_in_my_day_and_acknowledged(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test() as pilot:
        await loaded(pilot)
        await go_available(pilot)
        contact = await mocks.place_call(caller(mocks, 4).phone_e164, subject="Evaluated call")
        await wait_until(pilot, lambda: "Evaluated call" in screen_text(pilot, "#offer"), "the offer")
        await accept(pilot)
        mocks.time.advance(30)
        await pilot.press("e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "tab", *"Sorted.", "ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")

        supervisor = mocks.supervisor()
        voice = next(f for f in await supervisor.evaluation_forms() if f.id == "voice-standard")
        answers = {q.id: len(q.scale) - 1 for q in voice.questions()} | {"resolution": 1}
        evaluation = await supervisor.evaluate(contact.id, voice.id, answers, "Offer the [b]refund[/b] on the call")
        await wait_until(pilot, lambda: any("75" in text for text in told(pilot)), "the notice")

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
        table = pilot.app.screen.query_one("#my-day-evaluations", DataTable)
        row = [str(getattr(c, "plain", c)) for c in table.get_row(evaluation.id)]
        assert (row[1], row[2], row[3], row[5]) == (contact.id, "Voice standard", "75", "—")
        assert "Offer the [b]refund[/b] on the call" in screen_text(pilot, "#my-day-evaluation-comments")  # literal

        def heading() -> str:
            return screen_text(pilot, "#my-day-evaluations-heading")

        assert "(1, 1 to acknowledge: a)" in heading()
        await pilot.press("a")
        await wait_until(
            pilot, lambda: str(getattr(table.get_row(evaluation.id)[5], "plain", "")) == "yes", "acknowledged"
        )
        await wait_until(pilot, lambda: "(1, 0 to acknowledge: a)" in heading(), "the count under way at once")
        kept = mocks.ccaas_app.state.quality.evaluation(evaluation.id, supervisor._who)
        assert kept.acknowledged_at is not None
        await pilot.press("a")  # once: an acknowledged evaluation is not sent again
        await pilot.pause()
        assert not [n for n in notifications(pilot.app) if n.severity == "error"]
