"""The customer's timeline on the card (issue 47), Pilot on in-process backends over the mock CRM's own store: a
customer with a call, a chat, a case, a callback and an evaluation shows them in time order, newest first, under
their consent; a summary holding markup is drawn as written."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from agent_desktop.domain.models import CaseCreate, Channel, InteractionCreate
from agent_desktop.domain.quality_models import EvaluationRecord
from agent_desktop_mocks.demo_people import callers
from tests.support.hostile_screen import screen_lines
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import card_text, go_available

HOSTILE = "[@click=app.quit]x[/] [b]agent[/b]"


def _contact(customer_id, contact_id, channel, direction, disposition, ended_at, notes=""):
    return InteractionCreate(
        customer_id=customer_id, contact_id=contact_id, channel=channel, direction=direction, agent_id="agent-001",
        queue_id="billing", answered_at=ended_at, ended_at=ended_at, disposition=disposition, notes=notes,
    )  # fmt: skip


async def test_a_customers_journey_is_one_time_ordered_list_with_their_consent(tmp_path):
    mocks = InProcessMocks(scene_settings(tmp_path, customers=20))
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    crm = mocks.crm()
    customer_id = (await crm.lookup(caller.phone_e164)).customers[0].id
    now = mocks.crm_app.state.crm.clock.now()
    hours = [now - timedelta(hours=n) for n in range(5)]
    await crm.log_interaction(
        _contact(customer_id, "c-1", Channel.VOICE, "inbound", "Billing question", hours[4]), "k1"
    )
    await crm.log_interaction(
        _contact(customer_id, "c-2", Channel.CHAT, "inbound", "Refund issued", hours[3], HOSTILE), "k2"
    )
    await crm.log_interaction(_contact(customer_id, "c-3", Channel.VOICE, "outbound", "Called back", hours[2]), "k3")
    await crm.record_evaluation(
        EvaluationRecord(
            evaluation_id="ev-1",
            contact_id="c-1",
            agent_id="agent-001",
            form_id="voice-standard",
            form_name="Voice standard",
            evaluator_id="sup-001",
            evaluator_name="Sam",
            score=90.0,
            auto_failed=False,
            released_at=hours[1],
        ),  # fmt: skip
        "evaluation:ev-1",
    )
    await crm.create_case(CaseCreate(customer_id=customer_id, subject="Duplicate charge", contact_id="c-2"), "k4")
    with sqlite3.connect(tmp_path / "crm.db") as db:
        sms, marketing = db.execute(
            "select consent_sms, consent_marketing from customers where id = ?", [customer_id]
        ).fetchone()
    try:
        async with scene_app(mocks).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await mocks.place_call(caller.phone_e164)
            await wait_until(pilot, lambda: caller.name in screen_lines(pilot), "the card")
            await pilot.press("2")
            await wait_until(pilot, lambda: "evaluation" in card_text(pilot, "history"), "the CRM's timeline")
            lines = card_text(pilot, "history").splitlines()
            yes_no = {True: "yes", False: "no", None: "?"}
            assert lines[0].startswith("consent now |  | ☎ yes · ")
            assert f"✆ {yes_no[None if sms is None else bool(sms)]}" in lines[0]
            assert f"marketing {yes_no[None if marketing is None else bool(marketing)]}" in lines[0]
            kinds = [line.split(" | ")[2].partition(":")[0].partition(" · ")[0] for line in lines[1:6]]
            assert kinds == ["case opened", "evaluation", "callback", "chat", "call"], lines[:7]
            assert "evaluation · agent-001: Voice standard · 90% · by Sam" in lines[2] and " | → ☎ | " in lines[3]
            assert f"chat · agent-001: Refund issued · {HOSTILE}" in lines[4], "markup in a summary is text"
            await pilot.press("down", "down", "down", *["right"] * 10)  # to the chat's line, its summary in view
            await pilot.pause()
            drawn = screen_lines(pilot)
            assert "[@click=app.quit]x[/] [b]agent" in drawn, "drawn as written"
            assert pilot.app.is_running
    finally:
        await mocks.aclose()
