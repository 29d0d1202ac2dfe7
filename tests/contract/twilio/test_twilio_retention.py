"""TaskRouter forgets finished tasks, its Events do not: the Twilio-shaped mock deletes a task and its
reservations five minutes after it is completed (on the engine's clock, stepped here), the Events resource
still names it, and the supervisor's drill-down is built from those events, so an agent's contacts today
survive their tasks (docs/vendors/twilio-taskrouter.md). Every exchange checked against Twilio's pinned spec."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from openapi_core import OpenAPI

from agent_desktop.adapters.twilio.supervisor import TwilioSupervisorConsole
from agent_desktop.domain.models import ContactState
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.core.wire.schemas import AgentState, Channel
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.shell.engine import Engine
from agent_desktop_mocks.common.clock import ManualClock
from agent_desktop_mocks.twilio.app import create_app as create_twilio
from agent_desktop_mocks.twilio.state import TwilioState
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.narrowing import present
from tests.support.protocol_rigs.twilio import TwilioFloor

FIVE_MINUTES = 300.0


def _floor(tmp_path: Path) -> tuple[ManualClock, Engine, FastAPI]:
    now = datetime.now(UTC)
    start = max(
        now - timedelta(minutes=10), now.replace(hour=0, minute=0, second=1, microsecond=0)
    )  # today, before now
    clock = ManualClock(start)
    ccaas = create_ccaas(
        MockSettings(data_dir=tmp_path / "ccaas", seed=7, customers=20, simulator=False, fresh=True), clock=clock
    )
    return clock, ccaas.state.engine, create_twilio(ccaas)


def _answered_and_completed(engine: Engine, twilio_state: TwilioState) -> str:
    """The demo agent takes a call and wraps it up (the engine's own moves): the contact's id."""
    engine.agents.set_agent_state("agent-001", AgentState.AVAILABLE)
    contact = engine.arrivals.create_contact("billing", Channel.VOICE, "(512) 555-0100")
    offer_id = twilio_state.offers_of["agent-001"][-1]
    engine.contacts.accept(offer_id)
    engine.contacts.end(contact.id)
    engine.contacts.complete(contact.id, "Refund issued")
    found: str = contact.id
    return found


async def test_a_task_and_its_reservations_are_deleted_five_minutes_after_completion(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    clock, engine, app = _floor(tmp_path)
    state = app.state.twilio
    contact_id = _answered_and_completed(engine, state)
    task, worker = state.sids.of("WT", contact_id), state.sids.of("WK", "agent-001")
    reservation = state.sids.of("WR", state.accepted_through[contact_id])
    ws = f"/v1/Workspaces/{state.settings.workspace_sid}"
    transport = TwilioContractTransport(httpx.ASGITransport(app))
    auth = (state.settings.api_key_sid, state.settings.api_key_secret)
    async with httpx.AsyncClient(base_url="http://taskrouter.test", transport=transport, auth=auth) as client:
        assert (await client.get(f"{ws}/Tasks/{task}")).json()["assignment_status"] == "completed"
        clock.advance_to(clock.elapsed + FIVE_MINUTES - 1)
        assert (await client.get(f"{ws}/Tasks/{task}")).status_code == 200, "kept for five minutes"
        clock.advance_to(clock.elapsed + 2)
        gone = await client.get(f"{ws}/Tasks/{task}")
        assert (gone.status_code, gone.json()["code"]) == (404, 20404)
        assert (await client.get(f"{ws}/Tasks/{task}/Reservations")).status_code == 404
        assert (await client.get(f"{ws}/Workers/{worker}/Reservations/{reservation}")).status_code == 404
        assert task not in {
            r["task_sid"] for r in (await client.get(f"{ws}/Workers/{worker}/Reservations")).json()["reservations"]
        }
        assert task not in {
            t["sid"] for t in (await client.get(f"{ws}/Tasks", params={"PageSize": 1000})).json()["tasks"]
        }
        # What outlives it: the workspace's Events (kept 30 days), with the task's fields
        since = (clock.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        logged = (await client.get(f"{ws}/Events", params={"TaskSid": task, "StartDate": since})).json()["events"]
        kinds = {e["event_type"] for e in logged}
        assert {"reservation.accepted", "task.completed"} <= kinds, kinds
        completed = next(e for e in logged if e["event_type"] == "task.completed")
        assert completed["event_data"]["task_sid"] == task
        assert "Refund issued" in completed["event_data"]["task_attributes"]


async def test_an_agents_contacts_today_survive_tasks_twilio_deleted(
    tmp_path: Path, twilio_taskrouter: OpenAPI
) -> None:
    """The drill-down reads the agent's reservation events: a task deleted by TaskRouter is still there,
    completed, with its disposition (it used to fetch each task: one 404 failed the whole list)."""
    clock, engine, app = _floor(tmp_path)
    state = app.state.twilio
    first = _answered_and_completed(engine, state)
    clock.advance_to(clock.elapsed + 60)
    second = _answered_and_completed(engine, state)
    clock.advance_to(clock.elapsed + FIVE_MINUTES - 30)  # the first task is gone, the second still kept
    floor = TwilioFloor(None, "", "http://taskrouter.test", "http://relay.test", app, app)  # type: ignore[arg-type]
    console = TwilioSupervisorConsole(
        floor.config("agent-001"), transport=TwilioContractTransport(httpx.ASGITransport(app))
    )
    try:
        today = await console.agent_contacts_today(state.sids.of("WK", "agent-001"))
    finally:
        await console.aclose()
    assert [(c.id, c.state, c.disposition) for c in today] == [
        (state.sids.of("WT", second), ContactState.COMPLETED, "Refund issued"),
        (state.sids.of("WT", first), ContactState.COMPLETED, "Refund issued"),
    ]
    assert today[0].answered_at is not None
    assert today[0].answered_at > present(today[1].answered_at)
