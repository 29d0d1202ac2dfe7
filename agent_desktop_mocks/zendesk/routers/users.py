"""Users: search (by the search index, which lags new users), show one or many (direct reads, at once), create
one (refused when the email is another user's), create or update one (updates the user with that email or
external id, as Zendesk documents). Users are the CRM's customers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.crm import store
from agent_desktop_mocks.crm.phones import looks_like_email
from agent_desktop_mocks.crm.schemas import Customer
from agent_desktop_mocks.zendesk import records, users_store
from agent_desktop_mocks.zendesk.errors import ZendeskError, invalid, not_found
from agent_desktop_mocks.zendesk.paging import Page, PerPage, page_of
from agent_desktop_mocks.zendesk.state import Zendesk, ZendeskState

router = APIRouter(prefix="/api/v2/users", tags=["users"])
SHOW_MANY_MOST = 100  # "Accepts a comma-separated list of up to 100 user ids or external ids"


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def searched(zendesk: ZendeskState, query: str) -> list[Customer]:
    """What Zendesk's search index answers now for `query` (new users only after the lag)."""
    return users_store.search(zendesk.db, query, zendesk.clock.now(), zendesk.settings.search_lag_s, zendesk.region)


@router.get("/search", summary="Users matching a query (the search index) or an external id (at once)")
async def search_users(
    zendesk: Zendesk,
    request: Request,
    page: Page = 1,
    per_page: PerPage = 100,
    query: str | None = None,
    external_id: str | None = None,
) -> dict[str, Any]:
    if external_id is not None:
        # "does not support the search syntax. It only accepts ids": read directly (guessed: not index-lagged)
        customer = users_store.owner_of_external_id(zendesk.db, external_id)
        found = [customer] if customer else []
    else:
        found = searched(zendesk, query or "") if (query or "").strip() else []
    users = [users_store.user_json(zendesk.db, customer, base_url(request)) for customer in found]
    return page_of(request, "users", users, page, per_page)


def _listed(text: str | None) -> list[str]:
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    if len(items) > SHOW_MANY_MOST:
        raise ZendeskError(400, "InvalidParameters", f"At most {SHOW_MANY_MOST} ids")
    return items


@router.get("/show_many", summary="Users by ids or external ids, read directly (no search index)")
async def show_many(
    zendesk: Zendesk,
    request: Request,
    ids: str | None = Query(None, max_length=4_000),
    external_ids: str | None = Query(None, max_length=30_000),
) -> dict[str, Any]:
    found: list[Customer] = []
    for item in _listed(ids):
        customer = store.get_customer(zendesk.db, records.customer_id(int(item))) if item.isdigit() else None
        found += [customer] if customer and int(item) > 0 else []
    for item in _listed(external_ids):
        customer = users_store.owner_of_external_id(zendesk.db, item)
        found += [customer] if customer else []
    unique = list({customer.id: customer for customer in found}.values())
    return {"users": [users_store.user_json(zendesk.db, c, base_url(request)) for c in unique], "count": len(unique)}


@router.get("/{user_id}", summary="One user")
async def show_user(zendesk: Zendesk, request: Request, user_id: int) -> dict[str, Any]:
    customer = store.get_customer(zendesk.db, records.customer_id(user_id)) if user_id > 0 else None
    if customer is None:
        raise not_found(f"user {user_id}")
    return {"user": users_store.user_json(zendesk.db, customer, base_url(request))}


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


class UserChange(BaseModel):
    user_fields: dict[str, Any] = Field(default={}, max_length=100)


class UserChangeBody(BaseModel):
    user: UserChange


def _checked(user: UserWrite) -> None:
    if not user.name.strip():
        raise invalid("name", "Name: is too short (minimum one character)", "BlankValue")
    if user.email is not None and not looks_like_email(user.email):
        raise invalid("email", f"Email: {user.email} is not properly formatted")
    # Kept as written: Zendesk checks E.164 only where the account turns on "Validate user phone numbers"
    # (Talk Partner Edition, "Creating a user profile in Support for a caller"); guessed: off, its default.
    if user.phone is not None and not store.digits(user.phone):
        raise invalid("phone", f"Phone: {user.phone} is not a phone number")


def _create(zendesk: ZendeskState, user: UserWrite) -> Customer:
    with zendesk.db.conn:
        customer = Customer(
            id=store.next_id(zendesk.db, "customers", "cus"),
            name=user.name.strip(),
            phones=[user.phone.strip()] if user.phone else [],
            emails=[user.email] if user.email else [],
            language=user.locale,
        )
        store.insert_customer(zendesk.db, customer)
        users_store.mark_created(zendesk.db, customer.id, zendesk.clock.now())
        if user.external_id:
            users_store.set_external_id(zendesk.db, customer.id, user.external_id)
    return customer


@router.post("", status_code=201, summary="Create a user (422 when the email or external id is another user's)")
async def create_user(zendesk: Zendesk, request: Request, body: UserBody) -> JSONResponse:
    user = body.user
    _checked(user)
    if user.email and store.customers_by_email(zendesk.db, user.email):
        raise invalid("email", f"Email: {user.email} is already being used by another user", "DuplicateValue")
    if user.external_id and users_store.owner_of_external_id(zendesk.db, user.external_id):
        # guessed wording: the reference names no error for it, but external ids are unique per account
        raise invalid("external_id", "External has already been taken", "DuplicateValue")
    customer = _create(zendesk, user)
    return JSONResponse({"user": users_store.user_json(zendesk.db, customer, base_url(request))}, status_code=201)


@router.put("/{user_id}", summary="Update a user: the values of the account's user fields (`user_fields`)")
async def update_user(zendesk: Zendesk, request: Request, user_id: int, body: UserChangeBody) -> dict[str, Any]:
    """ "user_fields: Values of custom fields in the user's profile" (Users); a checkbox field holds true or false
    (User Fields). Only the consent checkboxes are written here (records.CONSENT_USER_FIELDS)."""
    customer = store.get_customer(zendesk.db, records.customer_id(user_id)) if user_id > 0 else None
    if customer is None:
        raise not_found(f"user {user_id}")
    fields = body.user.user_fields
    for key, value in fields.items():
        if key in records.CONSENT_USER_FIELDS and not isinstance(value, bool):
            raise invalid(f"user_fields.{key}"[:80], f"{key}: a checkbox is true or false")
    with zendesk.db.conn:
        updated = users_store.set_consent(zendesk.db, customer, fields)
    return {"user": users_store.user_json(zendesk.db, updated, base_url(request))}


@router.post("/create_or_update", summary="Create a user, or update the one with this email or external id")
async def create_or_update_user(zendesk: Zendesk, request: Request, body: UserBody) -> JSONResponse:
    """ "Creates a user if the user does not already exist, or updates an existing user identified by e-mail
    address or external ID": the name and phone are replaced, and the external id too."""
    user = body.user
    _checked(user)
    existing = store.customers_by_email(zendesk.db, user.email) if user.email else []
    if not existing and user.external_id:
        owner = users_store.owner_of_external_id(zendesk.db, user.external_id)
        existing = [owner] if owner else []
    if not existing:
        customer = _create(zendesk, user)
        return JSONResponse({"user": users_store.user_json(zendesk.db, customer, base_url(request))}, status_code=201)
    with zendesk.db.conn:
        updated = users_store.update_user(
            zendesk.db, existing[0], name=user.name.strip(), phone=user.phone, email=user.email
        )
        if user.external_id:
            users_store.set_external_id(zendesk.db, updated.id, user.external_id)
    return JSONResponse({"user": users_store.user_json(zendesk.db, updated, base_url(request))}, status_code=200)
