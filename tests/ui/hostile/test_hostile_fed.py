"""Every string a backend can send, made hostile, fed to every widget and dialog that can show it.

What the mocks cannot produce (every string field of every model, from tests/support/hostile_models.py: ids, a
queue's stats, an expert's reply, a consult target, an outbox error...) is built from the pydantic models and
set on the widgets and dialogs directly, inside the real app on the in-process backends. Payloads: `[/x]` (a
closing tag: a MarkupError if parsed), `[@click=app.quit]x[/]` (an action if parsed), ESC/OSC/C1 sequences,
invisible characters and a bidi override. After each step: the desktop still runs, the payload is on screen as
written (control characters dropped), and no control character is in what `export_screenshot()` shows
(`textual_compat.screenshot_text`: its text without drawing the SVG).

What the servers hold and serve, read over the real clients and streams: tests/e2e/hostile/test_hostile_sweep.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

from agent_desktop.agent_desk.follow_ups.follow_up import WrappedUp
from agent_desktop.agent_desk.wrap_up.written_rows import written_row
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Availability,
    Contact,
    ContactState,
    Customer,
    CustomerRecord,
    Expert,
    ExpertMessage,
    ExpertMessageEvent,
    Offer,
    OfferState,
    Presence,
    Queue,
)
from agent_desktop.domain.supervisor.models import FloorSnapshot, SupervisedQueue
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry
from agent_desktop.ui.agent.agent_status import AgentStatus
from agent_desktop.ui.agent.callers.case_dialog import CaseDialog
from agent_desktop.ui.agent.callers.customer_card import CustomerCard
from agent_desktop.ui.agent.callers.customer_picker import CustomerPicker
from agent_desktop.ui.agent.callers.customer_search import CustomerSearch
from agent_desktop.ui.agent.contacts.contact_detail import ContactDetail
from agent_desktop.ui.agent.contacts.contact_list import ContactList
from agent_desktop.ui.agent.experts.escalation_dialog import EscalationDialog
from agent_desktop.ui.agent.experts.expert_actions import ExpertActions
from agent_desktop.ui.agent.experts.experts_panel import ExpertsPanel
from agent_desktop.ui.agent.experts.skill_picker import SkillPicker
from agent_desktop.ui.agent.experts.transfer_dialog import TransferDialog
from agent_desktop.ui.agent.follow_ups.follow_up_dialog import FollowUpDialog
from agent_desktop.ui.agent.offers.offer_card import OfferCard
from agent_desktop.ui.agent.outbox.outbox_view import OutboxView
from agent_desktop.ui.agent.reason_picker import ReasonPicker
from agent_desktop.ui.agent.wrap_up.wrap_up_form import WrapUpForm
from tests.support.hostile_models import AT, PAYLOADS, backend_models, hostile, string_paths, value_at
from tests.support.hostile_screen import check, through_dialog
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, scene_settings, wait_until
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, supervisor_screen

PAYLOAD_IDS = list(PAYLOADS)
# A sweep (every model into every widget, five payloads: ~50 s of a core): make test runs it, make test-fast
# leaves it out as it does the every-key sweep; tests/unit/architecture/test_literal_sinks.py is the quick check of the rule.
pytestmark = pytest.mark.exhaustive


# --- the models themselves ---------------------------------------------------------------------------


def test_every_string_field_of_every_backend_model_is_made_hostile() -> None:
    swept = {cls.__name__: string_paths(cls) for cls in backend_models()}
    assert {"Customer", "Contact", "Agent", "Expert", "FloorSnapshot", "ExpertMessage"} <= set(swept)
    for cls in backend_models():
        instance = hostile(cls, "EVIL")
        for path in swept[cls.__name__]:
            assert value_at(instance, path), (cls, path)
            assert all(v == "EVIL" for v in value_at(instance, path)), (cls, path)
    assert sum(map(len, swept.values())) > 300


# --- fed: every model, every widget and dialog of the agent's desk ------------------------------------


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_every_model_fed_to_every_agent_widget_and_dialog_is_literal(tmp_path: Path, kind: str) -> None:
    p = PAYLOADS[kind]
    contact = hostile(Contact, p, state=ContactState.CONNECTED)
    on_hold_consult = hostile(Contact, p, state=ContactState.ON_HOLD)  # consult target, transfer path
    record = hostile(CustomerRecord, p)
    busy = hostile(Expert, p, id=f"{p}-busy", presence=hostile(Presence, p, availability=Availability.BUSY))
    free = hostile(Expert, p)
    queue = hostile(Queue, p)
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))  # the clock at now, as over the servers
    try:
        async with scene_app(mocks).run_test(size=SIZE) as pilot:
            screen = agent_screen(pilot)
            await wait_until(pilot, lambda: screen.query_one("#expert-table", DataTable).row_count > 0, "the experts")
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
                key=p,
                kind=EntryKind.INTERACTION,
                contact_id=p,
                payload={},  # type: ignore[arg-type]  # none of the kinds: the row offers no fix to draw
                state=EntryState.FAILED,
                attempts=1,
                next_attempt_at=0.0,
                last_error=p,
                created_at=AT,
                sent_at=None,
                result_id=None,
                label=p,
            )
            await through_dialog(pilot, OutboxView([written_row(entry)]), p, "outbox view")
            customer = hostile(Customer, p, consent_sms=True, phones=[p])
            wrapped = WrappedUp(p, p, customer, p, p)

            async def queued(channel: Channel, template_id: str) -> str | None:
                return p

            follow_up = FollowUpDialog(wrapped, frozenset({Channel.SMS, Channel.EMAIL}), queued)
            await through_dialog(pilot, follow_up, p, "follow-up: the record and the refusal", "e", "s", "ctrl+s")

            async def found(query: str) -> list[Customer]:
                return [hostile(Customer, p, id="a"), hostile(Customer, p, id="b")]

            async def refused(query: str) -> list[Customer]:
                raise BackendError("crm", p)

            await through_dialog(pilot, CustomerSearch(found, p), p, "customer search: title")
            await through_dialog(pilot, CustomerSearch(found), p, "customer search: matches", "x", "enter")
            await through_dialog(pilot, CustomerSearch(refused), p, "customer search: the CRM's refusal", "x", "enter")
    finally:
        await mocks.aclose()


# --- fed: every model on the supervisor's desk, both drill-downs and their pickers --------------------


@pytest.mark.parametrize("kind", PAYLOAD_IDS)
async def test_a_hostile_floor_on_the_supervisor_desk_and_drilldowns_is_literal(tmp_path: Path, kind: str) -> None:
    p = PAYLOADS[kind]
    waiting = hostile(Contact, p, state=ContactState.QUEUED)
    snapshot = hostile(
        FloorSnapshot,
        p,
        queues=[hostile(SupervisedQueue, p), hostile(SupervisedQueue, p, id=f"{p}-2")],
        waiting=[waiting],
    )
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))  # the clock at now, as over the servers
    try:
        async with scene_app(mocks, desks=("supervisor",)).run_test(size=SIZE) as pilot:
            screen = supervisor_screen(pilot)
            await wait_until(pilot, lambda: screen.desk.loaded, "the floor")
            # the live stream's next stats tick would replace the hostile queues' stats (and their alert):
            # this test is about drawing what the floor holds, so the stream stops before it is fed
            screen.workers.cancel_group(screen, "supervisor-stream")
            await pilot.pause(0.05)
            screen.desk.floor.apply_snapshot(snapshot)
            screen.redraw()
            await check(pilot, p, "supervisor: queues, staffing, agents, alert line")
            screen.desk.adherence.load(present(snapshot.adherence))  # The adherence board (r)
            await pilot.press("r")
            await check(pilot, p, "adherence board")
            await pilot.press("r")
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
    finally:
        await mocks.aclose()
