"""Workforce reads in the protocol suite: the agent reads their own shift today (`ContactCenter.my_schedule`)
and a supervisor a queue's coverage per half-hour (`SupervisorConsole.queue_coverage`) and the floor's
adherence (`SupervisorConsole.adherence`), from the mock over HTTP and
in-process alike, the same answers; Twilio (TaskRouter keeps no WFM) declares `workforce` off and refuses both."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    OTHER_AGENT_ID,
    SUPERVISOR_KINDS,
    contact_center_rig,
)
from tests.support.protocol_rigs.refusals import refused


@pytest.mark.parametrize("kind", KINDS)
async def test_the_agent_reads_their_shift_and_the_supervisor_a_queues_coverage(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert rig.backend.capabilities.workforce
        assert rig.supervisor_console.capabilities.workforce
        mine = await rig.backend.my_schedule()
        assert mine.agent_id == DEMO_AGENT_ID
        assert [a.activity for a in mine.activities] == ["work", "break", "work", "lunch", "work", "break", "work"]
        assert mine.activities[0].start == mine.shift_start
        assert mine.activities[-1].end == mine.shift_end
        theirs = await rig.other.my_schedule()
        assert theirs.agent_id == OTHER_AGENT_ID, "each agent reads their own shift"
        coverage = await rig.supervisor_console.queue_coverage("billing")
        assert coverage.queues == ("billing",)
        assert coverage.day == mine.day
        assert len(coverage.intervals) == 24
        assert all(i.gap == pytest.approx(i.scheduled - i.needed) for i in coverage.intervals)
        assert any(i.needed for i in coverage.intervals), "the billing queue needs agents some time of the day"
        refusal = await refused(rig.supervisor_console.queue_coverage("nowhere"))
        assert refusal.status == 404
        adherence = await rig.supervisor_console.adherence()  # real-time adherence: every agent, with team totals
        assert DEMO_AGENT_ID in {row.agent_id for row in adherence.agents}
        assert adherence.teams
        assert sum(team.agents for team in adherence.teams) == len(adherence.agents)


@pytest.mark.parametrize("kind", sorted(set(SUPERVISOR_KINDS) - set(KINDS)))
async def test_a_contact_center_without_wfm_declares_it_off_and_refuses_both_reads(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert not rig.backend.capabilities.workforce
        assert not rig.supervisor_console.capabilities.workforce
        assert (await refused(rig.backend.my_schedule())).status == 501
        assert (await refused(rig.supervisor_console.queue_coverage(rig.queue_ref("billing")))).status == 501
        assert (await refused(rig.supervisor_console.adherence())).status == 501
