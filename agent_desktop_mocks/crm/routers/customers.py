"""Customers: lookup by phone, email or account; the screen-pop record; creation; notes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.common.http.openapi_responses import Responses
from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.idempotency import IdempotencyKey, OptionalIdempotencyKey
from agent_desktop_mocks.crm.phones import is_region, looks_like_email, normalise_phone
from agent_desktop_mocks.crm.schemas import (
    Case,
    Customer,
    CustomerCreate,
    CustomerRecord,
    Interaction,
    LookupResult,
    Note,
    NoteCreate,
)
from agent_desktop_mocks.crm.state import Crm, CrmState

router = APIRouter(prefix="/customers", tags=["customers"])


class LookupQuery(BaseModel):
    """The lookup's query string: exactly one of address, phone, email or account."""

    address: str | None = Field(None, description="Phone number or email, as the contact gave it")
    phone: str | None = Field(None, description="Phone number in any written form")
    email: str | None = Field(None, description="Email address, any case")
    account: str | None = Field(None, description="Account number, e.g. ACC-48213377")
    region: str | None = Field(
        None, min_length=2, max_length=2, description="ISO 3166 region for numbers without +country"
    )
    record: bool = Field(
        False, description="With exactly one match, include their screen-pop record (saves a round trip)"
    )


RECORD_INTERACTIONS = 20
RECORD_ORDERS = 10

_NOT_FOUND: Responses = {404: {"description": "No customer with this id"}}


def _phone(raw: str, what: str, region: str) -> str:
    e164 = normalise_phone(raw, region)
    if e164 is None:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{what} {raw!r} is not a phone number")
    return e164


@router.get(
    "/lookup",
    response_model=LookupResult,
    summary="Find customers by phone, email or account number",
    description=(
        "Give exactly one of `address` (an email if it contains `@`, else a phone number), `phone`, "
        "`email` or `account`. Phone numbers may be written any way (`(415) 555-0101`, "
        "`+1 415 555 0101`...) and are normalised to E.164; a number without a country code is read in "
        "`region` (default: the server's `phone_region`, US unless configured). Emails are "
        'case-insensitive. No match is `{"matched_on": null, "customers": []}` (a new caller). '
        "An address that is neither a phone number nor an email is 422."
    ),
    responses={422: {"description": "No search given, or an address that is not a phone number or email"}},
)
async def lookup(request: Request, query: Annotated[LookupQuery, Query()]) -> LookupResult:
    # The hot path of a screen pop: one model for the query string (FastAPI resolves it much faster
    # than six parameters) and the state read from the request (each dependency costs a resolution).
    crm: CrmState = request.app.state.crm
    address, phone, email, account, region, record = (
        query.address,
        query.phone,
        query.email,
        query.account,
        query.region,
        query.record,
    )
    if region is not None and not is_region(region):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"region {region!r} is not a known region code")
    region = (region or crm.region).upper()
    if sum(value is not None for value in (address, phone, email, account)) != 1:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "give exactly one of address, phone, email or account"
        )
    e164 = None
    if address is not None:
        if "@" in address:
            email = address
        elif (e164 := normalise_phone(address, region)) is None:
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                f"address {address!r} is neither a phone number nor an email address",
            )
    elif phone is not None:
        e164 = _phone(phone, "phone", region)
    if e164 is not None:  # read once: parsing a number is a good part of a lookup's cost
        found = store.customers_by_phone(crm.db, e164)
        matched_on = "phone"
    elif email is not None:
        if not looks_like_email(email):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{email!r} is not an email address")
        found = store.customers_by_email(crm.db, email)
        matched_on = "email"
    else:
        found = store.customers_by_account(crm.db, account or "")
        matched_on = "account"
    result = LookupResult(matched_on=matched_on if found else None, customers=found)
    if record and len(found) == 1:
        result.record = _record(crm, found[0]).model_copy(update={"matched_on": matched_on})
    return result


SEARCH_LIMIT = 20


