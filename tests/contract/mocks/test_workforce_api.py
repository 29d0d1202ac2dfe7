"""Workforce management over HTTP: a queue's forecast and need, the floor's schedules and coverage, an
agent's own schedule, who may read which (403 with the reason), precise 404 and 422, and the day's schedules kept
across a restart. A real server on loopback."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from agent_desktop.staffing import erlang_c
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.contract.mocks.test_ccaas_api import client, serving
from tests.support.conversation_rig import settings_for

BILLING_SUPERVISOR = "supervisor-billing-token"  # Jordan Blake, billing only (floor.toml)


def test_forecast_need_schedules_and_coverage_agree_and_are_kept(tmp_path: Path) -> None:
    with serving(settings_for(tmp_path)) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor, client(url) as me:
        forecast = supervisor.get("/v1/workforce/queues/billing/forecast")
        assert forecast.status_code == 200, forecast.text
        body = forecast.json()
        assert len(body["intervals"]) == 24
        assert body["held_out_wape_pct"] is not None
        for row in body["intervals"]:  # the need is Erlang C on the forecast, as the desk's staffing code says
            erlangs = row["arrivals"] * row["aht_s"] / 1800
            assert row["agents_needed"] == erlang_c.agents_needed(erlangs, row["aht_s"], 20, 0.8)
        schedules = supervisor.get("/v1/workforce/schedules").json()
        assert len(schedules) == 7  # the demo floor: the demo agent and six simulated agents
        mine = me.get("/v1/agents/agent-001/schedule")
        assert mine.status_code == 200, mine.text
        assert mine.json() == next(s for s in schedules if s["agent_id"] == "agent-001")
        kinds = [a["activity"] for a in mine.json()["activities"]]
        assert kinds == ["work", "break", "work", "lunch", "work", "break", "work"]
        coverage = supervisor.get("/v1/workforce/coverage").json()
        assert all(i["gap"] == i["scheduled"] - i["needed"] for i in coverage["intervals"])
        assert all(0 <= i["scheduled"] <= 7 for i in coverage["intervals"])
    with serving(settings_for(tmp_path, fresh=False)) as url, client(url, DEMO_SUPERVISOR_TOKEN) as supervisor:
        assert supervisor.get("/v1/workforce/schedules").json() == schedules  # published: kept, not made again
        assert supervisor.get("/v1/workforce/queues/billing/forecast").json() == body


def test_who_may_read_and_the_precise_refusals(tmp_path: Path) -> None:
    with (
        serving(settings_for(tmp_path)) as url,
        client(url) as me,
        client(url, "agent-002-token") as colleague,
        client(url, BILLING_SUPERVISOR) as billing,
    ):
        refused = me.get("/v1/workforce/queues/billing/forecast")
        assert (refused.status_code, refused.json()["detail"]) == (403, "supervisors only")
        assert colleague.get("/v1/agents/agent-001/schedule").status_code == 403
        sales = billing.get("/v1/workforce/queues/sales/forecast")
        assert sales.status_code == 403
        assert "sales" in sales.json()["detail"].lower()
        tech_only = billing.get("/v1/agents/agent-004/schedule")  # tech support only: not Jordan's
        assert (tech_only.status_code, tech_only.json()["detail"]) == (403, "agent-004 serves none of your queues")
        assert "agent-004" not in {s["agent_id"] for s in billing.get("/v1/workforce/schedules").json()}
        assert billing.get("/v1/workforce/coverage").json()["queues"] == ["billing"]
        one = billing.get("/v1/workforce/coverage", params={"queue_id": "billing"}).json()  # one queue's, for its chart
        assert one["queues"] == ["billing"]
        assert len(one["intervals"]) == 24
        assert billing.get("/v1/workforce/coverage", params={"queue_id": "sales"}).status_code == 403
        assert billing.get("/v1/workforce/queues/nowhere/forecast").status_code == 403  # outside, before unknown
        with client(url, DEMO_SUPERVISOR_TOKEN) as everyone:
            assert everyone.get("/v1/workforce/queues/nowhere/forecast").status_code == 404
            assert everyone.get("/v1/agents/agent-999/schedule").status_code == 404
            assert everyone.get("/v1/workforce/coverage", params={"queue_id": "nowhere"}).status_code == 404
            today = everyone.get("/v1/workforce/coverage").json()["day"]
            late = everyone.get("/v1/workforce/coverage", params={"day": "2001-01-01"})
            assert late.status_code == 422
            assert late.json()["detail"][0]["loc"] == ["query", "day"]
            assert everyone.get("/v1/workforce/coverage", params={"day": "not a day"}).status_code == 422
            week_on = (date.fromisoformat(today) + timedelta(days=6)).isoformat()
            assert everyone.get("/v1/workforce/schedules", params={"day": week_on}).status_code == 200
