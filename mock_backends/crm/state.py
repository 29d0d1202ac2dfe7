"""What the CRM's routes share: its database and clock, kept on `app.state.crm`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import sqlite_utils
from fastapi import Depends, Request

from mock_backends.common.clock import Clock
from mock_backends.common.settings import MockSettings


@dataclass
class CrmState:
    settings: MockSettings
    db: sqlite_utils.Database
    clock: Clock


def _crm(request: Request) -> CrmState:
    return request.app.state.crm


Crm = Annotated[CrmState, Depends(_crm)]
