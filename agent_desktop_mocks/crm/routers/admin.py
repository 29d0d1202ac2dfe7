"""Test-only: inject faults (slowness, 5xx answers) into the CRM's other routes."""

from __future__ import annotations

from fastapi import APIRouter

from agent_desktop_mocks.crm.faults import Faults
from agent_desktop_mocks.crm.state import Crm

router = APIRouter(prefix="/admin", tags=["admin (test only)"])


@router.get("/faults", response_model=Faults, summary="The faults in force")
async def get_faults(crm: Crm) -> Faults:
    return crm.faults.faults


@router.put(
    "/faults",
    response_model=Faults,
    summary="Set the faults (test only)",
    description=(
        "Every later request under `/v1` (except this path) whose method is in `methods` and whose path "
        "starts with `path_prefix` waits `delay_s` before being handled (`delay_phase: after`: handled, "
        "then the answer waits), and, if `fail_status` is set, answers it instead of being handled (if "
        "`maintenance_page`, a 200 HTML page), for "
        'the next `count` such requests only (null: all of them). `{"methods": []}` turns faults off. '
        "Setting the faults again releases the requests still waiting on the earlier ones."
    ),
)
async def set_faults(crm: Crm, faults: Faults) -> Faults:
    crm.faults.set(faults)
    return faults
