"""Auto-accept in the `ContactCenter` protocol suite: the mock (over HTTP and in-process) serves each queue's
auto-accept per channel — none unless a supervisor sets it, then the countdown of the channels named, stopped again
with null — and declares it on; Twilio declares it off (TaskRouter has no auto-accept of a Reservation of its own:
docs/vendors/twilio-taskrouter.md) and its queues carry none."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import Channel
from tests.support.protocol_rigs.contact_center import KINDS, contact_center_rig


@pytest.mark.parametrize("kind", KINDS)
async def test_a_queue_serves_the_auto_accept_of_the_channels_set(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        assert rig.backend.capabilities.auto_accept
        queues = {queue.id: queue for queue in await rig.backend.list_queues()}
        assert all(queue.auto_accept == {} for queue in queues.values()), "every offer waits unless set"
        await rig.set_auto_accept("billing", "chat", 3)
        await rig.set_auto_accept("billing", "voice", 5)
        billing = next(q for q in await rig.backend.list_queues() if q.id == "billing")
        assert {channel: rule.after_s for channel, rule in billing.auto_accept.items()} == {
            Channel.CHAT: 3,
            Channel.VOICE: 5,
        }
        await rig.set_auto_accept("billing", "voice", None)
        billing = next(q for q in await rig.backend.list_queues() if q.id == "billing")
        assert set(billing.auto_accept) == {Channel.CHAT}, "stopped for voice, chat kept"


async def test_twilio_declares_auto_accept_off(tmp_path: Path) -> None:
    async with contact_center_rig("twilio", tmp_path) as rig:
        assert not rig.backend.capabilities.auto_accept
        assert all(queue.auto_accept == {} for queue in await rig.backend.list_queues())
