"""The `PresenceDirectory` protocol suite: every scenario on the HTTP client (real mock presence server on
loopback) and on the in-process backend over its directory, asserting the same answers from both."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import Availability, ExpertMessageEvent, PresenceEvent
from agent_desktop.domain.streams.link_status import LinkStatus
from tests.support.protocol_rigs.contact_center import KINDS
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.presence import presence_rig
from tests.support.protocol_rigs.refusals import refused

pytestmark = pytest.mark.parametrize("kind", KINDS)

FREE_BILLING_EXPERT = "p-0001"  # Linda Martin, Available, billing (seed 7)


async def test_experts_are_listed_by_skill_free_people_first(kind: str, tmp_path: Path) -> None:
    async with presence_rig(kind, tmp_path) as rig:
        experts = await rig.backend.list_experts(skill="billing")
        assert len(experts) == 11
        assert all("billing" in e.skills for e in experts)
        free = [e.presence.availability.is_free for e in experts]
        assert free == sorted(free, reverse=True), "free people first"
        assert experts[0].presence.availability == Availability.AVAILABLE
        assert [e.id for e in await rig.backend.list_experts("linda", skill="billing")] == [FREE_BILLING_EXPERT]
        assert await rig.backend.list_experts("nobody-has-this") == []


async def test_a_presence_change_is_pushed(kind: str, tmp_path: Path) -> None:
    async with presence_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        up = await events.next(lambda e: isinstance(e, LinkStatus), rig.pass_time, 5, "the link")
        assert up.connected
        await rig.set_presence(FREE_BILLING_EXPERT, "Busy", "InAMeeting")
        changed = await events.next(lambda e: isinstance(e, PresenceEvent), rig.pass_time, 5, "a presence event")
        assert (changed.person_id, changed.presence.availability, changed.presence.activity) == (
            FREE_BILLING_EXPERT,
            Availability.BUSY,
            "InAMeeting",
        )
        listed = {e.id: e for e in await rig.backend.list_experts(skill="billing")}
        assert listed[FREE_BILLING_EXPERT].presence == changed.presence


async def test_a_message_to_an_expert_and_their_reply_arrive_on_the_stream(kind: str, tmp_path: Path) -> None:
    async with presence_rig(kind, tmp_path) as rig, tapped(rig.backend.events()) as events:
        await events.next(lambda e: isinstance(e, LinkStatus), rig.pass_time, 5, "the link")
        sent = await rig.backend.send_message(FREE_BILLING_EXPERT, "Can you take a refund call?", sender="Alex Morgan")
        assert (sent.direction, sent.person_id, sent.sender) == ("outbound", FREE_BILLING_EXPERT, "Alex Morgan")
        echoed = await events.next(lambda e: isinstance(e, ExpertMessageEvent), rig.pass_time, 5, "the message")
        assert echoed.message == sent
        reply = await events.next(
            lambda e: isinstance(e, ExpertMessageEvent) and e.message.direction == "inbound",
            rig.pass_time,
            5,
            "a reply",
        )
        assert (reply.message.person_id, reply.message.sender) == (FREE_BILLING_EXPERT, "Linda Martin")
        assert (await refused(rig.backend.send_message("p-9999", "hello"))).message == "404 no person p-9999"
        empty = await refused(rig.backend.send_message(FREE_BILLING_EXPERT, ""))
        assert empty.message == "422 text: String should have at least 1 character"
