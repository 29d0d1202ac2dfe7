"""Every string a backend can send, made hostile, served by the mock servers through every screen and dialog
that can show it.

Three payloads: `[/x]` (a closing tag: a MarkupError if parsed), `[@click=app.quit]x[/]` (an action if
parsed) and ESC/OSC/C1 sequences. After each step: the desktop still runs, the payload is on screen as
written (control characters dropped), and no control character is in what `export_screenshot()` shows
(`textual_compat.screenshot_text`: its text without drawing the SVG).

The real mock servers hold the hostile text (CCaaS seed data, CRM and presence rows, contacts placed through
the API) and the desktop reads it over its real clients and streams. What the mocks cannot produce (every
string field of every model) is fed to the widgets and dialogs on the in-process backends:
tests/ui/hostile/test_hostile_fed.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from textual.widgets import DataTable

from agent_desktop.ui.supervisor.drilldowns.queue_drilldown import QueueDrilldown
from agent_desktop_mocks.ccaas.api.app import create_app as create_ccaas
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.tables import seed as ccaas_seed
from agent_desktop_mocks.ccaas.tables.seed import FloorTable
from agent_desktop_mocks.common.runner import RunningServers, serve_in_thread
from agent_desktop_mocks.crm import schemas as crm_schemas
from agent_desktop_mocks.crm import store as crm_store
from agent_desktop_mocks.crm.app import create_app as create_crm
from agent_desktop_mocks.presence.app import create_app as create_presence
from tests.support.hostile_models import AT, PAYLOADS, hostile
from tests.support.hostile_screen import check
from tests.support.scenes.pilot_steps import back_to_contacts, in_front, shows_connected, supervisor_screen
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, scene_app, screen_text, wait_until
from tests.support.scenes.supervisor_scene import supervisor_app

PAYLOAD_IDS = list(PAYLOADS)


# --- served: the mock servers hold the hostile text ----------------------------------------------------


def _hostile_floor(monkeypatch: pytest.MonkeyPatch, p: str) -> FloorTable:
    """The CCaaS seeds its queues and agents from this floor table: hostile queue names, dispositions, reasons
    and demo agent; the simulated team's generated names get the payload too."""
    floor = ccaas_seed.shipped()
    queues = [
        q.model_copy(update={"name": f"{q.name} {p}", "dispositions": [p, *q.dispositions]}) for q in floor.queues
    ]
    named = ccaas_seed.fake_name
    monkeypatch.setattr(ccaas_seed, "fake_name", lambda fake: f"{named(fake)} {p}")
    return floor.model_copy(
        update={
            "queues": queues,
            "demo_agent": floor.demo_agent.model_copy(update={"name": p}),
            "not_ready_reasons": [p, "Break"],
            # the hostile reason gets the shipped break's limit: its name is drawn beside a time left too
            "break_limits": {p: floor.break_limits["Break"], "Break": floor.break_limits["Break"]},
        }
    )


def _serve(tmp_path: Path, floor: FloorTable) -> tuple[SceneServers, RunningServers]:
    settings = MockSettings(
        data_dir=tmp_path,
        seed=42,
        customers=20,
        experts=30,
        simulator=False,
        fresh=True,
        floor=floor,
        not_ready_reasons=floor.not_ready_reasons,
    )
    running = serve_in_thread([create_ccaas(settings), create_crm(settings), create_presence(settings)])
    return SceneServers.at(running.urls, settings), running


def _hostile_crm(data_dir: Path, p: str, address: str) -> None:
    """Two customers sharing a hostile email (so the picker opens), with every record part hostile."""
    db = sqlite_utils.Database(data_dir / "crm.db")
    for n in (1, 2):
        customer = hostile(crm_schemas.Customer, p, id=f"cus-h{n}", phones=[], emails=[address], preferred_channel=None)
        crm_store.insert_customer(db, customer)
        account = hostile(crm_schemas.Account, p, number=f"ACC-H{n}", customer_id=customer.id, status="active")
        crm_store.insert_rows(db, "accounts", [{**account.model_dump(mode="json")}])
        order = hostile(crm_schemas.Order, p, id=f"ord-h{n}", customer_id=customer.id)
        crm_store.insert_rows(db, "orders", [{**order.model_dump(mode="json"), "placed_at": crm_store.stamp(AT)}])
        crm_store.insert_case(
            db, hostile(crm_schemas.Case, p, id=f"case-h{n}", customer_id=customer.id, status="open", contact_ids=[])
        )
        interaction = hostile(crm_schemas.Interaction, p, id=f"int-h{n}", customer_id=customer.id)
        crm_store.insert_interaction(db, interaction)
    db.conn.commit()


