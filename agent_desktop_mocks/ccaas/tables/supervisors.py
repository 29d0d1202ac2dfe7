"""Who may monitor which queues: floor.toml's `[[supervisor]]` rows (the demo supervisor sees every queue)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SupervisorRow(BaseModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=1)
    token: str = Field(min_length=8)
    queues: list[str] = Field(default=[], description="Queues this supervisor may monitor (none: every queue)")

    def may_monitor(self, queue_id: str) -> bool:
        return not self.queues or queue_id in self.queues


def with_demo(rows: list[SupervisorRow], demo_token: str) -> list[SupervisorRow]:
    """The rows, and the demo supervisor (every queue) first unless a row already holds its token."""
    if any(row.token == demo_token for row in rows):
        return rows
    return [SupervisorRow(id="supervisor", name="Riley Chen", token=demo_token), *rows]
