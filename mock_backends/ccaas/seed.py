"""The demo contact center: three queues, the demo agent and a simulated team."""

from __future__ import annotations

from datetime import datetime

from faker import Faker

from mock_backends.ccaas.schemas import Agent, AgentState, PriorityRule, Queue
from mock_backends.common.settings import DEMO_AGENT_ID

NOT_READY_REASONS = ["Break", "Lunch", "Training", "Meeting", "Coaching"]

QUEUES = [
    Queue(
        id="billing",
        name="Billing",
        skills=["billing"],
        priority=3,
        service_level_target_pct=80.0,
        service_level_threshold_s=20,
        dispositions=["Resolved", "Payment arrangement", "Refund issued", "Escalated", "Callback scheduled"],
        acw_timeout_s=60,
        # the seeds' example: a premium customer reaches a billing specialist first
        priority_rules=[PriorityRule(tier="Platinum", raise_by=2), PriorityRule(tier="Gold", raise_by=1)],
        callback_offer_after_s=60,
    ),
    Queue(
        id="tech_support",
        name="Technical support",
        skills=["tech_support"],
        priority=2,
        service_level_target_pct=80.0,
        service_level_threshold_s=30,
        dispositions=["Resolved", "Troubleshooting guided", "Ticket opened", "Technician dispatched", "Escalated"],
        acw_timeout_s=120,
        priority_rules=[PriorityRule(vip=True, raise_by=2)],
        callback_offer_after_s=90,
    ),
    Queue(
        id="sales",
        name="Sales",
        skills=["sales"],
        priority=1,
        service_level_target_pct=90.0,
        service_level_threshold_s=15,
        dispositions=["Sale closed", "Quote sent", "Follow-up scheduled", "Not interested", "Transferred"],
        acw_timeout_s=45,
    ),
]

# Skills and proficiency (1..5) of the simulated team (agent-002 onwards): every queue is covered by
# three or four of them.
SIMULATED_SKILLS = [
    {"billing": 4, "sales": 2},
    {"billing": 3},
    {"tech_support": 5},
    {"tech_support": 3, "billing": 2},
    {"sales": 4, "tech_support": 2},
    {"billing": 3, "tech_support": 3, "sales": 3},
]


def demo_agent(now: datetime, reasons: list[str] | None = None) -> Agent:
    return Agent(
        id=DEMO_AGENT_ID,
        name="Alex Morgan",
        state=AgentState.OFFLINE,
        state_since=now,
        skills=["billing", "tech_support", "sales"],
        proficiency={"billing": 4, "tech_support": 3, "sales": 3},
        not_ready_reasons=list(reasons or NOT_READY_REASONS),
    )


def simulated_agents(seed: int, now: datetime, reasons: list[str] | None = None) -> list[Agent]:
    """agent-002 … agent-007, offline (the simulator signs them in)."""
    fake = Faker("en_US")
    fake.seed_instance(seed + 1001)  # not the callers' sequence, so agents are not also customers
    return [simulated_agent(number, fake, skills, now, reasons) for number, skills in enumerate(SIMULATED_SKILLS, start=2)]


def simulated_agent(
    number: int, fake: Faker, proficiency: dict[str, int], now: datetime, reasons: list[str] | None = None
) -> Agent:
    """agent-<number>, named by `fake`, offline with these skills (skill → proficiency 1..5)."""
    return Agent(
        id=f"agent-{number:03d}",
        name=f"{fake.first_name()} {fake.last_name()}",
        state=AgentState.OFFLINE,
        state_since=now,
        skills=list(proficiency),
        proficiency=dict(proficiency),
        not_ready_reasons=list(reasons or NOT_READY_REASONS),
    )
