"""Callbacks an agent owns in the `ContactCenter` protocol suite: the agent schedules one from a contact
they had, for a time in the customer's zone; when due it is offered to them alone as a callback contact (dialled
when accepted), and its state reads scheduled → offered → done. Refusals in words (a past or naive time, an unknown
zone or contact, someone else's contact); Twilio declares it off and refuses the calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent_desktop.domain.models import AgentState, ContactEvent, OfferEvent
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    ROUTING_KINDS,
    ContactCenterRig,
    contact_center_rig,
)
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

CALLER = "+15125550100"
ZONE = "America/Chicago"


async def _handled(rig: ContactCenterRig, events: EventTap) -> str:
    """A voice contact the agent had, completed: the callback's customer."""
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(CALLER)
    offer = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5.0, "offer")
    contact = await rig.backend.accept_offer(offer.offer.id)
    await rig.backend.end_contact(contact.id)
    await rig.backend.complete_contact(contact.id, "Callback scheduled")
    await events.next(
        lambda e: isinstance(e, ContactEvent) and e.contact.state == "completed", rig.pass_time, 5.0, "done"
    )
    found: str = contact.id
    return found


@pytest.mark.parametrize("kind", KINDS)
async def test_a_callback_comes_due_and_is_offered_to_its_owner(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert rig.backend.capabilities.owned_callbacks
        async with tapped(rig.backend.events()) as events:
            contact_id = await _handled(rig, events)
            due = datetime.now(UTC) + timedelta(seconds=2)
            scheduled = await rig.backend.schedule_callback(contact_id, due, ZONE, "Refund status")
            assert (scheduled.state, scheduled.agent_id, scheduled.number) == ("scheduled", DEMO_AGENT_ID, CALLER)
            assert scheduled.due_at == due
            assert scheduled.time_zone == ZONE
            assert [c.id for c in await rig.backend.my_callbacks()] == [scheduled.id]
            assert await rig.other.my_callbacks() == [], "each agent sees only their own"
            await rig.backend.set_state(AgentState.AVAILABLE)
            offered = await events.next(
                lambda e: isinstance(e, OfferEvent) and e.offer.contact.callback is not None, rig.pass_time, 6.0, "due"
            )
            assert offered.offer.contact.callback.number == CALLER
            assert offered.offer.contact.offered_at >= due, "never offered before its time"
            (listed,) = await rig.backend.my_callbacks()
            assert (listed.state, listed.callback_contact_id) == ("offered", offered.offer.contact.id)
            await rig.backend.accept_offer(offered.offer.id)
            (listed,) = await rig.backend.my_callbacks()
            assert listed.state == "done"


@pytest.mark.parametrize("kind", KINDS)
async def test_bad_callbacks_are_refused_in_words(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        async with tapped(rig.backend.events()) as events:
            contact_id = await _handled(rig, events)
        soon = datetime.now(UTC) + timedelta(hours=1)
        past = await refused(rig.backend.schedule_callback(contact_id, datetime.now(UTC) - timedelta(minutes=1), ZONE))
        assert past.status == 422
        assert "in the past" in past.message
        naive = await refused(rig.backend.schedule_callback(contact_id, soon.replace(tzinfo=None), ZONE))
        assert naive.status == 422
        assert "UTC offset" in naive.message
        far = await refused(rig.backend.schedule_callback(contact_id, soon + timedelta(days=400), ZONE))
        assert far.status == 422
        assert "at most 366 days ahead" in far.message
        zone = await refused(rig.backend.schedule_callback(contact_id, soon, "Mars/Olympus_Mons"))
        assert zone.status == 422
        assert "unknown time zone" in zone.message
        unknown = await refused(rig.backend.schedule_callback("c-999999", soon, ZONE))
        assert unknown.status == 404
        theirs = await refused(rig.other.schedule_callback(contact_id, soon, ZONE))
        assert theirs.status == 403
        assert "not yours" in theirs.message
        assert await rig.backend.my_callbacks() == []


@pytest.mark.parametrize("kind", sorted(set(ROUTING_KINDS) - set(KINDS)))
async def test_a_backend_without_owned_callbacks_declares_them_off_and_refuses_them(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert not rig.backend.capabilities.owned_callbacks
        assert (await refused(rig.backend.my_callbacks())).status == 501
        soon = datetime.now(UTC) + timedelta(hours=1)
        assert (await refused(rig.backend.schedule_callback("c-1", soon, ZONE))).status == 501
