"""Cases: open one from a contact, or link a contact to an existing case (both idempotent)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from agent_desktop_mocks.common.http.openapi_responses import Responses
from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.idempotency import IdempotencyKey
from agent_desktop_mocks.crm.schemas import Case, CaseCreate, CaseLink
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/cases", tags=["cases"])


class CaseClosed(Exception):
    """Answered as 409 `{"detail", "state"}` (the app's exception handler)."""

    def __init__(self, case_id: str, state: str) -> None:
        super().__init__(f"case {case_id} is closed")
        self.state = state


_NOT_FOUND: Responses = {404: {"description": "No case (or customer) with this id"}}


def _case(crm: Crm, case_id: str) -> Case:
    case = store.get_case(crm.db, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
    return case


@router.get("/{case_id}", response_model=Case, summary="One case", responses=_NOT_FOUND)
async def get_case(crm: Crm, case_id: str) -> Case:
    return _case(crm, case_id)


@idempotency.creates(
    router,
    "",
    Case,
    summary="Open a case (idempotent)",
    before="Opens a case for `customer_id` with status `open`; `contact_id`, if given, is linked to it. "
    "The `Idempotency-Key` header is required. ",
    responses=_NOT_FOUND,
)
async def create_case(crm: Crm, body: CaseCreate, idempotency_key: IdempotencyKey) -> JSONResponse:
    def create() -> Case:
        if store.get_customer(crm.db, body.customer_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {body.customer_id}")
        case = Case(
            id=store.next_id(crm.db, "cases", "case"),
            customer_id=body.customer_id,
            subject=body.subject,
            status="open",
            priority=body.priority,
            owner=body.owner,
            opened_at=crm.clock.now(),
            contact_ids=[body.contact_id] if body.contact_id else [],
        )
        store.insert_case(crm.db, case)
        return case

    return idempotency.write(crm, idempotency_key, "POST /v1/cases", body, create)


@router.post(
    "/{case_id}/contacts",
    response_model=Case,
    summary="Link a contact to a case (idempotent)",
    description=(
        "Adds `contact_id` to the case's contacts and answers 200 with the case. A closed case is 409 "
        "with its `state`. Linking a contact already linked changes nothing. The `Idempotency-Key` header "
        "is required. " + idempotency.REPLAY_DOC
    ),
    responses={200: idempotency.REPLAY_RESPONSE, 409: {"description": "The case is closed"}, **_NOT_FOUND},
)
async def link_contact(crm: Crm, case_id: str, body: CaseLink, idempotency_key: IdempotencyKey) -> JSONResponse:
    def link() -> Case:
        case = _case(crm, case_id)
        if case.status == "closed":
            raise CaseClosed(case_id, case.status)
        store.link_case(crm.db, case_id, body.contact_id, crm.clock.now())
        return _case(crm, case_id)

    return idempotency.write(crm, idempotency_key, f"POST /v1/cases/{case_id}/contacts", body, link, status_code=200)
