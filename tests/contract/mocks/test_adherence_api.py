"""Real-time adherence over HTTP: a supervisor edits the demo agent's schedule so that a break ends in a
moment; the agent stays on the break; past the end plus the contact center's tolerance the supervisor stream
carries the agent's `adherence` row out of adherence, and the snapshot agrees. A supervisor of no queue the agent
serves gets neither. A real server on loopback, on the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import client, events, serving
from tests.support.adherence import break_ending_at
from tests.support.conversation_rig import settings_for

TOLERANCE_S = 1.0


def break_ending_in(seconds: float, agent_id: str = "agent-001") -> dict[str, Any]:
    return break_ending_at(datetime.now(UTC) + timedelta(seconds=seconds), agent_id)


def test_a_break_past_its_end_is_reported_out_of_adherence_once_past_the_tolerance(tmp_path: Path) -> None:
    settings = settings_for(tmp_path).model_copy(update={"adherence_tolerance_s": TOLERANCE_S})
    with (
        serving(settings) as url,
        client(url) as me,
        client(url, DEMO_SUPERVISOR_TOKEN) as supervisor,
        client(url, "supervisor-billing-token") as billing,
        client(url, "agent-004-token") as tech_only,
    ):
        # agent-004 (tech support only) changes first: an adherence event Jordan Blake (billing) must not get.
        assert tech_only.put("/v1/agents/agent-004/state", json={"state": "available"}).status_code == 200
        assert me.put("/v1/agents/agent-001/state", json={"state": "not_ready", "reason": "Break"}).status_code == 200
        edited = supervisor.put("/v1/agents/agent-001/schedule", json=break_ending_in(2))
        assert edited.status_code == 200, edited.text
        on_break = supervisor.get("/v1/workforce/adherence").json()
        mine = next(row for row in on_break["agents"] if row["agent_id"] == "agent-001")
        assert (mine["scheduled"], mine["in_adherence"], on_break["tolerance_s"]) == ("break", True, TOLERANCE_S)
        with events(supervisor, "/v1/supervisor/events", read_s=10) as stream:
            row = next(
                e.json()
                for e in stream
                if e.event == "adherence" and e.json()["agent_id"] == "agent-001" and e.json()["out_of_adherence"]
            )
        assert (row["scheduled"], row["state"], row["reason"]) == ("work", "not_ready", "Break")
        with events(billing, "/v1/supervisor/events", read_s=10) as stream:
            seen = []
            for event in stream:
                if event.event == "adherence":
                    seen.append(event.json()["agent_id"])
                    if seen[-1] == "agent-001" and event.json()["out_of_adherence"]:
                        break
        assert "agent-004" not in seen, seen
        assert "agent-001" in seen, seen
        with events(supervisor, "/v1/supervisor/events", read_s=10) as stream:  # a supervisor of every queue: theirs
            assert next(e.json()["agent_id"] for e in stream if e.event == "adherence") == "agent-004"
        out_since = datetime.fromisoformat(row["out_since"])
        assert datetime.fromisoformat(row["at"]) - out_since >= timedelta(seconds=TOLERANCE_S)
        snapshot = supervisor.get("/v1/workforce/adherence").json()
        mine = next(r for r in snapshot["agents"] if r["agent_id"] == "agent-001")
        assert mine["out_of_adherence"]
        assert 0 <= mine["adherence_pct"] <= 100
        assert any(team["out_of_adherence"] >= 1 for team in snapshot["teams"])

        # Jordan Blake supervises billing alone: agent-004 (tech support only) is not theirs.
        assert "agent-004" not in {r["agent_id"] for r in billing.get("/v1/workforce/adherence").json()["agents"]}
        assert billing.put("/v1/agents/agent-004/schedule", json=break_ending_in(2, "agent-004")).status_code == 403
        bad = break_ending_in(2)
        bad["activities"].reverse()
        assert supervisor.put("/v1/agents/agent-001/schedule", json=bad).status_code == 422
