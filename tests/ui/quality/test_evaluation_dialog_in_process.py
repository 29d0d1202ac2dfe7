"""Evaluation by keys on the in-process backends (the demo's two desks in one app): the supervisor scores
the agent's finished call in the dialog (e, enter, a digit per question, tab, a comment, ctrl+s); the evaluation
is released to the agent, who is told and acknowledges it in my day (d, a); the CRM keeps it once, through the
outbox, under the evaluation's id. A console without quality offers no e."""

from __future__ import annotations

from typing import Any

from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.models import Evaluation
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.outbox.evaluations import enqueue_evaluation
from agent_desktop.outbox.store import EntryKind, EntryState
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.crm import store as crm_store
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import SUPERVISOR, InProcessMocks
from tests.support.in_process.scenes import scene_app, wait_until
from tests.support.narrowing import of_kind, present
from tests.support.scenes.pilot_steps import screen_text
from tests.support.scenes.quality_scene import COMMENT, SIZE, call_handled, evaluation_scene, send_evaluation


async def test_the_supervisor_scores_the_agent_acknowledges_and_the_crm_keeps_it_once(mocks: InProcessMocks) -> None:
    app = scene_app(mocks, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await evaluation_scene(pilot, mocks)
        lines = screen_text(pilot, "#evaluation-questions")
        assert "[2 Fair]" in lines, lines
        assert "fails the whole evaluation" in lines, lines
        await send_evaluation(pilot)
        quality = mocks.ccaas_app.state.quality
        (evaluation,) = quality.evaluations_of(SUPERVISOR, None)
        assert (evaluation.contact_id, evaluation.score, evaluation.comments) == (contact_id, 75.0, COMMENT)
        crm_db = mocks.crm_app.state.crm.db

        def in_the_crm() -> list[Any]:
            return crm_store.evaluations_of(crm_db, contact_id)

        await wait_until(pilot, lambda: len(in_the_crm()) == 1, "the evaluation in the CRM")
        outbox = of_kind(app.runtime, DeskRuntime).backends.outbox
        record = EvaluationRecord.of(Evaluation.model_validate(evaluation.model_dump(mode="json")))
        entry = enqueue_evaluation(outbox, record)  # handed over again: the entry that is there, sent
        await wait_until(pilot, lambda: present(outbox.get(entry.key)).state is EntryState.SENT, "sent")
        assert not [e for e in outbox.recent() if e.kind == EntryKind.EVALUATION], "not among the agent's writes"
        assert [e.evaluation_id for e in in_the_crm()] == [evaluation.id]

        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentScreen", "the agent's screen")
        told = [n.message for n in notifications(pilot.app) if n.title == "Evaluation"]
        assert any("Riley Chen evaluated" in text and "75" in text for text in told), told
        await pilot.press("d")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "MyDayView", "my day")
        await pilot.press("a")
        await wait_until(
            pilot, lambda: quality.evaluation(evaluation.id, SUPERVISOR).acknowledged_at is not None, "acknowledged"
        )
        assert len(in_the_crm()) == 1


async def test_a_console_without_quality_offers_no_e(mocks: InProcessMocks) -> None:
    backends = mocks.backends(supervisor=True)
    backends.supervisor.capabilities = type(backends.supervisor.capabilities)(monitor=True)  # type: ignore[union-attr]
    app = desk_app(backends, clock=mocks.clock.now, desks=("supervisor",))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the screen")
        assert pilot.app.screen.check_action("evaluate", ()) is False


async def test_a_calls_review_offers_what_was_said_on_it(mocks: InProcessMocks) -> None:
    """A call chosen for evaluation showed its timeline and "(voice: no recording here)", though its
    live transcription had been heard on the desk; its final lines are the review's transcript now, masked."""
    app = scene_app(mocks, desks=("agent", "supervisor"))
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        contact_id = await call_handled(pilot, mocks)
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SupervisorScreen", "the supervisor")
        await pilot.press("e")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EvaluationDialog", "the evaluation dialog")
        await pilot.press("enter")
        review = mocks.ccaas_app.state.quality.interaction(contact_id, SUPERVISOR)
        said = [item.text for item in review.transcript if item.kind == "message"]
        assert said, "the call's lines in its review"
        await wait_until(pilot, lambda: said[-1][:30] in screen_text(pilot, "#evaluation-review"), "the lines shown")
        assert "no recording" not in screen_text(pilot, "#evaluation-review")
        assert any(item.role == "customer" for item in review.transcript), "the caller's lines too"
