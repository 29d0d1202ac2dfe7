"""What the Zendesk mock's routes share (on `app.state.zendesk`): the CRM's database, clock and phone region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, cast

import sqlite_utils
from fastapi import Depends, Request

from agent_desktop_mocks.common.clock import Clock
from agent_desktop_mocks.zendesk.settings import ZendeskMockSettings


@dataclass
class ZendeskState:
    db: sqlite_utils.Database
    clock: Clock
    settings: ZendeskMockSettings
    region: str = "US"


async def _zendesk(request: Request) -> ZendeskState:
    # Starlette types app.state as Any: the app's set-up put this there.
    return cast(ZendeskState, request.app.state.zendesk)


Zendesk = Annotated[ZendeskState, Depends(_zendesk)]
