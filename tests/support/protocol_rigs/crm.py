"""CRM rigs: the HTTP client against a real mock CRM on loopback, the in-process backend over its store,
and the Zendesk backend against the Zendesk-shaped mock (the same seeded customers in Zendesk's shapes).

All are built from the same settings (the same seeded customers). What differs between backends is said
here, not weakened in the scenarios: the ids a backend gives the same customer, the words of its
refusals, how a fault is injected (the CRM's admin API over HTTP, its admin route in-process, the same
fault middleware put in front of the Zendesk mock), and how what was written is read back from the
server's own store (never through the backend under test). The Zendesk backend talks through the
contract transport: every request and answer of every scenario is checked against its OpenAPI fragment.
The Zendesk mock runs on a clock the scenario steps (`advance`): its search index lags new users by
`search_lag_s`, as Zendesk's does; the other backends have no lag and ignore the steps.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from fastapi import FastAPI

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.adapters.request_tracker.crm import RequestTrackerCrm
from agent_desktop.adapters.wire.written_marker import marker_of
from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.protocols import Crm
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.crm.faults import FaultInjector, Faults, FaultState
from agent_desktop_mocks.crm.routers import admin
from agent_desktop_mocks.zendesk.app import create_app as create_zendesk
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, ZendeskMockSettings
from tests.contract.zendesk_contract import ContractTransport
from tests.support.in_process.crm import InProcessCrm
from tests.support.protocol_rigs.contact_center import rig_settings
from tests.support.protocol_rigs.served import served
from tests.support.stepped_clock import SteppedClock

KINDS = ["http", "in_process", "zendesk", "rt"]
# Request Tracker's scenarios on one xdist worker: they share its one RT, reset between them (tests/support/
# request_tracker.py's `fresh_rt`); spread over the workers each would start an RT of its own.
REQUEST_TRACKER_GROUP = pytest.mark.xdist_group("request_tracker")


def grouped(kinds: list[str]) -> list[Any]:
    """`kinds` as parameters, Request Tracker's in its xdist group."""
    return [pytest.param(kind, marks=REQUEST_TRACKER_GROUP) if kind == "rt" else kind for kind in kinds]


SERVED_KINDS = ["http", "zendesk"]  # a server that can go down and come back, an HTTP client to wait out a 429
DOWN_KINDS = [*SERVED_KINDS, "rt"]  # an address that can refuse the desk and come back (RT: its pass-through's)


@dataclass(frozen=True)
class Expected:
    """What one backend answers where backends may rightly differ."""

    billy: str  # seeded caller 3 of seed 7: Billy Smith, +1 512 555 0100, billy.smith3@example.com
    brandy: str  # seeded caller 2 of seed 7: Brandy Washington, +1 415 555 0100
    unknown: str  # an id of the backend's form that no customer has
    no_customer: str  # the refusal of a record asked by `unknown`
    unreadable_address: str | None  # the refusal of a lookup by "not an address"; None: no match, nothing asked
    case_for_stranger: int  # the status refusing a case for `unknown`
    unknown_on_write: str  # the refusal of a wrap-up for `unknown`
    taken_email_refused: bool  # a new customer with another's email: refused (CustomerExists), or a second one made


MOCK_CRM = Expected(
    billy="cus-000004",
    brandy="cus-000003",
    unknown="cus-999999",
    no_customer="404 no customer cus-999999",
    unreadable_address="422 address 'not an address' is neither a phone number nor an email address",
    case_for_stranger=404,
    unknown_on_write="404 no customer cus-999999",
    taken_email_refused=False,
)
ZENDESK = Expected(
    # Zendesk ids are integers (user 4 is the CRM's cus-000004); the backend reads no phone or email in
    # "not an address", so it has nothing to ask Zendesk; a ticket for a user who does not exist is a record
    # Zendesk will not save (422); a wrap-up for them fails on reading their tickets (404). An email is one
    # user's identity: Create User refuses it for another (422 "is already being used by another user").
    billy="4",
    brandy="3",
    unknown="999999",
    no_customer="404 RecordNotFound; Not found: user 999999",
    unreadable_address=None,
    case_for_stranger=422,
    unknown_on_write="404 RecordNotFound; Not found: user 999999",
    taken_email_refused=True,
)
# RT names a user by their Name (the seeded customers by their email, REST 2's `id` of a user); a look-up by neither
# a phone nor an email is refused before anything is asked; RT answers a missing user 404, and a ticket is refused
# for a requestor who does not exist, before it is made. An email is one user's: RT refuses it for another
# ("Email address in use").
RT = Expected(
    billy="billy.smith3@example.com",
    brandy="brandy.washington2@example.com",
    unknown="nobody-999999@example.invalid",
    no_customer="404 no customer nobody-999999@example.invalid",
    unreadable_address="422 address 'not an address' is neither a phone number nor an email address",
    case_for_stranger=404,
    unknown_on_write="404 no customer nobody-999999@example.invalid",
    taken_email_refused=True,
)


