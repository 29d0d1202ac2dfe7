"""Quality management in the protocol suite: the agent's `AgentQuality` and the supervisor's
`SupervisorQuality` over HTTP against a real mock CCaaS and in-process over the mock's own engine, with the same
assertions: a finished call is listed and reviewed with its timeline (voice: no transcript), scored with the voice
form as the contact center scores it, released on the agent's stream, acknowledged once; an unknown form and a
second evaluation are refused in the same words. Twilio declares quality off."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

import pytest

from agent_desktop.domain.errors import NotServed
from agent_desktop.domain.models import AgentState, EvaluationEvent, OfferEvent
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.domain.quality.protocol import (
    AgentQuality,
    SupervisorQuality,
    agent_quality,
    serves_agent_quality,
    serves_supervisor_quality,
    supervisor_quality,
)
from agent_desktop.outbox.evaluations import enqueue_evaluation
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryState, Outbox
from agent_desktop.supervisor_desk.quality.evaluation_draft import EvaluationDraft
from agent_desktop.supervisor_desk.quality.quality_use_cases import QualityUseCases
from agent_desktop_mocks.crm import store as crm_store
from tests.support.narrowing import present
from tests.support.protocol_rigs.contact_center import KINDS, ROUTING_KINDS, ContactCenterRig, contact_center_rig
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

CALLER = "(512) 555-0100"


def quality_of(rig: ContactCenterRig) -> tuple[AgentQuality, SupervisorQuality]:
    assert serves_agent_quality(rig.backend), "the mock's do"
    assert serves_supervisor_quality(rig.supervisor_console), "the mock's do"
    return agent_quality(rig.backend), supervisor_quality(rig.supervisor_console)


async def finished_call(rig: ContactCenterRig, events: EventTap) -> str:
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(CALLER, queue_id="billing")
    offer = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5, "the offer")
    contact_id = (await rig.backend.accept_offer(offer.offer.id)).id
    await rig.backend.hold_contact(contact_id)
    await rig.backend.resume_contact(contact_id)
    await rig.backend.end_contact(contact_id)
    await rig.backend.complete_contact(contact_id, "Resolved")
    return contact_id


@pytest.mark.parametrize("kind", KINDS)
async def test_a_finished_call_is_scored_released_and_acknowledged_once(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        agent, supervisor = quality_of(rig)
        async with tapped(rig.backend.events()) as agent_events:
            contact_id = await finished_call(rig, agent_events)
            listed = await supervisor.finished_interactions()
            assert (listed[0].contact_id, listed[0].disposition, listed[0].evaluated) == (contact_id, "Resolved", False)
            review = await supervisor.review_interaction(contact_id)
            kinds = [entry.kind for entry in review.timeline]
            assert kinds[0] == "queued"
            assert "held" in kinds
            assert "resumed" in kinds
            assert kinds[-1] == "completed"
            assert review.transcript == []
            assert review.contact.disposition == "Resolved"
            voice = next(f for f in await supervisor.evaluation_forms() if f.id == "voice-standard")
            answers = {q.id: len(q.scale) - 1 for q in voice.questions()} | {"resolution": 1}  # weight 3 of 8: 1 of 3
            unknown = await refused(supervisor.evaluate(contact_id, "no-such-form", answers))
            assert unknown.status == 422
            evaluation = await supervisor.evaluate(contact_id, voice.id, answers, "Resolve on the call next time")
            assert (evaluation.score, evaluation.auto_failed) == (75.0, False)  # 100 × (8 − 3 × 2/3) ÷ 8
            again = await refused(supervisor.evaluate(contact_id, voice.id, answers))
            assert (again.status, again.state) == (409, "evaluated")
            heard = await agent_events.next(lambda e: isinstance(e, EvaluationEvent), rig.pass_time, 5, "the release")
            assert (heard.type, heard.evaluation.id, heard.evaluation.comments) == (
                "evaluation_released",
                evaluation.id,
                "Resolve on the call next time",
            )
            assert [e.id for e in await agent.my_evaluations()] == [evaluation.id]
            acknowledged = await agent.acknowledge_evaluation(evaluation.id)
            assert acknowledged.acknowledged_at is not None
            twice = await refused(agent.acknowledge_evaluation(evaluation.id))
            assert (twice.status, twice.state) == (409, "acknowledged")
            rollup = await supervisor.quality_rollup()
            assert [(r.agent_id, r.form_id, r.evaluations, r.mean_score, r.acknowledged) for r in rollup] == [
                ("agent-001", "voice-standard", 1, 75.0, 1)
            ]


@pytest.mark.parametrize("kind", sorted(set(ROUTING_KINDS) - set(KINDS)))
async def test_a_contact_center_without_quality_declares_it_off(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert not rig.backend.capabilities.quality
        assert not serves_agent_quality(rig.backend)
        assert not serves_supervisor_quality(rig.supervisor_console)
        agent, supervisor = agent_quality(rig.backend), supervisor_quality(rig.supervisor_console)
        for stand_in_call in (agent.my_evaluations(), supervisor.evaluation_forms()):  # nothing reaches the backend
            with pytest.raises(NotServed, match="Quality evaluations are not on this contact center"):
                await stand_in_call


T = TypeVar("T")


class _Host:
    """What the use cases need of the supervisor's controller: a call's answer, and what it tells."""

    def __init__(self) -> None:
        self.said: list[str] = []

    async def act(self, call: Awaitable[T], title: str) -> T:
        return await call

    def told(self, text: str, title: str) -> None:
        self.said.append(text)


async def test_a_scored_evaluation_reaches_the_crm_once_through_the_outbox(tmp_path: Path) -> None:
    """The supervisor's desk scores a finished call with a draft, the released evaluation goes into the outbox
    (handed over twice, one entry) and to the CRM once, keyed by the evaluation's id, comments masked."""
    async with contact_center_rig("in_process", tmp_path) as rig:
        async with tapped(rig.backend.events()) as agent_events:
            contact_id = await finished_call(rig, agent_events)
        outbox = Outbox(tmp_path / "outbox.db")
        handed: list[EvaluationRecord] = []

        def record(evaluation: EvaluationRecord) -> None:
            handed.append(evaluation)
            enqueue_evaluation(outbox, evaluation)
            enqueue_evaluation(outbox, evaluation)  # a second hand-off of the same one: still one entry

        host = _Host()
        cases = QualityUseCases(host, supervisor_quality(rig.supervisor_console), record)
        forms, choices = await cases.choices()
        assert contact_id in [c.contact_id for c in choices]
        draft = EvaluationDraft(next(f for f in forms if f.id == "voice-standard"), contact_id)
        for question in draft.questions:
            draft.answer(len(question.scale) - 1)
            draft.move(1)
        evaluation = await cases.submit(draft, "Read back card 4111 1111 1111 1111, avoid that")
        assert evaluation is not None
        assert evaluation.score == 100.0
        assert "4111 1111 1111 1111" not in evaluation.comments
        assert len(handed) == 1
        assert "100" in host.said[0]
        assert [(r.agent_id, r.form_id, r.mean_score) for r in await cases.rollup()] == [
            ("agent-001", "voice-standard", 100.0)
        ]
        crm = rig.mocks.crm()  # type: ignore[attr-defined]
        assert await OutboxSender(outbox, crm).send_due() == 1
        assert await OutboxSender(outbox, crm).send_due() == 0
        again = Outbox(tmp_path / "second-desk.db")  # another desk's outbox with the same evaluation: a replay
        entry = enqueue_evaluation(again, handed[0])
        assert await OutboxSender(again, crm).send_due() == 1
        assert (
            present(again.get(entry.key)).state is EntryState.SENT
        )  # the same key (the evaluation's): the first answer
        kept = crm_store.evaluations_of(rig.mocks.crm_app.state.crm.db, contact_id)  # type: ignore[attr-defined]
        assert [(k.evaluation_id, k.score) for k in kept] == [(evaluation.id, 100.0)]
        assert "4111 1111 1111 1111" not in kept[0].comments
        outbox.close()
        again.close()


