"""Users: search by email, phone, name or external id; show one; create or update one (customers in the CRM)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mock_backends.crm import store
from mock_backends.crm.phones import looks_like_email, normalise_phone
from mock_backends.crm.schemas import Customer
from mock_backends.zendesk import records, tickets_store
from mock_backends.zendesk.errors import invalid, not_found
from mock_backends.zendesk.paging import Page, PerPage, page_of
from mock_backends.zendesk.state import Zendesk, ZendeskState

router = APIRouter(prefix="/api/v2/users", tags=["users"])
NAME_MATCHES = 100


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def customers_matching(zendesk: ZendeskState, text: str) -> list[Customer]:
    """An email address, a phone number in any written form (`*` allowed in front), or words of a name."""
    text = text.strip()
    if looks_like_email(text):
        return store.customers_by_email(zendesk.db, text)
    digits = text.lstrip("*")
    phone = normalise_phone(digits if digits.startswith("+") or not digits.isdigit() else f"+{digits}", zendesk.region)
    if phone is not None and any(c.isdigit() for c in text):
        found = store.customers_by_phone(zendesk.db, phone)
        if found or not text.startswith("*"):
            return found
        local = normalise_phone(digits, zendesk.region)  # `*` asks for other written forms: read it as local too
        return store.customers_by_phone(zendesk.db, local) if local else []
    return store.customers_named(zendesk.db, text, NAME_MATCHES)


@router.get("/search", summary="Users matching a query or an external id")
async def search_users(
    zendesk: Zendesk, request: Request, page: Page = 1, per_page: PerPage = 100,
    query: str | None = None, external_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    if external_id is not None:
        customer = store.get_customer(zendesk.db, external_id)
        found = [customer] if customer else []
    else:
        found = customers_matching(zendesk, query or "") if (query or "").strip() else []
    users = [records.user_json(customer, base_url(request)) for customer in found]
    return page_of(request, "users", users, page, per_page)


@router.get("/{user_id}", summary="One user")
async def show_user(zendesk: Zendesk, request: Request, user_id: int) -> dict[str, Any]:
    customer = store.get_customer(zendesk.db, records.customer_id(user_id)) if user_id > 0 else None
    if customer is None:
        raise not_found(f"user {user_id}")
    return {"user": records.user_json(customer, base_url(request))}


class UserWrite(BaseModel):
    name: str = Field(max_length=255)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=64)
    role: str | None = None
    locale: str | None = Field(None, max_length=20)
    external_id: str | None = Field(None, max_length=255)
    verified: bool | None = None


class UserBody(BaseModel):
    user: UserWrite


@router.post("/create_or_update", summary="Create a user, or update the one with this email or external id")
async def create_or_update_user(zendesk: Zendesk, request: Request, body: UserBody) -> JSONResponse:
    user = body.user
    if not user.name.strip():
        raise invalid("name", "Name: is too short (minimum one character)", "BlankValue")
    if user.email is not None and not looks_like_email(user.email):
        raise invalid("email", f"Email: {user.email} is not properly formatted")
    phone = normalise_phone(user.phone, zendesk.region) if user.phone else None
    if user.phone and phone is None:
        raise invalid("phone", f"Phone: {user.phone} is not a phone number")
    existing = store.customers_by_email(zendesk.db, user.email) if user.email else []
    if not existing and user.external_id:
        # an external id given to a user made here, else a CRM id (what this mock serves as external_id)
        owner = tickets_store.customer_with_external_id(zendesk.db, user.external_id) or user.external_id
        found = store.get_customer(zendesk.db, owner)
        existing = [found] if found else []
    if existing:
        return JSONResponse({"user": records.user_json(existing[0], base_url(request))}, status_code=200)
    with zendesk.db.conn:
        customer = Customer(
            id=store.next_id(zendesk.db, "customers", "cus"), name=user.name.strip(),
            phones=[phone] if phone else [], emails=[user.email] if user.email else [], language=user.locale,
        )  # fmt: skip
        store.insert_customer(zendesk.db, customer)
        if user.external_id:
            tickets_store.save_external_id(zendesk.db, user.external_id, customer.id)
    return JSONResponse({"user": records.user_json(customer, base_url(request))}, status_code=201)
