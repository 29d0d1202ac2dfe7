"""Who may use the mock CRM: the agents' desks share one token; a supervisor's desk has its own.

What a supervisor's monitoring writes (`/v1/supervision`: who monitored, whispered or barged on a contact, and
when) is theirs: a silent monitor is kept from the agent by design (docs/monitoring.md), and the agent's desk holds
the one CRM token every desk holds, so the agents' token neither writes those records (403) nor reads them back (an
interaction's `supervision` is empty for it). The supervisor's token may do all the agents' may, and that.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_SUPERVISOR_TOKEN, DEMO_CRM_TOKEN
from agent_desktop_mocks.common.http.auth import Principal, async_bearer_auth

DESK = Principal(DEMO_CRM_TOKEN, "service", "crm-client")
SUPERVISOR = Principal(DEMO_CRM_SUPERVISOR_TOKEN, "supervisor", "crm-supervisor")
authenticate = async_bearer_auth({DESK.token: DESK, SUPERVISOR.token: SUPERVISOR})
Caller = Annotated[Principal, Depends(authenticate)]


async def supervisor_only(who: Caller) -> Principal:
    if who.role != "supervisor":
        refusal = "supervision records are the supervisor's: use a supervisor's CRM token"
        raise HTTPException(status.HTTP_403_FORBIDDEN, refusal)
    return who


SupervisorCaller = Annotated[Principal, Depends(supervisor_only)]


def sees_supervision(who: Principal) -> bool:
    return who.role == "supervisor"