@pytest.mark.parametrize("kind", KINDS)
async def test_the_agent_disputes_an_evaluation_once_with_a_reason_the_supervisor_reads_as_typed(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        agent, supervisor = quality_of(rig)
        async with tapped(rig.backend.events()) as agent_events:
            contact_id = await finished_call(rig, agent_events)
            voice = next(f for f in await supervisor.evaluation_forms() if f.id == "voice-standard")
            answers = {q.id: 0 for q in voice.questions()}
            evaluation = await supervisor.evaluate(contact_id, voice.id, answers, "Answered by the assistant")
            not_theirs = await refused(agent_quality(rig.other).dispute_evaluation(evaluation.id, "Not mine either"))
            assert not_theirs.status == 403, "another agent's evaluation is not theirs to dispute"
            reason = "[b]The caller[/b] hung up at 0:40; card 4111 1111 1111 1111 was never read"
            disputed = await agent.dispute_evaluation(evaluation.id, reason)
            assert disputed.disputed_at is not None
            assert disputed.dispute_reason is not None
            assert disputed.dispute_reason.startswith("[b]The caller[/b] hung up at 0:40; card "), "as typed"
            assert "4111 1111 1111 1111" not in disputed.dispute_reason, "card data masked"
            twice = await refused(agent.dispute_evaluation(evaluation.id, "Again"))
            assert (twice.status, twice.state) == (409, "disputed")
            acknowledged = await refused(agent.acknowledge_evaluation(evaluation.id))
            assert (acknowledged.status, acknowledged.state) == (409, "disputed"), "disputed, not acknowledged"
            heard = await agent_events.next(
                lambda e: isinstance(e, EvaluationEvent) and e.type == "evaluation_disputed", rig.pass_time, 5, "it"
            )
            assert heard.evaluation.dispute_reason == disputed.dispute_reason
            (row,) = await supervisor.quality_rollup()
            assert (row.acknowledged, row.disputes) == (0, [disputed.dispute_reason])


@pytest.mark.parametrize("kind", KINDS)
async def test_an_acknowledged_evaluation_cannot_be_disputed_nor_one_without_a_reason(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        agent, supervisor = quality_of(rig)
        async with tapped(rig.backend.events()) as agent_events:
            contact_id = await finished_call(rig, agent_events)
            voice = next(f for f in await supervisor.evaluation_forms() if f.id == "voice-standard")
            evaluation = await supervisor.evaluate(contact_id, voice.id, {q.id: 1 for q in voice.questions()})
            empty = await refused(agent.dispute_evaluation(evaluation.id, ""))
            assert empty.status == 422, "a dispute says why"
            await agent.acknowledge_evaluation(evaluation.id)
            late = await refused(agent.dispute_evaluation(evaluation.id, "On second thought"))
            assert (late.status, late.state) == (409, "acknowledged")
