"""Quality evaluations on the agent's desk, by keys on the in-process backends: a call taken and wrapped
up, scored by the supervisor with the voice form, reaches the agent as a notice (their stream, no polling); d shows
it in "my day" with its score and comments, and a acknowledges it, once, at the contact center; or x disputes it with a
reason typed, once, which the contact center keeps as typed and the supervisor's scores list literally."""

from __future__ import annotations

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent_desktop.ui.agent.my_day.my_day_view import MyDayView
from agent_desktop.ui.supervisor.quality.evaluation_dialog import _rollup_text
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

        assert "(1, 1 to acknowledge: a, or x disputes)" in heading()
        await pilot.press("a")
        await wait_until(
            pilot, lambda: str(getattr(table.get_row(evaluation.id)[5], "plain", "")) == "yes", "acknowledged"
        )
        await wait_until(pilot, lambda: "(1, 0 to acknowledge: a, or x disputes)" in heading(), "the count at once")
        kept = mocks.ccaas_app.state.quality.evaluation(evaluation.id, supervisor._who)
        assert kept.acknowledged_at is not None
        await pilot.press("a")  # once: an acknowledged evaluation is not sent again
        await pilot.pause()
        assert not [n for n in notifications(pilot.app) if n.severity == "error"]


async def _evaluated_in_my_day(pilot: Pilot[None], mocks: InProcessMocks, comments: str) -> tuple[str, DataTable[Text]]:
    """A call taken, wrapped up and evaluated with `comments`; my day open on it. Its evaluation's id, the table."""
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
    evaluation = await supervisor.evaluate(contact.id, voice.id, {q.id: 0 for q in voice.questions()}, comments)
    await wait_until(pilot, lambda: told(pilot), "the notice")
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyDayView), "my day")
    return evaluation.id, pilot.app.screen.query_one("#my-day-evaluations", DataTable)


async def test_an_evaluation_by_the_assistant_is_disputed_with_a_reason_the_supervisor_reads_literally(
    mocks: InProcessMocks,
) -> None:
    comments = "Answered by the assistant (mock-grounded); 0 changed by your supervisor."
    reason = "[b]Not[/b] my call: the caller hung up at 0:40"
    async with scene_app(mocks).run_test() as pilot:
        evaluation_id, table = await _evaluated_in_my_day(pilot, mocks, comments)
        assert comments in screen_text(pilot, "#my-day-evaluation-comments"), "told the assistant answered it"
        await pilot.press("x")
        reason_box = pilot.app.screen.query_one("#my-day-dispute-reason")
        await wait_until(pilot, lambda: pilot.app.screen.focused is reason_box, "the reason to type")
        await pilot.press(*reason, "enter")
        await wait_until(pilot, lambda: str(getattr(table.get_row(evaluation_id)[5], "plain", "")) == "disp.", "sent")
        assert f"You disputed it: {reason}" in screen_text(pilot, "#my-day-evaluation-comments")
        assert "(1, 0 to acknowledge: a, or x disputes)" in screen_text(pilot, "#my-day-evaluations-heading")
        supervisor = mocks.supervisor()
        kept = mocks.ccaas_app.state.quality.evaluation(evaluation_id, supervisor._who)
        assert (kept.dispute_reason, kept.acknowledged_at) == (reason, None)
        scores = _rollup_text(await supervisor.quality_rollup(), []).plain
        assert f"  disputed: {reason}" in scores, "the supervisor reads the reason as typed, markup and all"
        await pilot.press("a", "x")  # answered: neither acknowledged nor disputed again
        await pilot.pause()
        assert not reason_box.display
        assert kept.acknowledged_at is None
        assert not [n for n in notifications(pilot.app) if n.severity == "error"]


async def test_escape_on_the_reason_puts_it_away_and_keeps_what_was_typed(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test() as pilot:
        evaluation_id, table = await _evaluated_in_my_day(pilot, mocks, "Fine")
        await pilot.press("x", *"Half a reas", "escape")
        box = pilot.app.screen.query_one("#my-day-dispute-reason")
        await wait_until(pilot, lambda: not box.display, "put away")
        assert isinstance(pilot.app.screen, MyDayView), "my day stays open"
        await pilot.press("x")
        await wait_until(pilot, lambda: box.display, "again")
        assert box.value == "Half a reas"  # type: ignore[attr-defined]
        assert str(getattr(table.get_row(evaluation_id)[5], "plain", "")) == "—", "nothing sent"
