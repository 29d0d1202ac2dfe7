"""The rules for choosing an expert (agent_desktop/agent_desk/experts/experts.py): the next best available, suggestions, the message."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.experts.experts import (
    compose_escalation,
    contact_skills,
    matching_skills,
    next_best_available,
    panel_order,
)
from agent_desktop.domain.models import Availability, Channel, Contact, ContactState, Expert, Presence, Queue

NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
SKILLS = ["billing", "refunds", "fraud", "sales", "tech_support", "spanish"]


def expert(i: int, availability: Availability, skills: list[str], department: str = "Billing") -> Expert:
    return Expert(
        id=f"p-{i:04d}",
        name=f"Person {i:02d}",
        department=department,
        skills=skills,
        presence=Presence(availability=availability, changed_at=NOW),
    )


experts_strategy = st.lists(
    st.tuples(st.sampled_from(list(Availability)), st.lists(st.sampled_from(SKILLS), unique=True, max_size=4)),
    max_size=25,
).map(lambda rows: [expert(i, a, s) for i, (a, s) in enumerate(rows)])


@given(experts_strategy, st.lists(st.sampled_from(SKILLS), unique=True, min_size=1, max_size=3))
def test_the_next_best_is_free_shares_the_most_skills_and_is_never_the_chosen_one(
    people: list[Expert], chosen_skills: list[str]
) -> None:
    chosen = expert(99, Availability.BUSY, chosen_skills)
    best = next_best_available(chosen, [*people, chosen])
    free_sharing = [p for p in people if p.presence.availability.is_free and matching_skills(p, chosen_skills)]
    if not free_sharing:
        assert best is None
        return
    assert best is not None
    assert best.id != chosen.id
    assert best.presence.availability.is_free
    assert matching_skills(best, chosen_skills) == max(matching_skills(p, chosen_skills) for p in free_sharing)


def test_ties_go_to_the_contacts_skills_then_the_same_department() -> None:
    chosen = expert(0, Availability.DO_NOT_DISTURB, ["billing"], "Billing")
    other_department = expert(1, Availability.AVAILABLE, ["billing"], "Retention")
    same_department = expert(2, Availability.AVAILABLE, ["billing"], "Billing")
    speaks_spanish = expert(3, Availability.AVAILABLE_IDLE, ["billing", "spanish"], "Fraud")
    busy_better = expert(4, Availability.BUSY, ["billing", "spanish"], "Billing")
    people = [chosen, other_department, same_department, speaks_spanish, busy_better]
    assert next_best_available(chosen, people) == same_department
    assert next_best_available(chosen, people, suggested=["spanish"]) == speaks_spanish


def test_nobody_without_a_shared_skill_is_offered() -> None:
    chosen = expert(0, Availability.OFFLINE, ["fraud"])
    assert next_best_available(chosen, [chosen, expert(1, Availability.AVAILABLE, ["sales"])]) is None


@given(experts_strategy, st.lists(st.sampled_from(SKILLS), unique=True, max_size=2))
def test_panel_order_is_free_first_then_suggested_first_within_a_presence(
    people: list[Expert], suggested: list[str]
) -> None:
    from agent_desktop.agent_desk.experts.experts import AVAILABILITY_ORDER

    ordered = panel_order(people, suggested)
    keys = [(AVAILABILITY_ORDER[p.presence.availability], -matching_skills(p, suggested)) for p in ordered]
    assert keys == sorted(keys)
    assert sorted(p.id for p in ordered) == sorted(p.id for p in people)


def contact(subject: str | None, queue_id: str = "billing") -> Contact:
    return Contact(
        id="c-000001",
        channel=Channel.VOICE,
        queue_id=queue_id,
        queue_name="Billing",
        from_address="+15125550100",
        subject=subject,
        state=ContactState.CONNECTED,
        entered_queue_at=NOW,
    )


def test_a_contacts_skills_are_its_queues_then_those_its_subject_names() -> None:
    queue = Queue(id="billing", name="Billing", skills=["billing"])
    known = ["billing", "refunds", "payment_plans", "fraud", "sim_swap"]
    assert contact_skills(contact("Refund for a SIM swap"), queue, known) == ["billing", "refunds", "sim_swap"]
    assert contact_skills(contact("Set up a payment plan?"), queue, known) == ["billing", "payment_plans"]
    assert contact_skills(contact(None), queue, known) == ["billing"]
    assert contact_skills(None, queue, known) == []


def test_the_escalation_message_names_the_customer_the_intent_and_leaves_the_summary_to_the_agent() -> None:
    text = compose_escalation(agent_name="Alex Morgan", contact=contact("Charged twice\x1b[31m"), record=None)
    assert text.splitlines() == [
        "Escalation from Alex Morgan",
        "Customer: (512) 555-0100 (not in the CRM)",
        "Intent: Charged twice[31m (Billing, voice)",
        "Summary: ",
    ]