def _hostile_presence(data_dir: Path, p: str) -> None:
    db = sqlite_utils.Database(data_dir / "presence.db")
    with db.conn:
        db.conn.execute(
            "update people set name = name || ' ' || ?, title = ?, department = ?, time_zone = ?, status_message = ?, "
            "skills = ?, languages = ?",
            [p, p, p, p, p, json.dumps(["billing", p]), json.dumps([p])],
        )


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_hostile_text_served_by_the_mock_servers_through_every_agent_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    p = PAYLOADS[kind]
    address = f"{p}@evil.co"
    servers, running = _serve(tmp_path, _hostile_floor(monkeypatch, p))
    try:
        _hostile_crm(tmp_path, p, address)
        _hostile_presence(tmp_path, p)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
            await check(pilot, p, "start: agent name, queues, experts")
            await go_available(pilot)
            servers.place_call(address, channel="chat", subject=p)
            await wait_until(pilot, lambda: "customers match" in screen_text(pilot, "#customer-summary"), "the matches")
            await check(pilot, p, "offer and matches")
            await pilot.press("p")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CustomerPicker", "the picker")
            await check(pilot, p, "customer picker")
            await pilot.press("enter")
            await wait_until(pilot, lambda: "open cases" in screen_text(pilot, "#customer-summary"), "the record")
            for tab in "12345":
                await pilot.press(tab)
                await check(pilot, p, f"card tab {tab}")
            await pilot.press("escape", "a")
            await wait_until(pilot, lambda: shows_connected(pilot), "the chat connected")
            await back_to_contacts(pilot)  # accepting a chat put the agent in its composer
            await check(pilot, p, "connected")
            await pilot.press("c")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "CaseDialog", "the case dialog")
            await check(pilot, p, "case dialog")
            await pilot.press("escape", "t")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
            await check(pilot, p, "transfer dialog: queues")
            await pilot.press("2")
            await check(pilot, p, "transfer dialog: agents")
            await pilot.press("3")
            await check(pilot, p, "transfer dialog: experts")
            await pilot.press("escape")
            screen.set_focus(screen.query_one("#expert-table"))
            await pilot.press("s")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "SkillPicker", "the skill picker")
            await check(pilot, p, "skill picker")
            await pilot.press("escape")
            screen.set_focus(screen.query_one("#expert-table"))
            await pilot.press("enter")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ExpertActions", "the expert's menu")
            await check(pilot, p, "expert actions")
            await pilot.press("enter")  # message
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EscalationDialog", "the escalation")
            await check(pilot, p, "escalation dialog")
            await pilot.press("escape", "n")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReasonPicker", "the reasons")
            await check(pilot, p, "reason picker (next state)")
            await pilot.press("escape", "e")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "a question")
            await check(pilot, p, "end while the customer waits")
            await pilot.press("ctrl+e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter")
            await check(pilot, p, "wrap-up, dispositions open")
            await pilot.press("escape", "escape", "o")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OutboxView", "the outbox")
            await check(pilot, p, "outbox view")
    finally:
        running.stop()


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_hostile_text_served_by_the_mock_servers_on_the_supervisor_desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    p = PAYLOADS[kind]
    servers, running = _serve(tmp_path, _hostile_floor(monkeypatch, p))
    try:
        servers.place_call(f"{p}@evil.co", channel="chat", subject=p)
        app = supervisor_app(servers)
        async with app.run_test(size=SIZE) as pilot:
            screen = supervisor_screen(pilot)
            await wait_until(pilot, lambda: screen.desk.loaded, "the floor")
            await check(pilot, p, "supervisor desk", cut=12)  # names in 14- and 18-wide columns
            screen.set_focus(screen.query_one("#queues"))
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QueueDrilldown", "the queue drill-down")
            await wait_until(pilot, lambda: in_front(pilot, QueueDrilldown).loaded, "the waiting contacts")
            await check(pilot, p, "queue drill-down (waiting contact)")
            await pilot.press("m")
            await check(pilot, p, "move picker (queue names)")
            await pilot.press("escape", "escape")
            screen.set_focus(screen.query_one("#agents"))
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentDrilldown", "the agent drill-down")
            await check(pilot, p, "agent drill-down")
            await pilot.press("t")
            await check(pilot, p, "set-state picker (agent name, reasons)")
    finally:
        running.stop()
