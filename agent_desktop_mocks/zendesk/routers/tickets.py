"""Tickets (the CRM's cases): a user's requested tickets, creation with `Idempotency-Key`, updates that add
comments, and a ticket's comments (API comments, plus the CRM's interactions and notes of its contacts)."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.schemas import Case
from agent_desktop_mocks.zendesk import records, tickets_store
from agent_desktop_mocks.zendesk.errors import ZendeskError, invalid, not_found
from agent_desktop_mocks.zendesk.paging import Page, PerPage, page_of
from agent_desktop_mocks.zendesk.routers.users import base_url
from agent_desktop_mocks.zendesk.state import Zendesk, ZendeskState
from agent_desktop_mocks.zendesk.ticket_update_limits import ticket_update_allowed

router = APIRouter(prefix="/api/v2", tags=["tickets"])
Status = Literal["new", "open", "pending", "hold", "solved", "closed"]
Priority = Literal["low", "normal", "high", "urgent"]
LOOKUP_HEADER = "x-idempotency-lookup"
_CASE_STATUS = {
    "new": "open",
    "open": "open",
    "hold": "open",
    "pending": "pending",
    "solved": "closed",
    "closed": "closed",
}
MAX_COMMENT_CHARS = 65_536  # Zendesk keeps a comment's body under 64 KB


class CommentWrite(BaseModel):
    body: str = Field(max_length=MAX_COMMENT_CHARS)
    public: bool = True
    author_id: int | None = None


class TicketCreate(BaseModel):
    subject: str | None = Field(None, max_length=500)
    comment: CommentWrite
    requester_id: int | None = None
    priority: Priority | None = None
    status: Status | None = None
    external_id: str | None = Field(None, max_length=255)
    tags: list[Annotated[str, Field(max_length=80)]] = Field(default=[], max_length=100)


class TicketUpdate(BaseModel):
    comment: CommentWrite | None = None
    status: Status | None = None
    additional_tags: list[Annotated[str, Field(max_length=80)]] = Field(default=[], max_length=100)


class CreateBody(BaseModel):
    ticket: TicketCreate


class UpdateBody(BaseModel):
    ticket: TicketUpdate


def _case(zendesk: ZendeskState, ticket_id: int) -> Case:
    case = store.get_case(zendesk.db, records.case_id(ticket_id)) if ticket_id > 0 else None
    if case is None:
        raise not_found(f"ticket {ticket_id}")
    return case


def _ticket(zendesk: ZendeskState, request: Request, case: Case) -> dict[str, Any]:
    ticket_id = records.number_of(case.id, "case") or 0
    return records.ticket_json(case, tickets_store.ticket_extra(zendesk.db, ticket_id), base_url(request))


def _link_contact_tags(zendesk: ZendeskState, case_id: str, tags: list[str]) -> None:
    """A `contact-{id}` tag is how the desk marks the contacts of a ticket: the CRM links them to the case."""
    for tag in tags:
        if tag.startswith("contact-") and len(tag) > len("contact-"):
            store.link_case(zendesk.db, case_id, tag.removeprefix("contact-"), zendesk.clock.now())


def _comment_body(comment: CommentWrite) -> str:
    if not comment.body.strip():
        raise invalid("comment", "Comment: cannot be blank", "BlankValue")
    return comment.body


@router.get("/users/{user_id}/tickets/requested", summary="Tickets the user requested, newest first")
async def requested_tickets(
    zendesk: Zendesk,
    request: Request,
    user_id: int,
    page: Page = 1,
    per_page: PerPage = 100,
    sort_by: Literal["id", "status", "updated_at", "created_at"] | None = None,
    sort_order: Literal["asc", "desc"] | None = None,
) -> dict[str, Any]:
    customer_id = records.customer_id(user_id)
    if user_id <= 0 or store.get_customer(zendesk.db, customer_id) is None:
        raise not_found(f"user {user_id}")
    tickets = [_ticket(zendesk, request, case) for case in store.cases_of(zendesk.db, customer_id)]
    if sort_by is not None:
        tickets.sort(key=lambda ticket: (ticket[sort_by], ticket["id"]), reverse=sort_order == "desc")
    return page_of(request, "tickets", tickets, page, per_page)


def _request_hash(body: CreateBody) -> str:
    return hashlib.sha256(json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


@router.post(
    "/tickets", status_code=201, summary="Create a ticket (a retry with the same Idempotency-Key is answered again)"
)
async def create_ticket(
    zendesk: Zendesk,
    request: Request,
    body: CreateBody,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=255)] = None,
) -> JSONResponse:
    key = f"zendesk:{idempotency_key}" if idempotency_key is not None else None
    digest = _request_hash(body)
    if key is not None:
        previous = store.find_idempotency_key(zendesk.db, key)
        if previous is not None:
            if previous["request_hash"] != digest:
                raise ZendeskError(400, "IdempotentRequestError", "The Idempotency-Key was used with another request")
            return JSONResponse(json.loads(previous["response_json"]), 201, headers={LOOKUP_HEADER: "hit"})
    ticket = body.ticket
    text = _comment_body(ticket.comment)
    if ticket.requester_id is not None:
        if store.get_customer(zendesk.db, records.customer_id(ticket.requester_id)) is None or ticket.requester_id <= 0:
            raise invalid("requester", f"Requester: user {ticket.requester_id} does not exist")
        customer_id = records.customer_id(ticket.requester_id)
    else:
        customer_id = records.AGENT_CUSTOMER_ID
    now = zendesk.clock.now()
    with zendesk.db.conn:  # the ticket and the answer to replay land together, or neither does
        case = Case(
            id=store.next_id(zendesk.db, "cases", "case"),
            customer_id=customer_id,
            subject=ticket.subject or text.splitlines()[0][:80],
            status=_CASE_STATUS[ticket.status or "open"],
            priority=ticket.priority or "normal",
            opened_at=now,
        )
        store.insert_case(zendesk.db, case)
        ticket_id = records.number_of(case.id, "case") or 0
        _link_contact_tags(zendesk, case.id, ticket.tags)
        tags = [tag for tag in ticket.tags if not tag.startswith("contact-")]
        tickets_store.save_ticket_extra(
            zendesk.db,
            ticket_id,
            now,
            description=text,
            status=ticket.status,
            external_id=ticket.external_id,
            tags=tags,
        )
        author = ticket.comment.author_id or records.AGENT_USER_ID
        tickets_store.add_comment(zendesk.db, ticket_id, author, text, ticket.comment.public, now)
        answer = {"ticket": _ticket(zendesk, request, store.get_case(zendesk.db, case.id) or case)}
        if key is not None:
            store.remember_answer(zendesk.db, key, digest, 201, json.dumps(answer))
    return JSONResponse(answer, 201, headers={LOOKUP_HEADER: "miss"} if key is not None else None)


@router.put(
    "/tickets/{ticket_id}",
    dependencies=[Depends(ticket_update_allowed)],
    summary="Update a ticket; `ticket.comment` adds a comment (not idempotent); 429 past Update Ticket's limits",
)
async def update_ticket(zendesk: Zendesk, request: Request, ticket_id: int, body: UpdateBody) -> dict[str, Any]:
    case = _case(zendesk, ticket_id)
    change = body.ticket
    if case.status == "closed":
        raise invalid("status", "Status: closed prevents ticket update", "ClosedTicket")
    now = zendesk.clock.now()
    with zendesk.db.conn:
        if change.comment is not None:
            text = _comment_body(change.comment)
            author = change.comment.author_id or records.AGENT_USER_ID
            tickets_store.add_comment(zendesk.db, ticket_id, author, text, change.comment.public, now)
        if change.status is not None:
            tickets_store.set_case_status(zendesk.db, case.id, _CASE_STATUS[change.status])
        _link_contact_tags(zendesk, case.id, change.additional_tags)
        extra_tags = [tag for tag in change.additional_tags if not tag.startswith("contact-")]
        existing = tickets_store.ticket_extra(zendesk.db, ticket_id).get("tags", [])
        tickets_store.save_ticket_extra(
            zendesk.db, ticket_id, now, status=change.status, tags=sorted({*existing, *extra_tags})
        )
    return {"ticket": _ticket(zendesk, request, _case(zendesk, ticket_id))}


@router.get("/tickets/{ticket_id}/comments", summary="The ticket's comments, oldest first")
async def list_comments(
    zendesk: Zendesk,
    request: Request,
    ticket_id: int,
    page: Page = 1,
    per_page: PerPage = 100,
    sort_order: Literal["asc", "desc"] = Query("asc"),
) -> dict[str, Any]:
    case = _case(zendesk, ticket_id)
    comments: list[dict[str, Any]] = []
    for contact_id in case.contact_ids:
        for interaction in store.interactions_of_contact(zendesk.db, contact_id, 100):
            comments.append(records.interaction_comment(interaction))
    comments += [
        records.note_comment(n)
        for n in store.notes_of(zendesk.db, case.customer_id)
        if n.contact_id in case.contact_ids
    ]
    comments += [records.api_comment(row) for row in tickets_store.comments_of(zendesk.db, ticket_id)]
    comments.sort(key=lambda comment: (comment["created_at"], comment["id"]), reverse=sort_order == "desc")
    return page_of(request, "comments", comments, page, per_page)
