"""Quality management: the forms, the finished interactions a supervisor of their queue may review, evaluations
scored by the contact center (scoring.py), released to the agent's stream, acknowledged once, and their roll-up.

Every change runs in one transaction of the CCaaS database (the conversation service's) and is published once
committed: `evaluation_released` and `evaluation_acknowledged` to the agent's stream.
Each contact's timeline is recorded from the engine's events as they happen (voice has no audio here).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from datetime import datetime
from importlib import resources
from typing import Any

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.conversations.schemas import TranscriptItem
from agent_desktop_mocks.ccaas.conversations.service import ConversationService
from agent_desktop_mocks.ccaas.core.domain_events import ContactChanged, DomainEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel, Contact, ContactState
from agent_desktop_mocks.ccaas.quality.schemas import (
    Answer,
    Evaluation,
    EvaluationEvent,
    Form,
    Interaction,
    InteractionSummary,
    Rollup,
    ScoredAnswer,
    TimelineEntry,
)
from agent_desktop_mocks.ccaas.quality.scoring import score
from agent_desktop_mocks.ccaas.quality.store import QualityStore
from agent_desktop_mocks.ccaas.shell.engine import Conflict, Engine, Invalid, NotFound, agent_topic
from agent_desktop_mocks.ccaas.tables.supervisor_access import check_row_queue, supervisor_row
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal

TRANSCRIPT_LIMIT = 500  # a review reads the whole conversation: far more than any here


def shipped_forms() -> list[Form]:
    text = resources.files("agent_desktop_mocks.ccaas.quality").joinpath("forms.toml").read_text(encoding="utf-8")
    return [Form.model_validate(row) for row in tomllib.loads(text)["form"]]


class QualityService:
    def __init__(
        self,
        store: QualityStore,
        conversations: ConversationService,
        supervisors: Iterable[SupervisorRow],
        forms: list[Form] | None = None,
    ) -> None:
        self.store = store
        self.conversations = conversations
        self.engine: Engine = conversations.engine
        self.events = conversations.events
        self.clock = conversations.clock
        self.supervisors = {row.id: row for row in supervisors}
        self.forms = {form.id: form for form in forms or shipped_forms()}
        self._evaluations: dict[str, Evaluation] = {e.id: e for e in store.evaluations()}

    # --- who may -----------------------------------------------------------------------

    def _supervisor(self, who: Principal) -> SupervisorRow:
        return supervisor_row(self.supervisors, who)

    def _check_queue(self, row: SupervisorRow, queue_id: str, what: str) -> None:
        check_row_queue(row, queue_id, what)

    def _reviewable(self, contact_id: str, who: Principal) -> tuple[SupervisorRow, Contact]:
        row = self._supervisor(who)
        contact = self.engine.read.contact(contact_id)
        self._check_queue(row, contact.queue_id, f"contact {contact_id}")
        return row, contact

    # --- forms and interactions --------------------------------------------------------------

    def form(self, form_id: str) -> Form:
        form = self.forms.get(form_id)
        if form is None:
            raise NotFound("form", form_id)
        return form

    def interactions(self, who: Principal, agent_id: str | None, limit: int) -> list[InteractionSummary]:
        """The completed contacts an agent handled, of the supervisor's queues, newest first."""
        row = self._supervisor(who)
        mine = {(e.contact_id, e.evaluator_id) for e in self._evaluations.values()}
        done = [
            c
            for c in self.engine.read.contacts()
            if c.state == ContactState.COMPLETED
            and c.agent_id
            and row.may_monitor(c.queue_id)
            and (agent_id is None or c.agent_id == agent_id)
        ]
        done.sort(key=lambda c: (c.completed_at, c.id), reverse=True)
        return [
            InteractionSummary(
                contact_id=c.id,
                channel=c.channel,
                queue_id=c.queue_id,
                agent_id=c.agent_id or "",
                agent_name=self.conversations.agent_name(c.agent_id or ""),
                completed_at=c.completed_at or c.entered_queue_at,
                disposition=c.disposition,
                evaluated=(c.id, row.id) in mine,
            )
            for c in done[:limit]
        ]

    def interaction(self, contact_id: str, who: Principal) -> Interaction:
        _, contact = self._reviewable(contact_id, who)
        items, _ = self.conversations.store.page(contact_id, None, TRANSCRIPT_LIMIT)
        if contact.channel == Channel.VOICE:
            items = [*self._call_lines(contact_id), *items]
        notes = [item.text for item in items if item.kind == "transferred" and "Note:" in item.text]
        evaluations = sorted(e.id for e in self._evaluations.values() if e.contact_id == contact_id)
        return Interaction(
            contact=contact,
            transcript=items,
            notes=notes,
            timeline=self.store.timeline(contact_id),
            evaluation_ids=evaluations,
        )

    def _call_lines(self, contact_id: str) -> list[TranscriptItem]:
        """A call's transcript as its live transcription said it: each final line once (a line sent again to the agent
        who took the call over is the same line), masked as it was published, in the order said. Read from the stored
        `transcription` events as JSON (call_transcripts/schemas.py shapes them; a sibling package, not imported)."""
        lines: dict[str, dict[str, Any]] = {}
        for _, data in self.conversations.events.mentioning("transcription", f'"{contact_id}"'):
            line = json.loads(data).get("line") or {}
            if line.get("contact_id") == contact_id and line.get("final"):
                lines.setdefault(str(line.get("id")), line)
        return [
            TranscriptItem(
                id=f"m-{9_000_000_000 + n}",  # not a message of the conversations' store: out of its range
                contact_id=contact_id,
                index=int(line["index"]),
                kind="message",
                role="agent" if line.get("role") == "agent" else "customer",
                display_name=str(line.get("display_name", "")),
                text=str(line.get("text", "")),
                created_at=datetime.fromisoformat(str(line["at"])),
            )
            for n, line in enumerate(sorted(lines.values(), key=lambda line: int(line["index"])))
        ][:TRANSCRIPT_LIMIT]

    # --- evaluations -------------------------------------------------------------------------

    def evaluate(
        self, contact_id: str, who: Principal, form_id: str, answers: list[Answer], comments: str
    ) -> Evaluation:
        row, contact = self._reviewable(contact_id, who)
        form = self.forms.get(form_id)
        if form is None:
            raise Invalid("form_id", f"no form {form_id} (GET /v1/quality/forms)", form_id)
        if contact.state != ContactState.COMPLETED or contact.agent_id is None:
            raise Conflict(f"contact is {contact.state.value}: only a finished contact is evaluated", contact.state)
        if any(e.contact_id == contact_id and e.evaluator_id == row.id for e in self._evaluations.values()):
            raise Conflict(f"you evaluated contact {contact_id} already", "evaluated")
        given = _answers_of(form, answers)
        total, failed = score(form, {q: a.answer for q, a in given.items()})
        scored = [
            ScoredAnswer(
                question_id=q.id,
                answer=given[q.id].answer,
                label=q.scale[given[q.id].answer],
                comment=given[q.id].comment,
            )
            for q in form.questions()
        ]
        evaluation = Evaluation(
            id=f"ev-{len(self._evaluations) + 1:06d}",
            contact_id=contact_id,
            channel=contact.channel,
            queue_id=contact.queue_id,
            agent_id=contact.agent_id,
            agent_name=self.conversations.agent_name(contact.agent_id),
            form_id=form.id,
            form_name=form.name,
            evaluator_id=row.id,
            evaluator_name=row.name,
            answers=scored,
            comments=comments,
            score=total,
            auto_failed=failed,
            released_at=self.clock.now(),
        )
        return self._save("evaluation_released", evaluation)

    def evaluations_of(self, who: Principal, agent_id: str | None) -> list[Evaluation]:
        """An agent's own; a supervisor's: those of their queues (of one agent if asked). Newest first."""
        if who.role == "agent":
            mine = [e for e in self._evaluations.values() if e.agent_id == who.subject]
        else:
            row = self._supervisor(who)
            mine = [
                e
                for e in self._evaluations.values()
                if row.may_monitor(e.queue_id) and (agent_id is None or e.agent_id == agent_id)
            ]
        return sorted(mine, key=lambda e: (e.released_at, e.id), reverse=True)

    def evaluation(self, evaluation_id: str, who: Principal) -> Evaluation:
        evaluation = self._evaluations.get(evaluation_id)
        if evaluation is None:
            raise NotFound("evaluation", evaluation_id)
        if who.role == "agent":
            if who.subject != evaluation.agent_id:
                raise HTTPException(status.HTTP_403_FORBIDDEN, "not your evaluation")
        else:
            self._check_queue(self._supervisor(who), evaluation.queue_id, f"evaluation {evaluation_id}")
        return evaluation

    def acknowledge(self, evaluation_id: str, who: Principal) -> Evaluation:
        """The evaluated agent, once (409 after): they have read the result and the comments."""
        evaluation = self.evaluation(evaluation_id, who)
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the evaluated agent acknowledges an evaluation")
        if evaluation.acknowledged_at is not None:
            raise Conflict(f"evaluation {evaluation_id} is acknowledged already", "acknowledged")
        if evaluation.disputed_at is not None:
            raise Conflict(f"evaluation {evaluation_id} is disputed: a supervisor answers it first", "disputed")
        acknowledged = evaluation.model_copy(update={"acknowledged_at": self.clock.now()})
        return self._save("evaluation_acknowledged", acknowledged)

    def dispute(self, evaluation_id: str, who: Principal, reason: str) -> Evaluation:
        """The evaluated agent disputes it with a reason, once, instead of acknowledging it (409 after either); a
        supervisor or another agent: 403. The supervisor's review shows the reason as typed."""
        evaluation = self.evaluation(evaluation_id, who)
        if who.role != "agent":
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the evaluated agent disputes an evaluation")
        if evaluation.disputed_at is not None:
            raise Conflict(f"evaluation {evaluation_id} is disputed already", "disputed")
        if evaluation.acknowledged_at is not None:
            raise Conflict(f"evaluation {evaluation_id} is acknowledged already: it cannot be disputed", "acknowledged")
        disputed = evaluation.model_copy(update={"disputed_at": self.clock.now(), "dispute_reason": reason})
        return self._save("evaluation_disputed", disputed)

    def rollup(self, who: Principal) -> list[Rollup]:
        """Per agent and form, the evaluations a supervisor may see: how many, their mean score, auto-fails."""
        groups: dict[tuple[str, str], list[Evaluation]] = {}
        for e in self.evaluations_of(who, None):
            groups.setdefault((e.agent_id, e.form_id), []).append(e)
        return [
            Rollup(
                agent_id=agent,
                agent_name=group[0].agent_name,
                form_id=form,
                form_name=group[0].form_name,
                evaluations=len(group),
                mean_score=round(sum(e.score for e in group) / len(group), 1),
                auto_fails=sum(e.auto_failed for e in group),
                acknowledged=sum(e.acknowledged_at is not None for e in group),
                disputes=[
                    e.dispute_reason for e in group if e.disputed_at is not None and e.dispute_reason is not None
                ],
            )
            for (agent, form), group in sorted(groups.items())
        ]

    def _save(self, change: str, evaluation: Evaluation) -> Evaluation:
        with self.conversations.transaction():
            self._evaluations[evaluation.id] = evaluation
            self.store.save(evaluation)
            event = EvaluationEvent(type=change, contact_id=evaluation.contact_id, evaluation=evaluation)
            # The agent's stream only: the evaluating supervisor's desk has the answer of its own request.
            self.events.publish([agent_topic(evaluation.agent_id)], change, event.model_dump(mode="json"))
        return evaluation

    # --- the engine's side ------------------------------------------------------------------

    def on_engine_events(self, events: list[DomainEvent]) -> None:
        """Each contact's timeline, from what the engine says happened to it."""
        now = self.clock.now()
        entries = [
            (e.contact.id, TimelineEntry(at=now, kind=e.kind, agent_id=e.contact.agent_id))
            for e in events
            if isinstance(e, ContactChanged)
        ]
        if entries:
            with self.conversations.transaction():
                self.store.add_entries(entries)


def _answers_of(form: Form, answers: list[Answer]) -> dict[str, Answer]:
    """Every question of the form answered once, within its scale (422 naming the answer otherwise)."""
    questions = {q.id: q for q in form.questions()}
    given: dict[str, Answer] = {}
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            raise Invalid("answers", f"form {form.id} has no question {answer.question_id}", answer.question_id)
        if answer.question_id in given:
            raise Invalid("answers", f"question {answer.question_id} is answered twice", answer.question_id)
        if not 0 <= answer.answer < len(question.scale):
            top = len(question.scale) - 1
            raise Invalid("answers", f"question {question.id} takes an answer from 0 to {top}", answer.answer)
        given[answer.question_id] = answer
    missing = [q for q in questions if q not in given]
    if missing:
        raise Invalid("answers", f"unanswered: {', '.join(missing)}", missing)
    return given
