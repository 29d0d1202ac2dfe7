"""Snooze and send later as the contact center holds them, with no store and no server: whatever
happens in a chat, a customer's message wakes it unless it is only a "thanks" written after our reply (the case is
resolved: that one stays asleep and awaits nothing, unless the agent asked to be woken by any reply); any customer
message cancels a scheduled reply and hands its text back; at its time a reply is sent as the agent's message; and
while either waits the customer's silence never ends the chat. The property searches sequences against an oracle
that reads only what the agent did and what the customer wrote."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.conversations.core.waits import is_acknowledgement
from agent_desktop_mocks.ccaas.conversations.schemas import ScheduledReplyEvent, SnoozeEvent
from agent_desktop_mocks.ccaas.core.wire.schemas import ContactState
from agent_desktop_pci import mask_pci
from tests.unit.mocks.test_conversation_core import ANA, Chat, World

THANKS = ["Thanks!", "ok great, thank you", "Thank you so much 👍", "cheers", "That's all, thanks."]
NOT_THANKS = ["Thanks, but is it refunded?", "thanks. Also my address changed", "no", "Still charged twice!"]
CARD = "4111 1111 1111 1111"

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("snooze"), st.booleans()),
        st.tuples(st.just("schedule"), st.sampled_from(["I'll check back with the bank tomorrow.", f"Card {CARD}"])),
        st.tuples(st.just("customer"), st.sampled_from(THANKS + NOT_THANKS)),
        st.tuples(st.just("agent"), st.just("Your refund is on its way.")),
        st.tuples(st.sampled_from(["wake_time", "wake_agent", "send_time", "cancel"]), st.none()),
    ),
    max_size=20,
)


def test_a_thanks_is_short_assent_and_a_question_or_news_is_not() -> None:
    assert all(is_acknowledgement(text) for text in THANKS)
    assert not any(is_acknowledgement(text) for text in NOT_THANKS)
    assert not is_acknowledgement("")
    assert not is_acknowledgement("!!!")


@given(STEPS)
def test_snoozed_and_scheduled_follow_the_rule_whatever_happens(steps: list[tuple[str, object]]) -> None:
    world = World()
    chat = Chat(world)
    chat.engine(ContactState.QUEUED)
    record = chat.connected(ANA)
    core = chat.core
    snoozed = scheduled = False
    wake_on_thanks = False
    scheduled_text = ""
    agent_last = False  # the agent had the last word (the customer's opening came first)
    for what, arg in steps:
        world.at += timedelta(seconds=30)
        if what == "snooze":
            changes = world.take(core.snooze(record, world.at + timedelta(hours=1), bool(arg)))
            snoozed, wake_on_thanks = True, bool(arg)
        elif what == "schedule":
            changes = world.take(core.schedule(record, str(arg), world.at + timedelta(hours=1)))
            scheduled, scheduled_text = True, mask_pci(str(arg))  # masked as its message would be
            assert record.scheduled_reply is not None
            assert CARD not in record.scheduled_reply.text
        elif what == "customer":
            text = str(arg)
            thanks_kept = snoozed and agent_last and not wake_on_thanks and is_acknowledgement(text)
            awaiting_before = record.awaiting_reply_since
            changes = world.take(core.customer_says(record, text)[1])
            cancelled = [e for o in changes.events if isinstance(e := o.event, ScheduledReplyEvent)]
            assert [(e.outcome, e.text) for e in cancelled] == ([("cancelled_by_customer", scheduled_text)] * scheduled)
            woken = [e for o in changes.events if isinstance(e := o.event, SnoozeEvent)]
            assert [e.woken_by for e in woken] == (["customer"] if snoozed and not thanks_kept else [])
            if thanks_kept:
                assert record.awaiting_reply_since == awaiting_before is None, "a thanks does not reopen it"
            else:
                assert record.awaiting_reply_since is not None
                snoozed, agent_last = False, False
            scheduled = False
        elif what == "agent":
            changes = world.take(core.agent_says(record, ANA, str(arg))[1])
            agent_last = True
        elif what in ("wake_time", "wake_agent"):
            changes = world.take(core.wake(record, "time" if what == "wake_time" else "agent"))
            snoozed = False
        elif what == "send_time":
            changes = world.take(core.send_scheduled(record, ANA))
            sent = [e for o in changes.events if isinstance(e := o.event, ScheduledReplyEvent)]
            assert [(e.outcome, e.text) for e in sent] == ([("sent", scheduled_text)] * scheduled)
            if scheduled:
                assert [i.text for i in changes.added.values() if i.role == "agent"] == [scheduled_text]
                assert record.awaiting_reply_since is None
                agent_last = True
            scheduled = False
        else:
            if scheduled:
                world.take(core.cancel_scheduled(record))
            scheduled = False
        assert (record.snoozed_until is not None) == snoozed, what
        assert (record.scheduled_reply is not None) == scheduled, what
        waiting = snoozed or scheduled
        assert (record.inactivity_deadline is None) == waiting, ("the customer's silence ends it", what)