class CrmRig(Protocol):
    kind: str
    expected: Expected
    db_path: Path  # the server's store, read by the tests as the vendor's own records

    @property
    def backend(self) -> Crm:
        """Read-only here, so that a rig may hold its own backend's class."""
        ...

    async def inject_faults(self, **faults: Any) -> None: ...

    def requests_met_by_faults(self) -> int:
        """Requests the fault injector has seen since the faults were last set."""
        ...

    def written(self, contact_id: str) -> list[str]:
        """The wrap-ups of this contact in the server's store, read from its database."""
        ...

    def restarted(self, **options: Any) -> Crm:
        """A new backend on the same server, as a restarted desk builds it (the rig closes it)."""
        ...

    search_lag_s: float  # how long the CRM's search misses a customer just made (0: never)

    def advance(self, seconds: float) -> None:
        """Step the server's clock (the Zendesk mock's search lag and rate window); no-op where none runs."""
        ...

    def phone_typed_as(self, customer_id: str, phone: str) -> None:
        """The customer's number as someone typed it into the CRM itself (not through the desk), long ago:
        kept as typed where the CRM keeps what it is given (Zendesk), in E.164 where it normalises (the mock
        CRM already holds it so)."""
        ...

    def stored(self, customer_id: str) -> dict[str, Any]:
        """The customer as the server's database holds them: name, phones, emails (and Zendesk's external id)."""
        ...

    def with_phone(self, digits: str) -> list[str]:
        """Ids (the backend's form) of the stored customers with a phone whose digits end in `digits`."""
        ...


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _stored_customer(db_path: Path, crm_id: str) -> dict[str, Any]:
    with sqlite3.connect(db_path) as db:
        name, phones, emails = db.execute(
            "select name, phones, emails from customers where id = ?", [crm_id]
        ).fetchone()
    return {"name": name, "phones": json.loads(phones), "emails": json.loads(emails)}


def _with_phone(db_path: Path, digits: str) -> list[str]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("select id, phones from customers order by id").fetchall()
    return [crm_id for crm_id, phones in rows if any(_digits(p).endswith(digits) for p in json.loads(phones or "[]"))]


class _MockCrmData:
    """What the mock CRM's two rigs share: no search lag, customers stored with the CRM's own ids."""

    search_lag_s = 0.0
    db_path: Path
    backend: Any

    def advance(self, seconds: float) -> None:
        pass

    def phone_typed_as(self, customer_id: str, phone: str) -> None:
        pass  # the mock CRM stores every written form in E.164: the seeded number is what it would hold

    def stored(self, customer_id: str) -> dict[str, Any]:
        return {**_stored_customer(self.db_path, customer_id), "external_id": None}

    def with_phone(self, digits: str) -> list[str]:
        return _with_phone(self.db_path, digits)


def _stored_interactions(db_path: Path, contact_id: str) -> list[str]:
    with sqlite3.connect(db_path) as db:
        return [row[0] for row in db.execute("select id from interactions where contact_id = ?", [contact_id])]


