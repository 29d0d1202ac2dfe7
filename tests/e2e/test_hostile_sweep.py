"""Every string a backend can send, made hostile, through every screen and dialog that can show it (issue 12).

Three payloads: `[/x]` (a closing tag: a MarkupError if parsed), `[@click=app.quit]x[/]` (an action if
parsed) and ESC/OSC/C1 sequences. After each step: the desktop still runs, the payload is on screen as
written (control characters dropped), and no control character is in `export_screenshot()`.

Two ways in:
- served: the real mock servers hold the hostile text (CCaaS seed data, CRM and presence rows, contacts
  placed through the API) and the desktop reads it over its real clients and streams;
- fed: what the mocks cannot produce (every string field of every model, from tests/support/hostile_models.py:
  ids, a queue's stats, an expert's reply, a consult target, an outbox error...) is built from the
  pydantic models and set on the widgets and dialogs directly, inside the real app.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlite_utils
from textual.pilot import Pilot
from textual.widgets import Select

from desktop.backends.errors import BackendError
from desktop.backends.models import (
    Account,
    Agent,
    AgentState,
    Availability,
    Case,
    Contact,
    ContactState,
    Customer,
    CustomerRecord,
    Expert,
    ExpertMessage,
    ExpertMessageEvent,
    Interaction,
    Offer,
    OfferState,
    Order,
    Presence,
    Queue,
)
from desktop.backends.supervisor_models import FloorSnapshot, SupervisedQueue
from desktop.outbox.store import EntryKind, EntryState, OutboxEntry
from desktop.ui.screens.case_dialog import CaseDialog
from desktop.ui.screens.choice_picker import ChoicePicker
from desktop.ui.screens.customer_picker import CustomerPicker
from desktop.ui.screens.customer_search import CustomerSearch
from desktop.ui.screens.escalation_dialog import EscalationDialog
from desktop.ui.screens.expert_actions import ExpertActions
from desktop.ui.screens.outbox_view import OutboxView
from desktop.ui.screens.reason_picker import ReasonPicker
from desktop.ui.screens.skill_picker import SkillPicker
from desktop.ui.screens.transfer_dialog import TransferDialog
from desktop.ui.textual_compat import render_strips
from desktop.ui.widgets.agent_status import AgentStatus
from desktop.ui.widgets.contact_detail import ContactDetail
from desktop.ui.widgets.contact_list import ContactList
from desktop.ui.widgets.customer_card import CustomerCard
from desktop.ui.widgets.experts_panel import ExpertsPanel
from desktop.ui.widgets.offer_card import OfferCard
from desktop.ui.widgets.wrap_up_form import WrapUpForm
from mock_backends.ccaas import seed as ccaas_seed
from mock_backends.ccaas.app import create_app as create_ccaas
from mock_backends.ccaas.seed import FloorTable
from mock_backends.common.runner import serve_in_thread
from mock_backends.common.settings import MockSettings
from mock_backends.crm import schemas as crm_schemas
from mock_backends.crm import store as crm_store
from mock_backends.crm.app import create_app as create_crm
from mock_backends.presence.app import create_app as create_presence
from tests.support.scenes.pilot_steps import shows_connected
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, scene_app, scene_servers, screen_text, wait_until
from tests.support.scenes.supervisor_scene import supervisor_app
from tests.support.hostile_models import AT, CONTROL, PAYLOADS, backend_models, hostile, string_paths, value_at, visible

PAYLOAD_IDS = list(PAYLOADS)


def screen_lines(pilot: Pilot) -> str:
    return "\n".join(strip.text for strip in render_strips(pilot.app.screen))


def _segments(pilot: Pilot):
    for strip in render_strips(pilot.app.screen):
        yield from strip


async def check(pilot: Pilot, payload: str, where: str, *, cut: int | None = None) -> None:
    """The desktop runs, shows the payload as written, and sends no control character to the terminal.

    `cut`: where every place is a narrow column, its first `cut` characters as written (then "…") will do.
    A payload shown literally in one place and parsed in another would pass the first test: so no cell
    on screen may carry the payload's `@click` action either.
    """
    await pilot.pause(0.05)
    assert pilot.app.is_running, f"{where}: the desktop quit"
    shown = screen_lines(pilot)
    assert visible(payload)[:cut] in shown, f"{where}: {visible(payload)!r} is not on screen:\n{shown}"
    clickable = {str(seg.style.meta.get("@click")) for seg in _segments(pilot) if seg.style and seg.style.meta}
    assert not [a for a in clickable if "quit" in a], f"{where}: backend text became a link: {clickable}"
    shot = pilot.app.export_screenshot()
    found = CONTROL.search(shot)
    assert found is None, f"{where}: control character {found.group()!r} reached the screenshot" if found else ""


async def through_dialog(pilot: Pilot, dialog, payload: str, where: str, *keys: str) -> None:
    pilot.app.push_screen(dialog)
    await wait_until(pilot, lambda: pilot.app.screen is dialog, where)
    if keys:
        await pilot.press(*keys)
    await check(pilot, payload, where)
    pilot.app.pop_screen()
    await pilot.pause(0.05)


# --- the models themselves ---------------------------------------------------------------------------


def test_every_string_field_of_every_backend_model_is_made_hostile():
    swept = {cls.__name__: string_paths(cls) for cls in backend_models()}
    assert {"Customer", "Contact", "Agent", "Expert", "FloorSnapshot", "ExpertMessage"} <= set(swept)
    for cls in backend_models():
        instance = hostile(cls, "EVIL")
        for path in swept[cls.__name__]:
            assert value_at(instance, path) and all(v == "EVIL" for v in value_at(instance, path)), (cls, path)
    assert sum(map(len, swept.values())) > 300


# --- fed: every model, every widget and dialog of the agent's desk ------------------------------------


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_every_model_fed_to_every_agent_widget_and_dialog_is_literal(tmp_path, kind):
    p = PAYLOADS[kind]
    contact = hostile(Contact, p, state=ContactState.CONNECTED)
    on_hold_consult = hostile(Contact, p, state=ContactState.ON_HOLD)  # consult target, transfer path
    record = hostile(CustomerRecord, p)
    busy = hostile(Expert, p, id=f"{p}-busy", presence=hostile(Presence, p, availability=Availability.BUSY))
    free = hostile(Expert, p)
    queue = hostile(Queue, p)
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.query_one("#expert-table").row_count > 0, "the experts")
            await wait_until(pilot, lambda: bool(screen.desk.queues), "the queues")
            now = datetime.now(UTC)

            screen.query_one(AgentStatus).agent = hostile(Agent, p, state=AgentState.NOT_READY)
            await check(pilot, p, "agent status")
            screen.query_one(OfferCard).offer = hostile(Offer, p, state=OfferState.PENDING, contact=contact)
            await check(pilot, p, "offer card")
            screen.query_one(ContactList).show([contact], now, contact.id)
            await check(pilot, p, "contact list")
            screen.query_one(ContactDetail).contact = on_hold_consult
            await check(pilot, p, "contact detail (consult, transfer path)")
            card = screen.query_one(CustomerCard)
            card.show_choices([hostile(Customer, p, id="a"), hostile(Customer, p, id="b")], "phone")
            await check(pilot, p, "card: several matches")
            card.show_new_caller(p)
            await check(pilot, p, "card: new caller")
            card.show_record(record)
            for number in range(1, 6):
                card.show_tab(number)
                await check(pilot, p, f"card tab {number}")
            panel = screen.query_one(ExpertsPanel)
            screen.desk.directory.show([free, busy])
            screen.desk.directory.suggest((p,))
            panel.directory_changed()
            await check(pilot, p, "experts panel")
            reply = hostile(ExpertMessage, p, direction="inbound", person_id=free.id)
            screen.controller.receive(hostile(ExpertMessageEvent, p, message=reply), "presence")
            await check(pilot, p, "an expert's reply (status cell and toast)")
            form = screen.query_one(WrapUpForm)
            form.open(contact, queue)
            form.query_one(Select).action_show_overlay()
            await check(pilot, p, "wrap-up with the queue's dispositions open")
            pilot.app.notify(p, title=p)
            await check(pilot, p, "a toast")

            await through_dialog(pilot, CaseDialog(record.cases, p), p, "case dialog")
            await through_dialog(pilot, CustomerPicker([record.customer, hostile(Customer, p, id="b")], p), p, "picker")
            await through_dialog(pilot, TransferDialog(contact, [queue], [free, busy]), p, "transfer: queues")
            await through_dialog(pilot, TransferDialog(contact, [queue], [free, busy]), p, "transfer: experts", "3")
            await through_dialog(pilot, ExpertActions(busy, free, None), p, "expert actions")
            await through_dialog(pilot, ExpertActions(free, None, p), p, "expert actions, transfer blocked")
            await through_dialog(pilot, EscalationDialog(busy, p), p, "escalation")
            await through_dialog(pilot, ReasonPicker([p]), p, "reason picker")
            await through_dialog(pilot, SkillPicker([p], [p], None), p, "skill picker")
            entry = OutboxEntry(
                key=p, kind=EntryKind.INTERACTION, contact_id=p, payload={}, state=EntryState.FAILED, attempts=1,
                next_attempt_at=0.0, last_error=p, created_at=AT, sent_at=None, result_id=None, label=p,
            )  # fmt: skip
            await through_dialog(pilot, OutboxView([entry]), p, "outbox view")

            async def found(query: str) -> list[Customer]:
                return [hostile(Customer, p, id="a"), hostile(Customer, p, id="b")]

            async def refused(query: str) -> list[Customer]:
                raise BackendError("crm", p)

            await through_dialog(pilot, CustomerSearch(found, p), p, "customer search: title")
            await through_dialog(pilot, CustomerSearch(found), p, "customer search: matches", "x", "enter")
            await through_dialog(pilot, CustomerSearch(refused), p, "customer search: the CRM's refusal", "x", "enter")


# --- fed: every model on the supervisor's desk, both drill-downs and their pickers --------------------


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_a_hostile_floor_on_the_supervisor_desk_and_drilldowns_is_literal(tmp_path, kind):
    p = PAYLOADS[kind]
    waiting = hostile(Contact, p, state=ContactState.QUEUED)
    snapshot = hostile(
        FloorSnapshot, p, queues=[hostile(SupervisedQueue, p), hostile(SupervisedQueue, p, id=f"{p}-2")], waiting=[waiting]
    )
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        app = supervisor_app(servers)
        async with app.run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.loaded, "the floor")
            # the live stream's next stats tick would replace the hostile queues' stats (and their alert):
            # this test is about drawing what the floor holds, so the stream stops before it is fed
            screen.workers.cancel_group(screen, "supervisor-stream")
            await pilot.pause(0.05)
            screen.floor.apply_snapshot(snapshot)
            screen.redraw()
            await check(pilot, p, "supervisor: queues, staffing, agents, alert line")
            await pilot.press("tab")  # the queue table has the focus first; d opens the queue under the cursor
            screen.set_focus(screen.query_one("#queues"))
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QueueDrilldown", "the queue drill-down")
            await check(pilot, p, "queue drill-down")
            await pilot.press("m")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ChoicePicker", "move to…")
            await check(pilot, p, "move picker")
            await pilot.press("escape", "escape")
            screen.set_focus(screen.query_one("#agents"))
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "AgentDrilldown", "the agent drill-down")
            await check(pilot, p, "agent drill-down")
            await pilot.press("t")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ChoicePicker", "set state")
            await check(pilot, p, "set-state picker")
            await pilot.press("escape", "escape")
            if "\x1b" not in p:  # typed by the supervisor: a filter that is markup must not crash the title
                await pilot.press("f", *p)
                await check(pilot, p, "agents filtered by a markup filter")


# --- served: the mock servers hold the hostile text ----------------------------------------------------


def _hostile_floor(monkeypatch: pytest.MonkeyPatch, p: str) -> FloorTable:
    """The CCaaS seeds its queues and agents from this floor table: hostile queue names, dispositions, reasons
    and demo agent; the simulated team's generated names get the payload too."""
    floor = ccaas_seed.shipped()
    queues = [q.model_copy(update={"name": f"{q.name} {p}", "dispositions": [p, *q.dispositions]}) for q in floor.queues]
    named = ccaas_seed.fake_name
    monkeypatch.setattr(ccaas_seed, "fake_name", lambda fake: f"{named(fake)} {p}")
    return floor.model_copy(
        update={
            "queues": queues,
            "demo_agent": floor.demo_agent.model_copy(update={"name": p}),
            "not_ready_reasons": [p, "Break"],
        }
    )


