"""The simulated IVR: a menu per entry number, identity capture with a CRM dip, self-service, attached data.

The entry numbers and menus are data: `ccaas/data/ivr.toml`, read and checked at start.

A caller dials an entry number and presses keys through its menu tree (press 1 for billing…);
the option reached names the queue and the intent. An option may ask for the account number:
the IVR looks it up in the CRM (a "data dip", `CustomerDirectory`) and counts the caller
verified when the account exists and the calling number is one of its customer's phones; a
caller who types nothing is looked up by their number (identified, not verified). The tier
and VIP flag come from the CRM at that moment. An option may offer self-service: a caller
who takes it is served there and never reaches the queue (containment, counted per queue).
Everything collected travels with the contact as `AttachedData`.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Protocol

import httpx
from pydantic import BaseModel, Field, StrictBool, model_validator

from agent_desktop_mocks.ccaas.core.wire.schemas import AttachedData, Contact, Text
from agent_desktop_mocks.common.toml_tables import once, read_table

log = logging.getLogger(__name__)

VIP_TIERS = frozenset({"platinum"})
DATA = Path(__file__).resolve().parent / "data"


class IvrOption(BaseModel):
    """A menu option: it routes to a queue with an intent, or opens a submenu (`options`)."""

    label: str = Field(max_length=80, description="What the prompt says, e.g. Billing")
    queue_id: str = Field(max_length=100)
    intent: str = Field(max_length=80, description="e.g. billing_inquiry")
    identify: bool = Field(default=False, description="Ask for the account number (and look it up in the CRM)")
    self_service_pct: float = Field(
        default=0.0, ge=0, le=100, description="Simulator: share of callers who take the self-service offered here"
    )
    options: dict[str, IvrOption] = Field(default={}, description="A submenu: key → option (the leaf routes)")


class IvrEntry(BaseModel):
    """One entry number (DNIS) and its menu."""

    number: str = Field(max_length=40, description="The number callers dial, e.g. +18005550100")
    language: str = Field(default="en", max_length=20)
    options: dict[str, IvrOption] = Field(min_length=1, description="Key pressed → option")


class EntryRow(BaseModel):
    """An entry number as ivr.toml writes it: its menu by name."""

    number: str = Field(max_length=40)
    language: str = Field(default="en", max_length=20)
    menu: str


class IvrTable(BaseModel):
    """ivr.toml: the entry numbers, and the menus they name (menu name → key pressed → option)."""

    entries: list[EntryRow] = Field(alias="entry", min_length=1)
    menus: dict[str, Annotated[dict[str, IvrOption], Field(min_length=1)]] = Field(alias="menu", min_length=1)

    @model_validator(mode="after")
    def _menus_named(self) -> IvrTable:
        once("entry", (entry.number for entry in self.entries))
        for entry in self.entries:
            if entry.menu not in self.menus:
                raise ValueError(f'entry "{entry.number}": no menu "{entry.menu}" (menus: {", ".join(self.menus)})')
        return self

    def entry_list(self) -> list[IvrEntry]:
        return [IvrEntry(number=e.number, language=e.language, options=self.menus[e.menu]) for e in self.entries]


def read_ivr(path: Path, shown_as: str | None = None) -> list[IvrEntry]:
    """The entry numbers of an ivr.toml; raises `TableError` (common/toml_tables.py) naming the file and the entry."""
    return read_table(path, IvrTable, shown_as=shown_as).entry_list()


@functools.cache
def _shipped() -> tuple[IvrEntry, ...]:
    return tuple(read_ivr(DATA / "ivr.toml"))


def demo_ivr() -> list[IvrEntry]:
    """The shipped ivr.toml: the demo's two entry numbers, English and Spanish, the same menu (a fresh copy)."""
    return [entry.model_copy(deep=True) for entry in _shipped()]


class IvrCall(BaseModel):
    """A call through the IVR (what the caller dialled and pressed)."""

    entry_number: Text = Field(max_length=40)
    from_address: Text = Field(min_length=1, max_length=320)
    keys: list[Annotated[Text, Field(min_length=1, max_length=2)]] = Field(
        default=[], max_length=10, description="Menu keys pressed, in order"
    )
    account_number: Text | None = Field(default=None, max_length=40, description="What the caller typed when asked")
    self_service: StrictBool = Field(default=False, description="The caller takes the self-service offered, if any")
    subject: Text | None = Field(default=None, max_length=500)


class IvrOutcome(BaseModel):
    outcome: Literal["contained", "queued"]
    queue_id: str
    attached: AttachedData
    contact: Contact | None = Field(default=None, description="The contact queued (none when self-service served)")
    ewt_s: float | None = Field(default=None, description="The estimated wait announced to the caller")