@dataclass
class HttpCrmRig(_MockCrmData):
    backend: HttpCrm
    admin: httpx.AsyncClient
    db_path: Path
    url: str
    app: Any = None
    kind: str = "http"
    expected: Expected = MOCK_CRM
    opened: list[Crm] = field(default_factory=list)

    async def inject_faults(self, **faults: Any) -> None:
        (await self.admin.put("/v1/admin/faults", json=Faults(**faults).model_dump(mode="json"))).raise_for_status()

    def written(self, contact_id: str) -> list[str]:
        return _stored_interactions(self.db_path, contact_id)

    def requests_met_by_faults(self) -> int:
        matched: int = self.app.state.crm.faults.matched
        return matched

    def restarted(self, **options: Any) -> Crm:
        backend = HttpCrm(self.url, DEMO_CRM_TOKEN, **options)
        self.opened.append(backend)
        return backend


@dataclass
class InProcessCrmRig(_MockCrmData):
    backend: InProcessCrm
    app: Any
    db_path: Path
    kind: str = "in_process"
    expected: Expected = MOCK_CRM

    async def inject_faults(self, **faults: Any) -> None:
        await admin.set_faults(self.app.state.crm, Faults(**faults))

    def written(self, contact_id: str) -> list[str]:
        return _stored_interactions(self.db_path, contact_id)

    def requests_met_by_faults(self) -> int:
        matched: int = self.app.state.crm.faults.matched
        return matched

    def restarted(self, **options: Any) -> Crm:
        return InProcessCrm(self.app)


@dataclass
class ZendeskRig:
    backend: ZendeskCrm
    transport: ContractTransport  # every exchange of the scenario, each checked against the fragment
    app: FastAPI
    faults: FaultState
    db_path: Path
    url: str
    clock: SteppedClock = field(default_factory=SteppedClock)
    kind: str = "zendesk"
    expected: Expected = ZENDESK
    opened: list[Crm] = field(default_factory=list)
    search_lag_s: float = ZendeskMockSettings().search_lag_s

    def advance(self, seconds: float) -> None:
        self.clock.step(seconds)

    def phone_typed_as(self, customer_id: str, phone: str) -> None:
        # as an agent types it in Zendesk's user profile (no E.164 check: the account's default)
        crm_id = f"cus-{int(customer_id):06d}"
        with sqlite3.connect(self.db_path) as db:
            db.execute("update customers set phones = ? where id = ?", [json.dumps([phone]), crm_id])

    def stored(self, customer_id: str) -> dict[str, Any]:
        crm_id = f"cus-{int(customer_id):06d}"
        with sqlite3.connect(self.db_path) as db:
            row = db.execute(
                "select external_id from zendesk_user_external_ids where customer_id = ?", [crm_id]
            ).fetchone()
        return {**_stored_customer(self.db_path, crm_id), "external_id": row[0] if row else crm_id}

    def with_phone(self, digits: str) -> list[str]:
        return [str(int(crm_id.partition("-")[2])) for crm_id in _with_phone(self.db_path, digits)]

    async def inject_faults(self, **faults: Any) -> None:
        # The CRM's fault middleware in front of the Zendesk mock, on Zendesk's paths (set from this thread:
        # the server reads the new faults on its next request).
        self.faults.set(Faults(**{"path_prefix": "/api/v2/", **faults}))

    def requests_met_by_faults(self) -> int:
        return self.faults.matched

    def written(self, contact_id: str) -> list[str]:
        return self.written_in(self.db_path)(contact_id)

    @staticmethod
    def written_in(db_path: Path) -> Callable[[str], list[str]]:
        """The desk's wrap-ups among the comments written through the API, by the key on their last line."""

        def written(contact_id: str) -> list[str]:
            with sqlite3.connect(db_path) as db:
                bodies = [row[0] for row in db.execute("select body from zendesk_comments order by id")]
            markers = [marker_of(body) for body in bodies]
            return [m["key"] for m in markers if m.get("contact_id") == contact_id and "disposition" in m]

        return written

    def restarted(self, **options: Any) -> ZendeskCrm:
        backend = ZendeskCrm(self.url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=ContractTransport(), **options)
        self.opened.append(backend)
        return backend


def _zendesk_app(settings: Any, faults: FaultState, clock: SteppedClock | None = None) -> FastAPI:
    app = create_zendesk(settings, clock=clock)
    app.add_middleware(FaultInjector, state=faults)  # inside the mock's refusal rewriting: faults keep their status
    return app


