"""The CRM's JSON shapes (the desktop's `Customer`, `Interaction`, `Case`, `LookupResult`...)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from mock_backends.crm.phones import looks_like_email, normalise_phone


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"


Direction = Literal["inbound", "outbound"]
MatchedOn = Literal["phone", "email", "account"]


class Customer(BaseModel):
    id: str = Field(examples=["cus-000001"])
    name: str
    phones: list[str] = Field(default=[], description="E.164 numbers")
    emails: list[str] = []
    account_number: str | None = Field(default=None, examples=["ACC-48213377"])
    language: str | None = Field(default=None, description="ISO 639-1 code", examples=["en"])
    tier: str | None = Field(default=None, examples=["Gold"])
    consent_marketing: bool | None = None
    notes: str | None = None


class CustomerCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    phones: list[str] = Field(default=[], description="Any written form; stored in E.164 (default region US)")
    emails: list[str] = []
    account_number: str | None = None
    language: str | None = None
    tier: str | None = None
    consent_marketing: bool | None = None
    notes: str | None = None

    @field_validator("phones")
    @classmethod
    def _normalise_phones(cls, phones: list[str]) -> list[str]:
        normalised = []
        for raw in phones:
            e164 = normalise_phone(raw)
            if e164 is None:
                raise ValueError(f"{raw!r} is not a phone number")
            if e164 not in normalised:
                normalised.append(e164)
        return normalised

    @field_validator("emails")
    @classmethod
    def _check_emails(cls, emails: list[str]) -> list[str]:
        for raw in emails:
            if not looks_like_email(raw):
                raise ValueError(f"{raw!r} is not an email address")
        return [raw.strip() for raw in emails]


class Interaction(BaseModel):
    id: str = Field(examples=["int-000001"])
    customer_id: str
    contact_id: str | None = None
    channel: Channel
    direction: Direction = "inbound"
    agent_id: str | None = None
    queue_id: str | None = None
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str | None = None
    notes: str | None = None
    created_at: datetime


class InteractionCreate(BaseModel):
    """The outcome of a contact, written back at wrap-up."""

    customer_id: str
    contact_id: str
    channel: Channel
    direction: Direction = "inbound"
    agent_id: str
    queue_id: str
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    disposition: str
    notes: str = ""


class Case(BaseModel):
    id: str = Field(examples=["case-000001"])
    customer_id: str
    subject: str
    status: Literal["open", "pending", "closed"]
    priority: str = "normal"
    owner: str | None = None
    opened_at: datetime


class LookupResult(BaseModel):
    matched_on: MatchedOn | None = None
    customers: list[Customer] = []


class CustomerRecord(BaseModel):
    """What a screen pop shows: the customer, their history (newest first) and cases (open first)."""

    customer: Customer
    matched_on: MatchedOn | None = None
    interactions: list[Interaction] = []
    cases: list[Case] = []