@dataclass(frozen=True)
class CustomerFacts:
    account_number: str | None
    phones: tuple[str, ...]
    tier: str | None


class CustomerDirectory(Protocol):
    """The CRM as the IVR sees it: who has this account, who calls from this number."""

    async def by_account(self, account_number: str) -> CustomerFacts | None: ...

    async def by_phone(self, phone: str) -> CustomerFacts | None: ...


class NoDirectory:
    """No CRM configured: nothing is found, nobody is verified."""

    async def by_account(self, account_number: str) -> CustomerFacts | None:
        return None

    async def by_phone(self, phone: str) -> CustomerFacts | None:
        return None


class CrmDirectory:
    """The mock CRM's lookup over HTTP (`GET /v1/customers/lookup`); a CRM that fails answers "not found"."""

    def __init__(self, url: str, token: str, timeout_s: float = 2.0) -> None:
        self._client = httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout_s,
            # plain http (the mock CRM on loopback) has no TLS to verify: no CA bundle to load for each client
            verify=not url.lower().startswith("http:"),
        )

    async def by_account(self, account_number: str) -> CustomerFacts | None:
        return await self._lookup({"account": account_number})

    async def by_phone(self, phone: str) -> CustomerFacts | None:
        return await self._lookup({"phone": phone})

    async def _lookup(self, params: dict[str, str]) -> CustomerFacts | None:
        try:
            response = await self._client.get("/v1/customers/lookup", params=params)
        except httpx.HTTPError as error:
            log.warning("IVR CRM dip failed: %s", error)
            return None
        if response.status_code != 200:
            return None
        customers = response.json().get("customers") or []
        if len(customers) != 1:
            return None  # nobody, or several: the IVR cannot tell who it is
        customer = customers[0]
        return CustomerFacts(customer.get("account_number"), tuple(customer.get("phones") or ()), customer.get("tier"))

    async def aclose(self) -> None:
        await self._client.aclose()


class IvrRefused(ValueError):
    """The call names an unknown entry number or a key the menu does not have (`field` says which)."""

    def __init__(self, field: str, message: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


@dataclass(frozen=True)
class MenuResult:
    option: IvrOption
    path: list[str]
    language: str


def walk(entries: list[IvrEntry], entry_number: str, keys: list[str]) -> MenuResult:
    """Follow the keys through the entry number's menu to the option that routes (a leaf, or where keys run out)."""
    entry = next((e for e in entries if e.number == entry_number), None)
    if entry is None:
        raise IvrRefused("entry_number", f"unknown entry number, one of {[e.number for e in entries]}", entry_number)
    options, option, path = entry.options, None, []
    for key in keys:
        if key not in options:
            raise IvrRefused("keys", f"no option {key!r} here: the menu has {sorted(options)}", key)
        option = options[key]
        path.append(option.label)
        options = option.options
        if not options:
            break
    if option is None:
        option = entry.options[min(entry.options)]  # no key pressed: the first option, as a timeout would
        path.append(option.label)
    while option.options:  # stopped in a submenu: its first option
        option = option.options[min(option.options)]
        path.append(option.label)
    return MenuResult(option, path, entry.language)


def menu_leaves(options: dict[str, IvrOption], keys: tuple[str, ...] = ()) -> list[tuple[list[str], IvrOption]]:
    """Every option that routes (no submenu), with the keys that reach it."""
    leaves: list[tuple[list[str], IvrOption]] = []
    for key, option in sorted(options.items()):
        if option.options:
            leaves += menu_leaves(option.options, (*keys, key))
        else:
            leaves.append(([*keys, key], option))
    return leaves


async def identify(
    directory: CustomerDirectory, option: IvrOption, from_address: str, typed: str | None
) -> tuple[str | None, bool, str | None]:
    """(account number, verified, tier): the typed account checked against the calling number, else the number."""
    if not option.identify:
        return None, False, None
    if typed:
        facts = await directory.by_account(typed)
        if facts is None:
            return typed, False, None
        caller = await directory.by_phone(from_address)
        verified = caller is not None and caller.account_number == facts.account_number
        return facts.account_number, verified, facts.tier
    facts = await directory.by_phone(from_address)
    if facts is None:
        return None, False, None
    return facts.account_number, False, facts.tier


def attached_data(menu: MenuResult, account: str | None, verified: bool, tier: str | None) -> AttachedData:
    return AttachedData(
        account_number=account,
        verified=verified,
        intent=menu.option.intent,
        menu_path=menu.path,
        language=menu.language,
        tier=tier,
        vip=(tier or "").casefold() in VIP_TIERS,
    )