def _serve(tmp_path: Path, floor: FloorTable) -> tuple[SceneServers, object]:
    settings = MockSettings(
        data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True, floor=floor,
        not_ready_reasons=floor.not_ready_reasons,
    )
    running = serve_in_thread([create_ccaas(settings), create_crm(settings), create_presence(settings)])
    return SceneServers(*running.urls, settings=settings), running


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
        crm_store.insert_case(db, hostile(crm_schemas.Case, p, id=f"case-h{n}", customer_id=customer.id, status="open", contact_ids=[]))
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
async def test_hostile_text_served_by_the_mock_servers_through_every_agent_step(tmp_path, monkeypatch, kind):
    p = PAYLOADS[kind]
    address = f"{p}@evil.co"
    servers, running = _serve(tmp_path, _hostile_floor(monkeypatch, p))
    try:
        _hostile_crm(tmp_path, p, address)
        _hostile_presence(tmp_path, p)
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.query_one("#expert-table").row_count > 0, "the experts")
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
            await pilot.press("y")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter")
            await check(pilot, p, "wrap-up, dispositions open")
            await pilot.press("escape", "escape", "o")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OutboxView", "the outbox")
            await check(pilot, p, "outbox view")
    finally:
        running.stop()


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_hostile_text_served_by_the_mock_servers_on_the_supervisor_desk(tmp_path, monkeypatch, kind):
    p = PAYLOADS[kind]
    servers, running = _serve(tmp_path, _hostile_floor(monkeypatch, p))
    try:
        servers.place_call(f"{p}@evil.co", channel="chat", subject=p)
        app = supervisor_app(servers)
        async with app.run_test(size=SIZE) as pilot:
            screen = pilot.app.screen
            await wait_until(pilot, lambda: screen.loaded, "the floor")
            await check(pilot, p, "supervisor desk", cut=12)  # names in 14- and 18-wide columns
            screen.set_focus(screen.query_one("#queues"))
            await pilot.press("d")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QueueDrilldown", "the queue drill-down")
            await wait_until(pilot, lambda: pilot.app.screen.loaded, "the waiting contacts")
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
