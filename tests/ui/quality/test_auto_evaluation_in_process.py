"""Automated evaluations on the supervisor's desk, on the in-process backends with the mock model
server's own engine as the model: a finished call chosen for evaluation (e, enter) is answered by the model from its
recognised lines, each answer with its passage from the transcript or "no passage"; the supervisor overrides one by
the same keys, sends, and the contact center keeps the model's answers with the override, written to the CRM once
through the existing write-back, its comments telling the agent the model answered it; the next time the dialog opens,
how often the model's answers were the supervisor's, per question. Without a model nothing is asked; a failing one is said in the dialog and once."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.assist.quality.evaluation_prompt import flat
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.crm import store as crm_store
from agent_desktop_mocks.model.settings import ModelMockSettings
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.model import InProcessModel
from tests.support.in_process.scenes import accept, caller, wait_until
from tests.support.scenes.pilot_steps import screen_text
from tests.support.scenes.quality_scene import SIZE, call_handled


def _app(mocks: InProcessMocks, model: InProcessModel | None) -> AgentDesktopApp:
    app = desk_app(mocks.backends(supervisor=True, assist=model), clock=mocks.clock.now, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    return app


async def _another_call(pilot: Pilot[None], mocks: InProcessMocks) -> None:
    """One more call taken, ended and wrapped up on the agent's desk (already signed in and available)."""
    await mocks.place_call(caller(mocks, 5).phone_e164, subject="Second call")
    await wait_until(pilot, lambda: "Second call" in screen_text(pilot, "#offer"), "the offer")
    await accept(pilot)
    mocks.time.advance(30)
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab", *"Done.", "ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "completed")


async def _chosen(pilot: Pilot[None], mocks: InProcessMocks, calls: int = 1) -> str:
    """A call handled and wrapped up (and `calls` - 1 more), then the newest chosen for evaluation on the
    supervisor's desk; the first call's contact id."""
    contact_id = await call_handled(pilot, mocks)
    for _ in range(calls - 1):
        await _another_call(pilot, mocks)
    mocks.time.advance(60)
    await pilot.press("f2")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
    await pilot.press("e")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EvaluationDialog", "the evaluation dialog")
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.draft is not None, "the interaction chosen")  # type: ignore[attr-defined]
    return contact_id


async def test_the_model_answers_the_form_with_passages_the_supervisor_overrides_one_and_sends(
    mocks: InProcessMocks,
) -> None:
    async with _app(mocks, InProcessModel(ModelMockSettings())).run_test(size=SIZE) as pilot:
        await _chosen(pilot, mocks, calls=2)
        contact_id = pilot.app.screen.draft.contact_id  # type: ignore[attr-defined]
        await wait_until(
            pilot, lambda: "Evaluated by mock-grounded" in screen_text(pilot, "#evaluation-auto"), "the model's answers"
        )
        review = mocks.ccaas_app.state.quality.interaction(contact_id, SUPERVISOR)
        said = [flat(item.text) for item in review.transcript if item.kind == "message"]
        shown = screen_text(pilot, "#evaluation-questions")
        passages = [line.strip() for line in shown.splitlines() if line.strip().startswith("assistant:")]
        assert len(passages) == 6, shown  # the voice form's six questions, each answered
        for line in passages:
            passage = line.split(" · ", 1)[1]
            if passage != "no passage":  # a quote: it is in a line the call's transcript holds (cut to the box)
                quote = passage.strip("“”…")
                assert any(quote in text for text in said), (quote, said)
        assert any("“" in line for line in passages), "the lines that share a question's words are quoted"
        dialog = pilot.app.screen
        model_answers = dict(dialog.draft.answers)  # type: ignore[attr-defined]
        assert len(model_answers) == 6, "the model's answers fill the form"
        await pilot.press("1")  # the supervisor overrides the first question: its first answer
        await wait_until(pilot, lambda: "you changed it" in screen_text(pilot, "#evaluation-questions"), "override")
        assert "1 of the assistant's answers changed" in screen_text(pilot, "#evaluation-score")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "sent")
        quality = mocks.ccaas_app.state.quality
        (evaluation,) = quality.evaluations_of(SUPERVISOR, None)
        kept = {answer.question_id: answer.answer for answer in evaluation.answers}
        first = next(iter(model_answers))
        assert kept == {**model_answers, first: 0}, "the model's answers, the override in its place"
        assert evaluation.comments == "Answered by the assistant (mock-grounded); 1 changed by your supervisor.", (
            "the agent is told the model answered it"
        )
        crm_db = mocks.crm_app.state.crm.db
        await wait_until(
            pilot, lambda: len(crm_store.evaluations_of(crm_db, contact_id)) == 1, "written to the CRM once"
        )
        told = [n.message for n in notifications(pilot.app) if n.title == "Evaluation"]
        assert any("The assistant agreed with 5 of your 6 answers." in text for text in told), told
        await pilot.press("e")  # the other call: the agreement so far per question, under the scores
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EvaluationDialog", "the dialog again")
        rollup = screen_text(pilot, "#evaluation-rollup")
        assert "The assistant's answers against yours, Voice standard (1 evaluated):" in rollup, rollup
        assert "Greeted the caller and gave their name: 0 of 1 agreed" in rollup, rollup
        assert "Understood the reason for the call: 1 of 1 agreed" in rollup, rollup


async def test_without_a_model_nothing_is_asked_and_the_form_is_empty(mocks: InProcessMocks) -> None:
    async with _app(mocks, None).run_test(size=SIZE) as pilot:
        await _chosen(pilot, mocks)
        await pilot.pause()
        assert pilot.app.screen.query_one("#evaluation-auto").display is False
        assert "assistant:" not in screen_text(pilot, "#evaluation-questions")
        assert pilot.app.screen.draft.answers == {}  # type: ignore[attr-defined]


async def test_a_failing_model_is_said_in_the_dialog_and_once_on_the_desk(mocks: InProcessMocks) -> None:
    async with _app(mocks, InProcessModel(ModelMockSettings(failure_rate=1.0))).run_test(size=SIZE) as pilot:
        await _chosen(pilot, mocks)
        await wait_until(
            pilot, lambda: "Not evaluated: The assistant's model" in screen_text(pilot, "#evaluation-auto"), "said"
        )
        dialog = pilot.app.screen
        first = dialog.draft  # type: ignore[attr-defined]
        await pilot.press("f")  # another form: asked again, fails again
        await wait_until(pilot, lambda: dialog.draft is not first, "another form")  # type: ignore[attr-defined]
        await wait_until(
            pilot, lambda: "Not evaluated: The assistant's model" in screen_text(pilot, "#evaluation-auto"), "again"
        )
        told = [n.message for n in notifications(pilot.app) if n.title == "Assistant"]
        assert len(told) == 1, told
        assert pilot.app.screen.draft.answers == {}  # type: ignore[attr-defined]
