"""Who a request's supervisor is, and whether a queue is theirs: the one rule the API's scope (api/scope.py) and the
flags and quality services (below the API) each refuse with, in the same words."""

from __future__ import annotations

from fastapi import HTTPException, status

from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.http.auth import Principal


def supervisor_row(supervisors: dict[str, SupervisorRow], who: Principal) -> SupervisorRow:
    """The supervisor's floor.toml row; 403 for an agent or a supervisor with no row."""
    row = supervisors.get(who.subject) if who.role == "supervisor" else None
    if row is None:
        refusal = "supervisors only" if who.role != "supervisor" else "this supervisor may see no queue"
        raise HTTPException(status.HTTP_403_FORBIDDEN, refusal)
    return row


def check_row_queue(row: SupervisorRow, queue_id: str, what: str) -> None:
    """403 when `what` is in a queue outside the row's, naming both."""
    if not row.may_monitor(queue_id):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{what} is in the {queue_id} queue, outside your queues ({', '.join(row.queues)})",
        )
