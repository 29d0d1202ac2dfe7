"""The mock model's predicted disposition follows what was said: a customer who only asked a price
was predicted "Sale closed", the first of the sales queue's list, for want of a word in common with any."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.tables import call_scripts
from agent_desktop_mocks.model.grounding import Blocks, wrap_up_answer

FLOOR = Path(__file__).resolve().parents[3] / "agent_desktop_mocks" / "ccaas" / "tables" / "data" / "floor.toml"


def dispositions(queue: str) -> list[str]:
    """The queue's list as the demo's floor has it."""
    floor = tomllib.loads(FLOOR.read_text())
    found = [q["dispositions"] for q in floor.get("queue", []) if q.get("id") == queue]
    assert found, f"no queue {queue} in floor.toml"
    return list(found[0])


def predicted(customer: list[str], agent: list[str], queue: str) -> str:
    answer = wrap_up_answer(Blocks(customer, agent, [], dispositions(queue)), nonsense=False)
    return answer.rsplit("Disposition: ", 1)[1]


def test_a_customer_who_only_asked_a_price_is_a_quote_not_a_sale() -> None:
    customer = ["Hello, I'm on the Plus 300 plan and thinking of upgrading. What would it cost?"]
    agent = ["The Unlimited plan is ten more a month, and the first month is free."]
    assert predicted(customer, agent, "sales") == "Quote sent"


@pytest.mark.parametrize(
    ("variant", "queue", "outcome"),
    [("sales/", "sales", "Sale closed"), ("billing_inquiry/charged twice", "billing", "Refund issued")],
)
def test_a_demo_call_is_predicted_as_it_ended(variant: str, queue: str, outcome: str) -> None:
    script = next(s for s in call_scripts.shipped().scripts if f"{s.intent}/{s.variant}" == variant)
    said = [(str(line[0]), str(line[1])) for line in script.lines if line[0] != "silence"]
    customer = [text for role, text in said if role == "customer"]
    agent = [text for role, text in said if role == "agent"]
    assert predicted(customer, agent, queue) == outcome
