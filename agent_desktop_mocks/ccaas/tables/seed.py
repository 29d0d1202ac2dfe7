"""The demo contact center read from `ccaas/data/floor.toml`, and the one way to build an agent.

floor.toml holds the demo's queues, the demo agent, the simulated team (agent-002 onwards), the
not-ready reasons and the lines of business a bigger floor is generated from (floor_plan.py). Every
agent of every floor — the demo agent, the demo's team, a generated team, the simulator's virtual
teams — is made by `agent()`.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from faker import Faker
from pydantic import BaseModel, Field, model_validator

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, AgentState, BreakLimit, Queue
from agent_desktop_mocks.ccaas.tables.supervisors import SupervisorRow
from agent_desktop_mocks.common.toml_tables import once, read_table

DATA = Path(__file__).resolve().parent / "data"
Proficiency = dict[str, int]  # skill → level 1..5


class TeamRow(BaseModel):
    proficiency: Proficiency = Field(min_length=1)

    @model_validator(mode="after")
    def _levels(self) -> TeamRow:
        for skill, level in self.proficiency.items():
            if not 1 <= level <= 5:
                raise ValueError(f"{skill} = {level}: a proficiency is 1..5")
        return self


class DemoAgentRow(TeamRow):
    name: str = Field(min_length=1)


class Line(BaseModel):
    """A line of business of a bigger floor's generated queues ("billing" → billing_north, billing_south…)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    dispositions: list[str] = Field(min_length=1)
    service_level_target_pct: float = Field(gt=0, le=100)
    service_level_threshold_s: int = Field(gt=0)
    acw_timeout_s: int = Field(gt=0)


class FloorTable(BaseModel):
    """floor.toml."""

    not_ready_reasons: list[str] = Field(min_length=1)
    break_limits: dict[str, BreakLimit] = Field(alias="break_limit", default={})  # reason → its maximum length
    variants: list[str] = Field(min_length=1)
    demo_agent: DemoAgentRow
    team: list[TeamRow] = Field(alias="simulated_agent", default=[])
    queues: list[Queue] = Field(alias="queue", min_length=1)
    lines: list[Line] = Field(alias="line", min_length=1)
    supervisors: list[SupervisorRow] = Field(alias="supervisor", default=[])  # who may monitor which queues

    @model_validator(mode="after")
    def _consistent(self) -> FloorTable:
        unknown_reasons = sorted(set(self.break_limits) - set(self.not_ready_reasons))
        if unknown_reasons:
            raise ValueError(f'break_limit "{unknown_reasons[0]}" is no not-ready reason')
        once("queue", (q.id for q in self.queues))
        once("line", (line.id for line in self.lines))
        once("supervisor", (row.id for row in self.supervisors))
        once("supervisor token", (row.token for row in self.supervisors))
        skills = {skill for q in self.queues for skill in q.skills}
        for number, row in enumerate([self.demo_agent, *self.team], start=1):
            unknown = sorted(set(row.proficiency) - skills)
            if unknown:
                who = "demo_agent" if number == 1 else f"simulated_agent {number - 1} (agent-{number:03d})"
                raise ValueError(f'{who}: skill "{unknown[0]}" is no queue\'s (skills: {", ".join(sorted(skills))})')
        return self


def read_floor(path: Path, shown_as: str | None = None) -> FloorTable:
    return read_table(path, FloorTable, shown_as=shown_as)


@functools.cache
def shipped() -> FloorTable:
    """The package's own floor.toml (read once)."""
    return read_floor(DATA / "floor.toml")


def demo_queues(floor: FloorTable | None = None) -> list[Queue]:
    """The floor's demo queues, copies a caller may change."""
    return [q.model_copy(deep=True) for q in (floor or shipped()).queues]


def agent(
    number: int,
    name: str,
    proficiency: Proficiency,
    now: datetime,
    reasons: list[str],
    capacity: dict[str, int] | None = None,
    limits: dict[str, BreakLimit] | None = None,
) -> Agent:
    """agent-<number> (agent-001 is the demo agent), offline with these skills; the channels' default capacity;
    `limits`: the floor's break limits (those of `reasons` are kept)."""
    extra = {"capacity": dict(capacity)} if capacity is not None else {}
    kept = {reason: limit for reason, limit in (limits or {}).items() if reason in reasons}
    return Agent(
        id=f"agent-{number:03d}",
        name=name,
        state=AgentState.OFFLINE,
        state_since=now,
        skills=list(proficiency),
        proficiency=dict(proficiency),
        not_ready_reasons=list(reasons),
        break_limits=kept,
        **extra,
    )


def fake_name(fake: Faker) -> str:
    return f"{fake.first_name()} {fake.last_name()}"


def demo_agent(now: datetime, reasons: list[str] | None = None, floor: FloorTable | None = None) -> Agent:
    """agent-001, whom the desktop signs in as."""
    floor = floor or shipped()
    reasons = reasons or floor.not_ready_reasons
    return agent(1, floor.demo_agent.name, floor.demo_agent.proficiency, now, reasons, limits=floor.break_limits)


def simulated_agents(
    seed: int, now: datetime, reasons: list[str] | None = None, floor: FloorTable | None = None
) -> list[Agent]:
    """The simulated team of floor.toml, agent-002 onwards, offline (the simulator signs them in)."""
    floor = floor or shipped()
    fake = Faker("en_US")
    fake.seed_instance(seed + 1001)  # not the callers' sequence, so agents are not also customers
    return [
        agent(
            number, fake_name(fake), row.proficiency, now, reasons or floor.not_ready_reasons, limits=floor.break_limits
        )
        for number, row in enumerate(floor.team, start=2)
    ]
