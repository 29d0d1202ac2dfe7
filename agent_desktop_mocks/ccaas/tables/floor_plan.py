"""A contact center of any size: the queues, the simulated team and the callers' arrival rates.

The demo's floor (floor.toml, seed.py) is three queues and six simulated agents beside the demo agent.
A bigger one (`--agents 1000 --queues 100`) keeps those and adds generated queues — floor.toml's lines
of business by region, language or tier, each with its own skill ("retention_north") — and agents
who each serve one queue, a third of them a second one at a lower proficiency. Every queue is
staffed: agents are dealt to queues in turn.

Arrival rates are set from the team, so the floor runs busy but not drowned: each queue gets
`OCCUPANCY` of what its agents can take (an agent with two queues counts half in each), at the
simulator's handle, accept and wrap-up times. The demo's own three rates are left as they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from faker import Faker

from agent_desktop_mocks.ccaas.core.wire.schemas import Agent, PriorityRule, Queue
from agent_desktop_mocks.ccaas.tables import seed as demo
from agent_desktop_mocks.ccaas.tables.seed import FloorTable

OCCUPANCY = 1.0


@dataclass(frozen=True)
class FloorSize:
    agents: int = 7  # the demo agent included: the shipped floor.toml's demo agent and its six
    queues: int = 3  # the shipped floor.toml's demo queues

    def is_demo(self, floor: FloorTable | None = None) -> bool:
        floor = floor or demo.shipped()
        return self.agents == 1 + len(floor.team) and self.queues == len(floor.queues)


def queues(count: int, floor: FloorTable | None = None) -> list[Queue]:
    """The floor's demo queues (or the first `count` of them), then generated ones from its lines of business."""
    floor = floor or demo.shipped()
    plan = demo.demo_queues(floor)[:count]
    lines, variants = floor.lines, floor.variants
    for index in range(len(floor.queues), count):
        line = lines[index % len(lines)]
        variant = variants[(index // len(lines)) % len(variants)]
        lap = index // (len(lines) * len(variants))  # past lines × variants the names come round again, numbered
        queue_id = f"{line.id}_{variant.lower()}" + (f"_{lap + 1}" if lap else "")
        plan.append(
            Queue(
                id=queue_id,
                name=f"{line.name} — {variant}" + (f" {lap + 1}" if lap else ""),
                skills=[queue_id],
                priority=3 if variant == "Premium" else 1,
                service_level_target_pct=line.service_level_target_pct,
                service_level_threshold_s=line.service_level_threshold_s,
                dispositions=list(line.dispositions),
                acw_timeout_s=line.acw_timeout_s,
                priority_rules=[PriorityRule(vip=True, raise_by=2)] if variant == "Premium" else [],
                callback_offer_after_s=90 if index % 3 == 0 else None,
            )
        )
    return plan


def simulated_agents(
    size: FloorSize,
    floor_queues: list[Queue],
    seed: int,
    now: datetime,
    reasons: list[str] | None = None,
    floor: FloorTable | None = None,
) -> list[Agent]:
    """agent-002 onwards: the floor's simulated team (those who serve only its queues), then one per queue in turn."""
    floor = floor or demo.shipped()
    reasons = reasons or floor.not_ready_reasons
    wanted = size.agents - 1
    team = [a for a in demo.simulated_agents(seed, now, reasons, floor) if _serves_only(a, floor_queues)][:wanted]
    if len(team) == wanted:
        return team
    rng = random.Random(seed + 2002)
    fake = Faker("en_US")
    fake.seed_instance(seed + 1002)  # not the callers' sequence, nor the demo team's
    for number in range(2 + len(team), size.agents + 1):
        primary = floor_queues[(number - 2) % len(floor_queues)]
        proficiency = {skill: rng.randint(2, 5) for skill in primary.skills}
        if len(floor_queues) > 1 and rng.random() < 1 / 3:
            second = rng.choice([q for q in floor_queues if q.id != primary.id])
            proficiency |= {skill: rng.randint(1, 3) for skill in second.skills if skill not in proficiency}
        team.append(demo.agent(number, demo.fake_name(fake), proficiency, now, reasons, limits=floor.break_limits))
    return team


def _serves_only(agent: Agent, floor_queues: list[Queue]) -> bool:
    skills = {skill for q in floor_queues for skill in q.skills}
    return set(agent.skills) <= skills


def arrivals_per_minute(floor_queues: list[Queue], team: list[Agent], minutes_per_contact: float) -> dict[str, float]:
    """Each queue's callers per minute: OCCUPANCY of what the agents who serve it can take."""
    share: dict[str, float] = {q.id: 0.0 for q in floor_queues}
    for agent in team:
        served = [q.id for q in floor_queues if set(q.skills) <= set(agent.skills)]
        for queue_id in served:
            share[queue_id] += 1 / len(served)
    return {queue_id: round(OCCUPANCY * agents / minutes_per_contact, 3) for queue_id, agents in share.items()}
