"""A contact center of any size: the queues, the simulated team and the callers' arrival rates.

The demo's floor (seed.py) is three queues and six simulated agents beside the demo agent. A
bigger one (`--agents 1000 --queues 100`) keeps those and adds generated queues — lines of
business by region, language or tier, each with its own skill ("retention_north") — and agents
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

from mock_backends.ccaas import seed as demo
from mock_backends.ccaas.schemas import Agent, PriorityRule, Queue

DEMO_QUEUES = len(demo.QUEUES)
DEMO_AGENTS = 1 + len(demo.SIMULATED_SKILLS)  # the demo agent and the simulated team
OCCUPANCY = 1.0

# (skill prefix, name, dispositions, service level target %, threshold s, after-contact work s)
LINES = [
    ("billing", "Billing", ["Resolved", "Payment arrangement", "Refund issued", "Escalated"], 80, 20, 60),
    ("tech_support", "Technical support", ["Resolved", "Ticket opened", "Technician dispatched"], 80, 30, 120),
    ("sales", "Sales", ["Sale closed", "Quote sent", "Follow-up scheduled", "Not interested"], 90, 15, 45),
    ("retention", "Retention", ["Saved with offer", "Saved without offer", "Cancelled", "Escalated"], 80, 30, 90),
    ("moving", "Moving home", ["Move booked", "Quote sent", "Escalated"], 80, 60, 90),
    ("business", "Business accounts", ["Resolved", "Account manager told", "Escalated"], 90, 20, 90),
    ("collections", "Collections", ["Promise to pay", "Payment taken", "Dispute logged"], 70, 60, 60),
    ("fraud", "Fraud", ["Card blocked", "Dispute opened", "No fraud found"], 90, 10, 120),
    ("devices", "Device repair", ["Repair booked", "Replacement sent", "Resolved"], 80, 45, 60),
    ("orders", "Orders and delivery", ["Resolved", "Redelivery booked", "Refund issued"], 80, 30, 45),
]
VARIANTS = ["North", "South", "East", "West", "Central", "Spanish", "Premium", "Overflow", "Night", "Partners"]


@dataclass(frozen=True)
class FloorSize:
    agents: int = DEMO_AGENTS  # the demo agent included
    queues: int = DEMO_QUEUES

    @property
    def is_demo(self) -> bool:
        return self.agents == DEMO_AGENTS and self.queues == DEMO_QUEUES


def queues(count: int) -> list[Queue]:
    """The demo's queues (or the first `count` of them), then generated ones."""
    plan = [q.model_copy(deep=True) for q in demo.QUEUES[:count]]
    for index in range(DEMO_QUEUES, count):
        prefix, name, dispositions, target, threshold, acw = LINES[index % len(LINES)]
        variant = VARIANTS[(index // len(LINES)) % len(VARIANTS)]
        lap = index // (len(LINES) * len(VARIANTS))  # past 100 queues the names come round again, numbered
        queue_id = f"{prefix}_{variant.lower()}" + (f"_{lap + 1}" if lap else "")
        plan.append(
            Queue(
                id=queue_id,
                name=f"{name} — {variant}" + (f" {lap + 1}" if lap else ""),
                skills=[queue_id],
                priority=3 if variant == "Premium" else 1,
                service_level_target_pct=float(target),
                service_level_threshold_s=threshold,
                dispositions=list(dispositions),
                acw_timeout_s=acw,
                priority_rules=[PriorityRule(vip=True, raise_by=2)] if variant == "Premium" else [],
                callback_offer_after_s=90 if index % 3 == 0 else None,
            )
        )
    return plan


def simulated_agents(
    size: FloorSize, floor_queues: list[Queue], seed: int, now: datetime, reasons: list[str] | None = None
) -> list[Agent]:
    """agent-002 onwards: the demo's six (when the floor has the demo's queues), then one per queue in turn."""
    wanted = size.agents - 1
    team = [a for a in demo.simulated_agents(seed, now, reasons) if _serves_only(a, floor_queues)][:wanted]
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
        team.append(demo.simulated_agent(number, fake, proficiency, now, reasons))
    return team


def _serves_only(agent: Agent, floor_queues: list[Queue]) -> bool:
    skills = {skill for q in floor_queues for skill in q.skills}
    return set(agent.skills) <= skills


def arrivals_per_minute(
    floor_queues: list[Queue], team: list[Agent], minutes_per_contact: float
) -> dict[str, float]:
    """Each queue's callers per minute: OCCUPANCY of what the agents who serve it can take."""
    share: dict[str, float] = {q.id: 0.0 for q in floor_queues}
    for agent in team:
        served = [q.id for q in floor_queues if set(q.skills) <= set(agent.skills)]
        for queue_id in served:
            share[queue_id] += 1 / len(served)
    return {queue_id: round(OCCUPANCY * agents / minutes_per_contact, 3) for queue_id, agents in share.items()}
