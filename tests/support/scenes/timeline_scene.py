"""Customer timeline on the card, on the in-process mocks: a customer with a call, a chat (its notes
holding markup), a callback, a released evaluation and a case, written to the CRM before they call again; the
History tab (2) shows them newest first under their consent. `agent-timeline` is that card."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from textual.pilot import Pilot

from agent_desktop.domain.models import CaseCreate, Channel, InteractionCreate
from agent_desktop.domain.quality.forms import EvaluationRecord
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import caller, go_available, scene_app, scene_settings, wait_until
from tests.support.scenes.pilot_steps import card_text, steady_cursors
from tests.support.scenes.scenes import FROZEN_TIME

SIZE = (120, 40)
CALLER = 3
HOSTILE = "[@click=app.quit]x[/] [b]agent[/b]"


def _contact(
    customer_id: str,
    contact_id: str,
    channel: Channel,
    direction: Literal["inbound", "outbound"],
    disposition: str,
    ended_at: datetime,
    notes: str = "",
) -> InteractionCreate:
    return InteractionCreate(
        customer_id=customer_id,
        contact_id=contact_id,
        channel=channel,
        direction=direction,
        agent_id="agent-001",
        queue_id="billing",
        answered_at=ended_at,
        ended_at=ended_at,
        disposition=disposition,
        notes=notes,
    )


async def journey_written(mocks: InProcessMocks) -> str:
    """The caller's journey written to the CRM an hour apart each (the case last); their customer id."""
    crm = mocks.crm()
    customer_id = (await crm.lookup(caller(mocks, CALLER).phone_e164)).customers[0].id
    hours = [mocks.crm_app.state.crm.clock.now() - timedelta(hours=n) for n in range(5)]
    await crm.log_interaction(
        _contact(customer_id, "c-1", Channel.VOICE, "inbound", "Billing question", hours[4]), "k1"
    )
    await crm.log_interaction(
        _contact(customer_id, "c-2", Channel.CHAT, "inbound", "Refund issued", hours[3], HOSTILE), "k2"
    )
    await crm.log_interaction(_contact(customer_id, "c-3", Channel.VOICE, "outbound", "Called back", hours[2]), "k3")
    record = EvaluationRecord(
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
    )
    await crm.record_evaluation(record, "evaluation:ev-1")
    await crm.create_case(CaseCreate(customer_id=customer_id, subject="Duplicate charge", contact_id="c-2"), "k4")
    return customer_id


async def timeline_shown(pilot: Pilot[None], mocks: InProcessMocks, until: str = "evaluation") -> None:
    """The caller's call offered, the History tab in front once the CRM's timeline (`until` in it) is there."""
    await go_available(pilot)
    await mocks.place_call(caller(mocks, CALLER).phone_e164)
    await wait_until(pilot, lambda: caller(mocks, CALLER).name in card_text(pilot, "profile"), "the card")
    await pilot.press("2")
    await wait_until(pilot, lambda: until in card_text(pilot, "history"), "the CRM's timeline")


async def capture_timeline(name: str, folder: Path, size: tuple[int, int] = SIZE) -> Path:
    with tempfile.TemporaryDirectory() as data_dir:
        # The CRM's clock frozen too (its seed and its writes dated from it): the same picture every run.
        settings = scene_settings(Path(data_dir), customers=20).model_copy(update={"frozen_time": FROZEN_TIME})
        mocks = InProcessMocks(settings, start=FROZEN_TIME)
        try:
            await journey_written(mocks)
            app = scene_app(mocks)
            async with app.run_test(size=size) as pilot:
                steady_cursors(pilot)
                await timeline_shown(pilot, mocks)
                await pilot.pause(0.3)
                return Path(app.save_screenshot(filename=f"{name}.svg", path=str(folder)))
        finally:
            await mocks.aclose()
