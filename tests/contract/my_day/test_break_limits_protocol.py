"""Breaks with limits, in the `ContactCenter` protocol suite: the mock (over HTTP and in-process) serves
its not-ready reasons with their maximum length (floor.toml: Break 15 min, Lunch and Coaching 30; Training and
Meeting none) in the agent and the state catalog, and keeps the limit through a break; Twilio declares
`break_limits` off (a TaskRouter Activity has a name and an availability, no maximum length:
docs/vendors/contact-policy.md) and its catalog carries none."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import AgentState
from tests.support.narrowing import present
from tests.support.protocol_rigs.contact_center import KINDS, contact_center_rig

every_kind = pytest.mark.parametrize("kind", KINDS)


@every_kind
async def test_the_reasons_carry_their_limits(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert rig.backend.capabilities.break_limits
        catalog = {option.reason: option.limit for option in await rig.backend.state_catalog() if option.reason}
        assert {reason: limit.max_s for reason, limit in catalog.items() if limit} == {
            "Break": 900,
            "Lunch": 1800,
            "Coaching": 1800,
        }
        assert catalog["Meeting"] is None
        assert catalog["Training"] is None
        assert present(catalog["Lunch"]).pauses == [], "none named: every channel"
        on_lunch = await rig.backend.set_state(AgentState.NOT_READY, "Lunch")
        assert on_lunch.reason == "Lunch"
        assert on_lunch.break_limits["Lunch"].max_s == 1800
        assert (await rig.backend.get_agent()).break_limits == on_lunch.break_limits


async def test_twilio_declares_break_limits_off(tmp_path: Path) -> None:
    async with contact_center_rig("twilio", tmp_path) as rig:
        assert not rig.backend.capabilities.break_limits
        assert all(option.limit is None for option in await rig.backend.state_catalog())
