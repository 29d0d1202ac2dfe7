"""The evaluation form reads as a supervisor expects. Answers are typed as they are numbered on
screen, 1 the first (typing 2 for Yes said "Answers 0–1 here"), and the footer says "1–9 answer"; a question that
fails the evaluation says so in words, not "×0 (auto-fail)"; the list of interactions shows each agent's whole
name and the queue's name, not its id cut to ten characters. On the in-process backends (the demo's two desks)."""

from __future__ import annotations

from textual.widgets import OptionList

from agent_desktop.ui.textual_compat import notifications
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import scene_app
from tests.support.scenes.pilot_steps import screen_text, wait_until
from tests.support.scenes.quality_scene import SIZE, call_handled, evaluation_scene


async def test_answers_are_typed_as_numbered_and_the_words_are_plain(mocks: InProcessMocks) -> None:
    app = scene_app(mocks, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await evaluation_scene(pilot, mocks)  # answers typed 2, 2, 4, 2, 2, 3: a score of 75 (waited for)
        lines = screen_text(pilot, "#evaluation-questions")
        assert "×" not in lines, lines
        assert "auto-fail" not in lines, lines
        assert "fails the whole evaluation" in lines, lines
        assert "[2 Yes]" in lines, lines
        assert "1–9 answer" in str(pilot.app.screen.query_one("#evaluation-box").border_subtitle)
        await pilot.press("shift+tab", "up", "9")
        await pilot.pause()
        said = [str(n.message) for n in notifications(pilot.app)]
        assert any("Answers 1–" in text and "1 is the first" in text for text in said), said


async def test_the_interactions_list_shows_whole_names_and_queue_names(mocks: InProcessMocks) -> None:
    app = scene_app(mocks, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await call_handled(pilot, mocks)
        mocks.time.advance(60)
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        await pilot.press("e")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EvaluationDialog", "the dialog")
        options = pilot.app.screen.query_one(OptionList)
        listed = "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        assert "Alex Morgan" in listed, listed
        assert "Billing" in listed, listed
        assert "billing" not in listed, listed
        width = options.scrollable_content_region.width
        assert all(len(line) <= width for line in listed.split("\n")), (width, listed)  # one line each, never wrapped