@asynccontextmanager
async def crm_rig(kind: str, data_dir: Path) -> AsyncIterator[CrmRig]:
    settings = rig_settings(data_dir)
    db_path = data_dir / "crm.db"
    if kind == "http":
        app = create_crm(settings)
        async with served(app, DEMO_CRM_TOKEN) as (url, admin_client):
            rig = HttpCrmRig(HttpCrm(url, DEMO_CRM_TOKEN), admin_client, db_path, url, app)
            try:
                yield rig
            finally:
                for backend in (rig.backend, *rig.opened):
                    await backend.aclose()
    elif kind == "in_process":
        app = create_crm(settings)
        try:
            yield InProcessCrmRig(InProcessCrm(app), app, db_path)
        finally:
            app.state.crm.db.close()
    elif kind == "zendesk":
        faults = FaultState()
        clock = SteppedClock()
        app = _zendesk_app(settings, faults, clock)
        running = serve_in_thread([app])
        url = running.urls[0]
        transport = ContractTransport()
        zendesk = ZendeskRig(
            ZendeskCrm(url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=transport),
            transport,
            app,
            faults,
            db_path,
            url,
            clock,
        )
        try:
            yield zendesk
        finally:
            for backend in (zendesk.backend, *zendesk.opened):
                await backend.aclose()
            running.stop()
    elif kind == "rt":
        from tests.support.protocol_rigs.rt import rt_rig

        async with rt_rig(data_dir, RT) as rt:
            yield rt
    else:
        raise ValueError(kind)


class DownAndUp:
    """A mock server that is stopped (connections refused) and started again on the same port, over the
    same data (the first start seeds it; later ones keep it)."""

    def __init__(self, build: Callable[[Any], FastAPI], settings: Any) -> None:
        self._build = build
        self._settings = settings
        self._running: RunningServers | None = None
        self.url = ""

    def start(self) -> None:
        port = int(self.url.rsplit(":", 1)[1]) if self.url else None
        self._running = serve_in_thread([self._build(self._settings)], ports=[port] if port else None)
        self.url = self._running.urls[0]
        self._settings = self._settings.model_copy(update={"fresh": False})

    def stop(self) -> None:
        if self._running is not None:
            self._running.stop()
            self._running = None


@asynccontextmanager
async def server_that_goes_down(
    kind: str, data_dir: Path
) -> AsyncIterator[tuple[Crm, DownAndUp, Callable[[str], list[str]]]]:
    """A backend whose server can be stopped and started again, and how to read back a contact's wrap-ups."""
    stack = ExitStack()
    settings = rig_settings(data_dir)
    db_path = data_dir / "crm.db"
    if kind == "http":
        switch = DownAndUp(create_crm, settings)
        switch.start()
        backend: Crm = HttpCrm(switch.url, DEMO_CRM_TOKEN)
        written: Callable[[str], list[str]] = lambda contact_id: _stored_interactions(db_path, contact_id)  # noqa: E731
    elif kind == "zendesk":
        switch = DownAndUp(lambda config: _zendesk_app(config, FaultState()), settings)
        switch.start()
        backend = ZendeskCrm(switch.url, DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN, transport=ContractTransport())
        written = ZendeskRig.written_in(db_path)
    elif kind == "rt":
        # RT itself keeps running (one per test process, reset for the scenario): what goes down and comes back on
        # the same port is the address the desk has, the rig's pass-through in front of RT: the desk's connections
        # are refused as they would be by a stopped RT, over the same data.
        from tests.support.protocol_rigs.rt import fault_proxy, written_in
        from tests.support.request_tracker import fresh_rt

        server = stack.enter_context(fresh_rt())
        switch = DownAndUp(lambda config: fault_proxy(server.url, FaultState()), settings)
        switch.start()
        backend = RequestTrackerCrm(switch.url, server.token)
        written = written_in(server)
    else:
        raise ValueError(kind)
    try:
        yield backend, switch, written
    finally:
        await backend.aclose()
        switch.stop()
        stack.close()
