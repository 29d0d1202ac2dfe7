"""What the CRM's routes share: its database, clock, phone region and injected faults, on `app.state.crm`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, cast

import sqlite_utils
from fastapi import Depends, Request

from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.crm.faults import FaultState


@dataclass
class CrmState:
    settings: MockSettings
    db: sqlite_utils.Database
    clock: Clock
    region: str = "US"
    faults: FaultState = field(default_factory=FaultState)


async def _crm(request: Request) -> CrmState:
    # async: a plain `def` dependency would run in the thread pool, a costly hop on every request.
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(CrmState, request.app.state.crm)


Crm = Annotated[CrmState, Depends(_crm)]
