"""Alerts from what customers say: the contact center's rules, and the alerts of a supervisor's queues."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request

from agent_desktop_mocks.ccaas.api.dependencies import PrincipalDep
from agent_desktop_mocks.ccaas.core.wire.schemas import Message
from agent_desktop_mocks.ccaas.said_alerts.schemas import SaidAlert, SaidAlertRules
from agent_desktop_mocks.ccaas.said_alerts.service import SaidAlerts
from agent_desktop_mocks.common.http.openapi_responses import Responses

router = APIRouter(tags=["said alerts"])

REFUSALS: Responses = {403: {"model": Message}}


async def get_said_alerts(request: Request) -> SaidAlerts:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(SaidAlerts, request.app.state.said_alerts)


SaidAlertsDep = Annotated[SaidAlerts, Depends(get_said_alerts)]


@router.get(
    "/v1/said-alert-rules",
    response_model=SaidAlertRules,
    responses=REFUSALS,
    summary="The rules that make a customer's message an alert to their queue's supervisors",
    description="Supervisors only (403 otherwise).",
)
async def said_alert_rules(who: PrincipalDep, alerts: SaidAlertsDep) -> SaidAlertRules:
    return alerts.rules_for(who)


@router.put(
    "/v1/said-alert-rules",
    response_model=SaidAlertRules,
    responses={**REFUSALS, 422: {"description": "A rule out of its range, a word not a word, a word listed twice"}},
    summary="Replace the rules (the words listed, the mood that alerts)",
    description="Supervisors only (403 otherwise). Every field is checked, and a request with a field this server "
    "does not know is refused (422, naming it): a rule misspelt is never silently ignored. The rules read each "
    "customer message from then on; an alert already raised stays.",
)
async def replace_said_alert_rules(who: PrincipalDep, body: SaidAlertRules, alerts: SaidAlertsDep) -> SaidAlertRules:
    return alerts.set_rules(who, body)


@router.get(
    "/v1/said-alerts",
    response_model=list[SaidAlert],
    responses=REFUSALS,
    summary="The alerts raised on the conversations still going on in the supervisor's queues, oldest first",
    description="Each new one is also pushed as `said_alert` on the supervisor stream. One per contact and cause "
    "(`words`: the customer wrote a listed word; `mood`: a message read this negative, falling from the ones before).",
)
async def said_alerts(who: PrincipalDep, alerts: SaidAlertsDep) -> list[SaidAlert]:
    return alerts.alerts_of(who)
