"""The CRM's documented limits, served so a client can read them rather than copy them."""

from __future__ import annotations

from fastapi import APIRouter

from agent_desktop_mocks.crm.limits import LIMITS, Limits

router = APIRouter(tags=["limits"])


@router.get(
    "/limits",
    response_model=Limits,
    summary="How much one write may hold",
    description=(
        "The request body size over which any write is 413 (nothing parsed), and the sizes an interaction's "
        "`transcript`, `notes` and `private_notes` may reach (over one: 422 naming the field). A client fits "
        "a wrap-up to these before sending it; they do not change while the server runs."
    ),
)
async def get_limits() -> Limits:
    return LIMITS
