"""A customer's consent withdrawn for a channel: what a CPaaS reports when the customer opted out (replied STOP to an
SMS; Twilio's error 21610). SMS is `consent_sms`, email the broader `consent_marketing` (the record keeps no email
consent of its own, as the desk reads it). Consent is given again by the customer, not by this call."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from agent_desktop_mocks.crm import idempotency, store
from agent_desktop_mocks.crm.idempotency import IdempotencyKey
from agent_desktop_mocks.crm.schemas import Customer
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/customers", tags=["customers"])
FIELD = {"sms": "consent_sms", "email": "consent_marketing"}


class ConsentWithdrawal(BaseModel):
    channel: Literal["sms", "email"]
    reason: str = Field(min_length=1, max_length=500, description="Why, as the desk learnt it (a CPaaS's refusal)")


@idempotency.creates(
    router,
    "/{customer_id}/consent-withdrawals",
    Customer,
    summary="Withdraw a customer's consent for a channel (idempotent); answers the customer after it",
    before="The `Idempotency-Key` header is required. ",
    responses={404: {"description": "No customer with this id"}},
)
async def withdraw_consent(
    crm: Crm, customer_id: str, body: ConsentWithdrawal, idempotency_key: IdempotencyKey
) -> JSONResponse:
    def withdraw() -> Customer:
        if store.get_customer(crm.db, customer_id) is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no customer {customer_id}")
        store.set_consent(crm.db, customer_id, FIELD[body.channel], False)
        return store.get_customer(crm.db, customer_id)  # type: ignore[return-value]

    scope = f"POST /v1/customers/{customer_id}/consent-withdrawals"
    return idempotency.write(crm, idempotency_key, scope, body, withdraw)
