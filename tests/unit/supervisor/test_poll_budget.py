"""The supervisor's poll keeps within its budget of requests per minute, whatever a poll costs (a floor of
100 queues and 1,000 agents, or a console that falls back to reading tasks one by one), and spreads out when
Twilio answers 429."""

from __future__ import annotations

import pytest

from agent_desktop.adapters.twilio.contact_center import TwilioConfig
from agent_desktop.adapters.twilio.poll_budget import PollBudget
from agent_desktop.adapters.twilio.supervisor import REQUESTS_PER_MINUTE

LIMIT_PER_MINUTE = 180  # 3 requests a second: the lowest per-endpoint TaskRouter limit Twilio publishes


def _minute(budget: PollBudget, per_poll: int) -> int:
    """Requests sent in the first simulated minute after a first poll, polling as the budget lets it."""
    elapsed, sent = 0.0, 0
    budget.poll_started()
    budget.made += per_poll  # the first poll (the snapshot)
    while True:
        elapsed += budget.wait_s()
        if elapsed > 60:
            return sent
        budget.poll_started()
        budget.made += per_poll
        sent += per_poll


@pytest.mark.parametrize("per_poll", [4, 6, 12, 40, 505])  # 505: the old poll at 100 queues (5 + 5·queues)
def test_a_minute_of_polls_stays_within_the_budget_whatever_a_poll_costs(per_poll: int) -> None:
    assert REQUESTS_PER_MINUTE <= LIMIT_PER_MINUTE
    assert TwilioConfig.model_fields["supervisor_requests_per_minute"].default == REQUESTS_PER_MINUTE
    sent = _minute(PollBudget(2.0, REQUESTS_PER_MINUTE), per_poll)
    assert sent <= REQUESTS_PER_MINUTE, sent


def test_a_cheap_poll_keeps_its_period() -> None:
    budget = PollBudget(2.0, REQUESTS_PER_MINUTE)
    budget.poll_started()
    budget.made += 3
    assert budget.wait_s() == 2.0


def test_429_spreads_the_polls_out_until_one_goes_through() -> None:
    budget = PollBudget(2.0, REQUESTS_PER_MINUTE)
    budget.poll_started()
    waits = [budget.wait_s(rate_limited=True) for _ in range(7)]
    assert waits == [4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert budget.wait_s() == 2.0, "back to the period once a poll is not refused"
