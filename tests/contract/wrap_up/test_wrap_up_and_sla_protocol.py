"""In the `ContactCenter` protocol suite: what each backend serves of the response-time policy (SLA
clocks) and the wrap-up rules, and what it declares off. The mock (over HTTP and in-process) gives every queue a
target per written channel and a rule per channel, extends a time-boxed wrap-up as far as the rule allows, times
it out with the rule's default code, keeps a no-early-exit wrap-up until its deadline; Twilio declares both off
(TaskRouter and Flex have neither: docs/vendors/twilio-taskrouter.md) and refuses an extension it never offers."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desktop.domain.models import AgentState, Channel, Contact, ContactEvent, ContactState, OfferEvent
from tests.support.narrowing import present
from tests.support.protocol_rigs.contact_center import (
    KINDS,
    ContactCenterRig,
    contact_center_rig,
)
from tests.support.protocol_rigs.event_tap import EventTap, tapped
from tests.support.protocol_rigs.refusals import refused

every_kind = pytest.mark.parametrize("kind", KINDS)
CALLER = "(512) 555-0100"


async def in_wrap_up(rig: ContactCenterRig, events: EventTap) -> Contact:
    await rig.backend.set_state(AgentState.AVAILABLE)
    await rig.place_call(CALLER)
    offer = await events.next(lambda e: isinstance(e, OfferEvent), rig.pass_time, 5.0, "offer")
    contact = await rig.backend.accept_offer(offer.offer.id)
    return await rig.backend.end_contact(contact.id)


@every_kind
async def test_every_queue_gives_its_targets_and_rules_per_channel(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        capabilities = rig.backend.capabilities
        assert capabilities.sla_clocks
        assert capabilities.wrap_up_rules
        queues = {queue.id: queue for queue in await rig.backend.list_queues()}
        billing, tech = queues["billing"], queues["tech_support"]
        assert set(billing.response_targets) == {Channel.CHAT, Channel.SMS, Channel.EMAIL}
        assert billing.response_targets[Channel.CHAT].first_response_s == 60
        assert tech.response_targets[Channel.CHAT].first_response_s == 45, "a queue's own target"
        assert set(billing.wrap_up) == set(Channel)
        assert billing.wrap_up[Channel.EMAIL].mode == "discretionary"
        assert tech.wrap_up[Channel.SMS].mode == "optional"
        assert billing.disposition_groups["Follow-up"] == ["Escalated", "Callback scheduled"]


@every_kind
async def test_a_time_boxed_wrap_up_is_extended_as_the_rule_allows_then_times_out_with_its_default(
    kind: str, tmp_path: Path
) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        await rig.set_wrap_up_rule(
            "billing",
            "voice",
            mode="time_boxed",
            timeout_s=1,
            extension_s=1,
            max_extensions=1,
            default_disposition="Resolved",
        )
        async with tapped(rig.backend.events()) as events:
            ended = await in_wrap_up(rig, events)
            assert ended.acw_deadline is not None
            assert ended.acw_extensions == 0
            longer = await rig.backend.extend_wrap_up(ended.id)
            assert longer.acw_extensions == 1
            assert (present(longer.acw_deadline) - ended.acw_deadline).total_seconds() == 1
            more = await refused(rig.backend.extend_wrap_up(ended.id))
            assert (more.status, more.state) == (409, "after_contact_work")
            assert "no more extensions" in more.message
            timed_out = await events.next(
                lambda e: isinstance(e, ContactEvent) and e.contact.state == "completed", rig.pass_time, 6.0, "timeout"
            )
            assert timed_out.contact.disposition == "Resolved"
            assert timed_out.contact.completed_at >= longer.acw_deadline


@every_kind
async def test_no_early_exit_keeps_the_wrap_up_until_its_deadline(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        await rig.set_wrap_up_rule("billing", "voice", mode="time_boxed_no_early_exit", timeout_s=1, extension_s=0)
        async with tapped(rig.backend.events()) as events:
            ended = await in_wrap_up(rig, events)
            early = await refused(rig.backend.complete_contact(ended.id, "Resolved"))
            assert (early.status, early.state) == (409, "after_contact_work")
            assert "no early exit" in early.message
            no_more = await refused(rig.backend.extend_wrap_up(ended.id))
            assert no_more.status == 409
            timed_out = await events.next(
                lambda e: isinstance(e, ContactEvent) and e.contact.state == "completed", rig.pass_time, 6.0, "timeout"
            )
            assert timed_out.contact.disposition == "ACW timeout", "no default given: the contact center's own"


@every_kind
async def test_a_discretionary_wrap_up_has_no_deadline(kind: str, tmp_path: Path) -> None:
    async with contact_center_rig(kind, tmp_path) as rig:
        await rig.set_wrap_up_rule("billing", "voice", mode="discretionary")
        async with tapped(rig.backend.events()) as events:
            ended = await in_wrap_up(rig, events)
            assert ended.state == ContactState.AFTER_CONTACT_WORK
            assert ended.acw_deadline is None
            assert (await refused(rig.backend.extend_wrap_up(ended.id))).status == 409
            done = await rig.backend.complete_contact(ended.id, "Resolved")
            assert done.state == ContactState.COMPLETED


async def test_twilio_declares_both_off_and_refuses_an_extension(tmp_path: Path) -> None:
    async with contact_center_rig("twilio", tmp_path) as rig:
        capabilities = rig.backend.capabilities
        assert not capabilities.sla_clocks
        assert not capabilities.wrap_up_rules
        for queue in await rig.backend.list_queues():
            assert queue.response_targets == {}
            assert queue.wrap_up == {}
            assert queue.disposition_groups == {}
        refusal = await refused(rig.backend.extend_wrap_up("WTnot-asked"))
        assert refusal.status == 501
