"""Quality management: forms, finished interactions to review, evaluations, acknowledgement, roll-up."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status

from agent_desktop_mocks.ccaas.api.dependencies import PrincipalDep, SupervisorDep
from agent_desktop_mocks.ccaas.core.wire.schemas import Conflict, Message
from agent_desktop_mocks.ccaas.quality.schemas import (
    DisputeCreate,
    Evaluation,
    EvaluationCreate,
    Form,
    Interaction,
    InteractionSummary,
    Rollup,
)
from agent_desktop_mocks.ccaas.quality.service import QualityService
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(tags=["quality"])

REFUSALS: Responses = {403: {"model": Message}, 404: {"model": Message}, 409: {"model": Conflict}}


async def get_quality(request: Request) -> QualityService:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(QualityService, request.app.state.quality)


QualityDep = Annotated[QualityService, Depends(get_quality)]


@router.get("/v1/quality/forms", response_model=list[Form], summary="The contact center's evaluation forms")
async def list_forms(who: PrincipalDep, quality: QualityDep) -> list[Form]:
    return list(quality.forms.values())


@router.get("/v1/quality/forms/{form_id}", response_model=Form, responses={404: {"model": Message}}, summary="One form")
async def get_form(form_id: str, who: PrincipalDep, quality: QualityDep) -> Form:
    return quality.form(form_id)


@router.get(
    "/v1/quality/interactions",
    response_model=list[InteractionSummary],
    responses={403: {"model": Message}},
    summary="Completed contacts of the supervisor's queues that may be evaluated, newest first",
)
async def list_interactions(
    who: SupervisorDep,
    quality: QualityDep,
    agent_id: Annotated[str | None, Query(description="Only this agent's")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[InteractionSummary]:
    return quality.interactions(who, agent_id, limit)


@router.get(
    "/v1/quality/interactions/{contact_id}",
    response_model=Interaction,
    responses=REFUSALS,
    summary="A contact as a supervisor of its queue reviews it: transcript, notes, disposition, timeline",
)
async def get_interaction(contact_id: str, who: SupervisorDep, quality: QualityDep) -> Interaction:
    return quality.interaction(contact_id, who)


@router.post(
    "/v1/quality/interactions/{contact_id}/evaluations",
    response_model=Evaluation,
    status_code=status.HTTP_201_CREATED,
    responses=REFUSALS,
    summary="A supervisor of its queue scores a completed contact with a form; released to the agent at once",
    description="Every question of the form answered once within its scale (422 naming the answer otherwise; 422 for "
    "an unknown form); 409 for a contact not completed, and for a second evaluation of the contact by the same "
    "supervisor. The contact center scores it (docs/mock-apis.md); `evaluation_released` goes to the agent's stream.",
)
async def evaluate(contact_id: str, body: EvaluationCreate, who: SupervisorDep, quality: QualityDep) -> Evaluation:
    return quality.evaluate(contact_id, who, body.form_id, body.answers, body.comments)


@router.get(
    "/v1/quality/evaluations",
    response_model=list[Evaluation],
    responses={403: {"model": Message}},
    summary="An agent's own evaluations; a supervisor's: those of their queues. Newest first",
)
async def list_evaluations(
    who: PrincipalDep,
    quality: QualityDep,
    agent_id: Annotated[str | None, Query(description="Supervisors: only this agent's")] = None,
) -> list[Evaluation]:
    return quality.evaluations_of(who, agent_id)


@router.get(
    "/v1/quality/evaluations/{evaluation_id}",
    response_model=Evaluation,
    responses=REFUSALS,
    summary="One evaluation: its agent, or a supervisor of its queue",
)
async def get_evaluation(evaluation_id: str, who: PrincipalDep, quality: QualityDep) -> Evaluation:
    return quality.evaluation(evaluation_id, who)


@router.post(
    "/v1/quality/evaluations/{evaluation_id}/acknowledge",
    response_model=Evaluation,
    responses=REFUSALS,
    summary="The evaluated agent acknowledges it, once (403 for anyone else, 409 the second time)",
)
async def acknowledge(evaluation_id: str, who: PrincipalDep, quality: QualityDep) -> Evaluation:
    return quality.acknowledge(evaluation_id, who)


@router.post(
    "/v1/quality/evaluations/{evaluation_id}/dispute",
    response_model=Evaluation,
    responses=REFUSALS,
    summary="The evaluated agent disputes it with a reason, once and instead of acknowledging it (403 for anyone "
    "else, 409 the second time or after an acknowledgement)",
)
async def dispute(evaluation_id: str, body: DisputeCreate, who: PrincipalDep, quality: QualityDep) -> Evaluation:
    return quality.dispute(evaluation_id, who, body.reason)


@router.get(
    "/v1/quality/rollup",
    response_model=list[Rollup],
    responses={403: {"model": Message}},
    summary="Per agent and form, over the supervisor's queues: evaluations, mean score, auto-fails, acknowledged",
)
async def rollup(who: SupervisorDep, quality: QualityDep) -> list[Rollup]:
    return quality.rollup(who)