@router.get(
    "/search",
    response_model=list[Customer],
    summary="Search customers by name, phone, email or account number",
    description=(
        "For an agent identifying a caller by hand (a withheld number). `q` containing `@` is an email "
        "(exact, any case); `ACC-…` an account number; something that reads as a phone number (any written "
        "form, `region` as for lookup) a phone; anything else words that must all appear in the name (any "
        f"case). At most `limit` (default {SEARCH_LIMIT}) customers, by name; none is `[]`."
    ),
)
async def search(
    crm: Crm,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, phone, email or account number")],
    region: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = SEARCH_LIMIT,
) -> list[Customer]:
    if region is not None and not is_region(region):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"region {region!r} is not a known region code")
    text = q.strip()
    if "@" in text:
        return store.customers_by_email(crm.db, text)[:limit]
    if text.upper().startswith("ACC-"):
        return store.customers_by_account(crm.db, text)[:limit]
    if any(char.isdigit() for char in text) and (e164 := normalise_phone(text, (region or crm.region).upper())):
        return store.customers_by_phone(crm.db, e164)[:limit]
    return store.customers_named(crm.db, text, limit)


def _customer(crm: Crm, customer_id: str) -> Customer:
    customer = store.get_customer(crm.db, customer_id)
    if customer is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {customer_id}")
    return customer


@router.get("/{customer_id}", response_model=Customer, summary="One customer", responses=_NOT_FOUND)
async def get_customer(crm: Crm, customer_id: str) -> Customer:
    return _customer(crm, customer_id)


@router.get(
    "/{customer_id}/record",
    response_model=CustomerRecord,
    summary="What a screen pop shows",
    description=(
        f"The customer, their account and billing, their latest {RECORD_INTERACTIONS} interactions (newest "
        "first), their cases (open, then pending, then closed; newest first within) and latest "
        f"{RECORD_ORDERS} orders. `matched_on` is null here."
    ),
    responses=_NOT_FOUND,
)
async def get_record(crm: Crm, customer_id: str) -> CustomerRecord:
    return _record(crm, _customer(crm, customer_id))


def _record(crm: Crm, customer: Customer) -> CustomerRecord:
    customer_id = customer.id
    return CustomerRecord(
        customer=customer,
        account=store.account_of(crm.db, customer_id),
        interactions=store.interactions_of(crm.db, customer_id, limit=RECORD_INTERACTIONS),
        cases=store.cases_of(crm.db, customer_id),
        orders=store.orders_of(crm.db, customer_id, limit=RECORD_ORDERS),
    )


@router.get(
    "/{customer_id}/interactions",
    response_model=list[Interaction],
    summary="A customer's interactions, newest first",
    responses=_NOT_FOUND,
)
async def list_interactions(crm: Crm, customer_id: str) -> list[Interaction]:
    _customer(crm, customer_id)
    return store.interactions_of(crm.db, customer_id)


@router.get(
    "/{customer_id}/cases",
    response_model=list[Case],
    summary="A customer's cases, open first",
    responses=_NOT_FOUND,
)
async def list_cases(crm: Crm, customer_id: str) -> list[Case]:
    _customer(crm, customer_id)
    return store.cases_of(crm.db, customer_id)


@idempotency.creates(
    router,
    "",
    Customer,
    summary="Create a customer (idempotent with a key)",
    before="Phones are stored in E.164 (read in the server's `phone_region` when written without a country "
    "code); a phone or email that cannot be read is 422. ",
)
async def create_customer(
    crm: Crm, body: CustomerCreate, idempotency_key: OptionalIdempotencyKey = None
) -> JSONResponse:
    def create() -> Customer:
        customer = Customer(id=store.next_id(crm.db, "customers", "cus"), **body.model_dump())
        store.insert_customer(crm.db, customer)
        return customer

    return idempotency.write(crm, idempotency_key, "POST /v1/customers", body, create)


@router.get(
    "/{customer_id}/notes", response_model=list[Note], summary="A customer's notes, newest first", responses=_NOT_FOUND
)
async def list_notes(crm: Crm, customer_id: str) -> list[Note]:
    _customer(crm, customer_id)
    return store.notes_of(crm.db, customer_id)


@idempotency.creates(
    router,
    "/{customer_id}/notes",
    Note,
    summary="Add a note to a customer (idempotent)",
    before="The `Idempotency-Key` header is required. ",
    responses=_NOT_FOUND,
)
async def add_note(crm: Crm, customer_id: str, body: NoteCreate, idempotency_key: IdempotencyKey) -> JSONResponse:
    def create() -> Note:
        _customer(crm, customer_id)
        note = Note(
            id=store.next_id(crm.db, "notes", "note"),
            customer_id=customer_id,
            created_at=crm.clock.now(),
            **body.model_dump(),
        )
        store.insert_note(crm.db, note)
        return note

    return idempotency.write(crm, idempotency_key, f"POST /v1/customers/{customer_id}/notes", body, create)
