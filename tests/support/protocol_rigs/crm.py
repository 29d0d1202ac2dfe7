"""CRM rigs: the HTTP client against a real mock CRM on loopback, and the in-process backend over its store.

Both are built from the same settings (the same seeded customers); `inject_faults` sets the CRM's test-only
faults, through its admin API over HTTP and its admin route in-process (one `FaultState` either way).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from desktop.backends.crm_http import HttpCrm
from desktop.backends.protocols import Crm
from mock_backends.common.settings import DEMO_CRM_TOKEN
from mock_backends.crm.app import create_app as create_crm
from mock_backends.crm.faults import Faults
from mock_backends.crm.routers import admin
from tests.support.in_process.crm import InProcessCrm
from tests.support.protocol_rigs.contact_center import rig_settings
from tests.support.protocol_rigs.served import served


class CrmRig(Protocol):
    backend: Crm

    async def inject_faults(self, **faults: Any) -> None: ...


@dataclass
class HttpCrmRig:
    backend: HttpCrm
    admin: httpx.AsyncClient

    async def inject_faults(self, **faults: Any) -> None:
        (await self.admin.put("/v1/admin/faults", json=Faults(**faults).model_dump(mode="json"))).raise_for_status()


@dataclass
class InProcessCrmRig:
    backend: InProcessCrm
    app: Any

    async def inject_faults(self, **faults: Any) -> None:
        await admin.set_faults(self.app.state.crm, Faults(**faults))


@asynccontextmanager
async def crm_rig(kind: str, data_dir: Path) -> AsyncIterator[CrmRig]:
    app = create_crm(rig_settings(data_dir))
    if kind == "http":
        async with served(app, DEMO_CRM_TOKEN) as (url, admin_client):
            rig = HttpCrmRig(HttpCrm(url, DEMO_CRM_TOKEN), admin_client)
            try:
                yield rig
            finally:
                await rig.backend.aclose()
    else:
        try:
            yield InProcessCrmRig(InProcessCrm(app), app)
        finally:
            app.state.crm.db.close()
