"""The CRM rig on Request Tracker 5: the RT backend against a real RT (tests/support/request_tracker.py), the test
process's one RT put back to the seeded template for the scenario, through a loopback proxy that injects the same
faults the other rigs' servers do (the mock CRM's fault middleware in front of a pass-through to RT). What was written is read back from RT's own SQLite
database; a number typed by a person is set through RT's own API."""

from __future__ import annotations

import base64
import quopri
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response

from agent_desktop.adapters.request_tracker.crm import RequestTrackerCrm
from agent_desktop.adapters.wire.written_marker import marker_of
from agent_desktop.domain.protocols import Crm
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.crm.faults import FaultInjector, Faults, FaultState
from tests.support.request_tracker import RtServer, fresh_rt

# Fields of RT's tables the rig reads: Users (Name, RealName, EmailAddress), custom field values of the user field
# `Phone`, and the text of each transaction (Attachments.Content of the transaction's first text/plain part).
PHONES_SQL = """
select v.Content from ObjectCustomFieldValues v join CustomFields f on f.id = v.CustomField
join Users u on u.id = v.ObjectId
where v.ObjectType = 'RT::User' and f.Name = 'Phone' and v.Disabled = 0 and u.Name = ? order by v.id
"""
WRITTEN_SQL = """
select a.Content, a.ContentEncoding from Attachments a join Transactions t on t.id = a.TransactionId
where t.ObjectType = 'RT::Ticket' and t.Type in ('Create', 'Comment') and a.ContentType = 'text/plain'
order by a.id
"""
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "content-encoding"}


def _text(content: str | bytes | None, encoding: str | None) -> str:
    """An attachment's text as RT stores it: SQLite keeps non-ASCII text base64 (RT::Record's _EncodeLOB)."""
    raw = content.encode() if isinstance(content, str) else content or b""
    if encoding == "base64":
        raw = base64.b64decode(raw)
    elif encoding == "quoted-printable":
        raw = quopri.decodestring(raw)
    return raw.decode("utf-8", errors="replace")


def fault_proxy(target: str, faults: FaultState) -> FastAPI:
    """A pass-through to RT with the CRM mock's fault middleware in front (faults only on REST 2's paths)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    client = httpx.AsyncClient(base_url=target, timeout=60.0)

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
    async def forward(path: str, request: Request) -> Response:
        answer = await client.request(
            request.method,
            "/" + path,
            params=list(request.query_params.multi_items()),
            content=await request.body(),
            headers={k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS},
        )
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS}
        return Response(answer.content, answer.status_code, headers)

    app.add_middleware(FaultInjector, state=faults)
    return app


def written_in(server: RtServer) -> Callable[[str], list[str]]:
    """The desk's wrap-ups of a contact among RT's ticket transactions, by the key on their marker line."""

    def written(contact_id: str) -> list[str]:
        markers = [marker_of(_text(content, encoding)) for content, encoding in server.query(WRITTEN_SQL)]
        return [m["key"] for m in markers if m.get("contact_id") == contact_id and "disposition" in m]

    return written


@dataclass
class RtRig:
    backend: RequestTrackerCrm
    server: RtServer
    faults: FaultState
    url: str  # the proxy's
    db_path: Path
    expected: Any
    kind: str = "rt"
    search_lag_s: float = 0.0  # RT searches its database: a user made a moment ago is found
    opened: list[Crm] = field(default_factory=list)

    def advance(self, seconds: float) -> None:
        pass

    def phone_typed_as(self, customer_id: str, phone: str) -> None:
        """As a person types it into the user's `Phone` field in RT (RT keeps it as typed)."""
        with self.server.client() as rt:
            answer = rt.put(f"/user/{customer_id}", json={"CustomFields": {"Phone": [phone]}})
            answer.raise_for_status()

    def stored(self, customer_id: str) -> dict[str, Any]:
        rows = self.server.query("select RealName, EmailAddress from Users where Name = ?", customer_id)
        name, email = rows[0]
        phones = [row[0] for row in self.server.query(PHONES_SQL, customer_id)]
        return {"name": name, "phones": phones, "emails": [email] if email else [], "external_id": None}

    def with_phone(self, digits: str) -> list[str]:
        rows = self.server.query(
            "select distinct u.Name, v.Content from ObjectCustomFieldValues v join CustomFields f on f.id = v.CustomField"
            " join Users u on u.id = v.ObjectId where v.ObjectType = 'RT::User' and f.Name = 'Phone' and v.Disabled = 0"
        )
        return sorted({name for name, phone in rows if "".join(c for c in phone if c.isdigit()).endswith(digits)})

    async def inject_faults(self, **faults: Any) -> None:
        self.faults.set(Faults(**{"path_prefix": "/REST/2.0/", **faults}))

    def requests_met_by_faults(self) -> int:
        return self.faults.matched

    def written(self, contact_id: str) -> list[str]:
        return written_in(self.server)(contact_id)

    def restarted(self, **options: Any) -> RequestTrackerCrm:
        options.pop("rate_limit_wait_s", None)  # RT has no rate limit to wait out
        backend = RequestTrackerCrm(self.url, self.server.token, **options)
        self.opened.append(backend)
        return backend


@asynccontextmanager
async def rt_rig(data_dir: Path, expected: Any) -> AsyncIterator[RtRig]:
    faults = FaultState()
    with fresh_rt() as server:
        proxy = serve_in_thread([fault_proxy(server.url, faults)])
        url = proxy.urls[0]
        rig = RtRig(RequestTrackerCrm(url, server.token), server, faults, url, server.database, expected)
        try:
            yield rig
        finally:
            for backend in (rig.backend, *rig.opened):
                await backend.aclose()
            proxy.stop()
