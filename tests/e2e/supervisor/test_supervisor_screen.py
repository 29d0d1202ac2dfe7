"""Supervisor mode by keyboard (Pilot) against the real mock CCaaS on loopback.

Each panel is checked for what a supervisor reads on it, and each action for what the
contact center then holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from textual.widgets import DataTable, OptionList

import agent_desktop.staffing.floor
from agent_desktop.staffing.erlang_c import advise
from agent_desktop.staffing.floor import Alert
from agent_desktop.ui.supervisor.agent_table import AgentTable
from agent_desktop.ui.supervisor.drilldowns.agent_drilldown import AgentDrilldown
from agent_desktop.ui.supervisor.drilldowns.queue_drilldown import QueueDrilldown
from agent_desktop.ui.textual_compat import notifications
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import in_front, supervisor_screen, wait_until
from tests.support.scenes.scenes import SIZE, SceneServers, scene_servers
from tests.support.scenes.supervisor_scene import Floor, row, rows, status, supervisor_app, wait_for_floor


@pytest.fixture
def floor_servers(tmp_path: Path) -> Iterator[SceneServers]:
    with scene_servers(tmp_path, frozen=False, seed=7, customers=40) as servers:
        yield servers


async def test_queues_panel_shows_waiting_contacts_and_an_alert_once(floor_servers: SceneServers) -> None:
    app = supervisor_app(floor_servers, longest_wait_alert_s=2.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        assert "no alerts" in status(pilot)
        for number in range(3):
            floor_servers.place_call(f"+1212555010{number}", queue_id="billing")
        await wait_until(pilot, lambda: row(pilot, "#queues", "Billing").split(" | ")[1].strip() == "3", "3 waiting")
        # Nobody answers: the longest wait passes the 2 s threshold and the panel raises an alert.
        await wait_until(pilot, lambda: "ALERT" in status(pilot), "the alert", timeout_s=15)
        assert "Billing: longest wait" in status(pilot)
        assert row(pilot, "#queues", "⚠ Billing")
        tracker, checks = supervisor_screen(pilot).desk.alert_tracker, []
        update = tracker.update

        def checked(alerts: list[Alert], now: datetime) -> list[Alert]:
            checks.append(alerts)
            return update(alerts, now)

        tracker.update = checked  # type: ignore[method-assign]  # each check of the alerts counted
        # The alert is checked again as the waits grow (each clock tick) while it stays: not notified again.
        await wait_until(pilot, lambda: len(checks) >= 2 and all(checks), "two more checks of the alert", timeout_s=15)
        alerts = [n for n in notifications(app) if "Billing: longest wait" in n.message]
        assert len(alerts) == 1, "one notification per crossing, not one per update"
        assert "3 waiting" in status(pilot)


async def test_agents_table_follows_states_and_sorts_and_filters(floor_servers: SceneServers) -> None:
    floor = Floor(floor_servers)
    app = supervisor_app(floor_servers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        assert len(rows(pilot, "#agents")) == 7
        floor.set_state("agent-001", "not_ready", "Lunch")
        await wait_until(pilot, lambda: "Not ready | Lunch" in row(pilot, "#agents", "agent-001"), "Not ready, Lunch")
        floor.set_state("agent-003", "available")
        await wait_until(pilot, lambda: "Available" in row(pilot, "#agents", "agent-003"), "agent-003 Available")

        await pilot.press(
            "tab", "tab", "s"
        )  # in the agents panel, name → state: not ready first, then available, offline last
        await wait_until(
            pilot, lambda: "sorted by state" in str(app.screen.query_one("#agents-box").border_title), "sort"
        )
        ids = [r.split(" | ")[0] for r in rows(pilot, "#agents")]
        assert ids[:2] == ["agent-001", "agent-003"]

        await pilot.press("f", *"lunch")
        await wait_until(pilot, lambda: len(rows(pilot, "#agents")) == 1, "the filter")
        assert rows(pilot, "#agents")[0].startswith("agent-001")
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(rows(pilot, "#agents")) == 7, "the filter cleared")


async def test_agent_contacts_and_channels_then_drill_down_to_their_day(floor_servers: SceneServers) -> None:
    floor = Floor(floor_servers)
    app = supervisor_app(floor_servers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        floor.set_state("agent-002", "available")
        floor_servers.place_call("+12125550199", queue_id="billing", subject="Bill")
        offer = floor.as_agent("agent-002", "GET", "/v1/agents/agent-002/offers")[0]
        contact = floor.as_agent("agent-002", "POST", f"/v1/offers/{offer['id']}/accept")
        # The contact and the agent's new state arrive as two events; the row shows both once both are in.
        await wait_until(
            pilot,
            lambda: (
                "1: Billing | ☎" in row(pilot, "#agents", "agent-002") and "Busy" in row(pilot, "#agents", "agent-002")
            ),
            "agent-002 busy with the contact in hand",
        )
        floor.as_agent("agent-002", "POST", f"/v1/contacts/{contact['id']}/end")
        floor.as_agent("agent-002", "POST", f"/v1/contacts/{contact['id']}/complete", json={"disposition": "Resolved"})
        await wait_until(pilot, lambda: "Available" in row(pilot, "#agents", "agent-002"), "agent-002 free again")

        await pilot.press("tab", "tab")  # queues → staffing → agents
        table = app.screen.query_one("#agents", AgentTable)
        table.move_cursor(table.keys.index("agent-002"))
        await pilot.press("d")
        await wait_until(
            pilot,
            lambda: app.screen.query("#today-table") and in_front(pilot, AgentDrilldown).loaded,
            "the agent's day",
        )
        today = app.screen.query_one("#today-table", DataTable)
        assert today.row_count == 1
        assert [str(c) for c in today.get_row_at(0)][0] == contact["id"]
        assert "Resolved" in [str(c) for c in today.get_row_at(0)]
        await pilot.press("escape")


async def test_queue_drill_down_lists_waiting_contacts_and_moves_one(floor_servers: SceneServers) -> None:
    floor = Floor(floor_servers)
    first = floor_servers.place_call("+12125550101", queue_id="billing", subject="First")
    second = floor_servers.place_call("+12125550102", queue_id="billing", subject="Second")
    app = supervisor_app(floor_servers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        await pilot.press("d")  # the cursor starts on the first queue: Billing
        await wait_until(
            pilot,
            lambda: app.screen.query("#waiting-table") and in_front(pilot, QueueDrilldown).loaded,
            "the waiting list",
        )
        waiting = app.screen.query_one("#waiting-table", DataTable)
        assert [str(waiting.get_row_at(i)[0]) for i in range(waiting.row_count)] == [first["id"], second["id"]]
        assert "First" in [str(c) for c in waiting.get_row_at(0)]

        await pilot.press("m")  # move the first one …
        await wait_until(pilot, lambda: app.screen.query("#choice-box"), "the queue picker")
        options = app.screen.query_one("OptionList", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        await pilot.press(*["down"] * labels.index("Sales"), "enter")  # … to Sales
        await wait_until(pilot, lambda: app.screen.query("#waiting-table") and waiting.row_count == 1, "the move")
        in_sales = floor.as_supervisor("GET", "/v1/queues/sales/waiting")
        assert [c["id"] for c in in_sales] == [first["id"]]
        assert in_sales[0]["entered_queue_at"] == first["entered_queue_at"]


async def test_supervisor_actions_log_out_and_priority(floor_servers: SceneServers) -> None:
    floor = Floor(floor_servers)
    floor.set_state("agent-004", "available")
    app = supervisor_app(floor_servers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        before = next(q for q in floor.as_supervisor("GET", "/v1/queues") if q["id"] == "billing")["priority"]
        await pilot.press("plus")
        await wait_until(
            pilot,
            lambda: (
                next(q for q in floor.as_supervisor("GET", "/v1/queues") if q["id"] == "billing")["priority"]
                == before + 1
            ),
            "the priority raised",
        )
        await pilot.press("tab", "tab")
        table = app.screen.query_one("#agents", AgentTable)
        table.move_cursor(table.keys.index("agent-004"))
        await pilot.press("o")
        await wait_until(pilot, lambda: "Offline" in row(pilot, "#agents", "agent-004"), "agent-004 logged out")
        assert floor.as_supervisor("GET", "/v1/agents/agent-004")["state"] == "offline"

        await pilot.press("t")  # set a state from the list: Not ready — Training
        await wait_until(pilot, lambda: app.screen.query("#choice-box"), "the state picker")
        options = app.screen.query_one("OptionList", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        await pilot.press(*["down"] * labels.index("Not ready — Training"), "enter")
        await wait_until(pilot, lambda: "Not ready | Training" in row(pilot, "#agents", "agent-004"), "Training")


async def test_staffing_advice_is_erlang_c_on_the_last_30_minutes(
    floor_servers: SceneServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh server's minutes of data are "warming up" (no advice: tests/unit/workforce/test_staffing_one_story.py); the
    # advice itself is what this test reads.
    monkeypatch.setattr(agent_desktop.staffing.floor, "WARM_UP_MINUTES", 0.0)
    floor = Floor(floor_servers)
    floor.set_state("agent-003", "available")  # billing
    for number in range(3):
        floor_servers.place_call(f"+1212555020{number}", queue_id="billing")
        floor.handle_next("agent-003", talk_s=0.3)  # a handle time the stats do not round to 0 (no advice then)
    app = supervisor_app(floor_servers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_floor(pilot)
        await wait_until(pilot, lambda: "no traffic" not in row(pilot, "#staffing", "Billing"), "advice for Billing")
        stats = next(s for s in floor.as_supervisor("GET", "/v1/queues/stats?window=30m") if s["queue_id"] == "billing")
        floor_shown = supervisor_screen(pilot).desk.floor
        shown = floor_shown.last_30m["billing"]  # the server's figures as last pushed to the screen
        assert (shown.arrived, shown.answered) == (stats["arrived"], stats["answered"]) == (3, 3)

        def advice_is_erlang_c() -> bool:
            # The rate moves each second on a fresh server (3 arrivals over the minutes it has been open),
            # and the advice follows the figures pushed every 2 s: compare with those.
            shown = supervisor_screen(pilot).desk.floor.last_30m["billing"]
            # agent-003 (billing only) is the one agent who can take contacts: the others are offline.
            expected = advise(
                present(shown.arrival_rate_per_min),
                present(shown.aht_s),
                present(shown.service_level_threshold_s),
                present(shown.service_level_target_pct),
                1,
            )
            cells = [c.strip() for c in row(pilot, "#staffing", "Billing").split(" | ")]
            return cells[4:6] == [str(expected.agents_needed), f"{expected.p_wait:.3f}"] and cells[7] == "1"

        await wait_until(pilot, advice_is_erlang_c, "Erlang C on the pushed 30-minute figures")


async def test_link_loss_is_shown_and_the_floor_comes_back(tmp_path: Path) -> None:
    from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
    from agent_desktop_mocks.common.runner import serve_in_thread

    with scene_servers(tmp_path / "a", frozen=False) as servers:
        settings = servers.settings.model_copy(update={"data_dir": tmp_path / "ccaas", "fresh": True})
        running = serve_in_thread([create_ccaas(settings)])
        port = int(running.urls[0].rsplit(":", 1)[1])
        moved = type(servers)(running.urls[0], servers.crm_url, servers.presence_url, servers.settings)
        app = supervisor_app(moved)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await wait_for_floor(pilot)
                running.stop()
                await wait_until(pilot, lambda: "— reconnecting" in status(pilot), "the lost link")
                running = serve_in_thread([create_ccaas(settings.model_copy(update={"fresh": False}))], ports=[port])
                await wait_until(pilot, lambda: "reconnecting" not in status(pilot), "reconnection", timeout_s=15)
                httpx.put(
                    f"{running.urls[0]}/v1/agents/agent-005/state",
                    json={"state": "available"},
                    headers={"Authorization": "Bearer agent-005-token"},
                    timeout=5,
                ).raise_for_status()
                await wait_until(pilot, lambda: "Available" in row(pilot, "#agents", "agent-005"), "events again")
        finally:
            running.stop()
