"""The emails and SMS held before they leave (agent_desktop/agent_desk/conversations/held_sends.py), by rule: chat is never held,
an undo time of 0 holds nothing, undo takes the latest back, what is due leaves in order whichever contact is
selected, an ending contact or a quitting desk takes all it holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.conversations.held_sends import HeldSends
from agent_desktop.domain.vocabulary import Channel

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sends(delay_s: float = 5.0) -> tuple[HeldSends, DeskChanges]:
    changes = DeskChanges()
    return HeldSends(lambda: changes, delay_s), changes


def test_email_and_sms_are_held_chat_and_voice_never_and_zero_holds_nothing() -> None:
    held, _ = sends()
    assert held.holds(Channel.EMAIL)
    assert held.holds(Channel.SMS)
    assert not held.holds(Channel.CHAT)
    assert not held.holds(Channel.VOICE)
    off, _ = sends(0)
    assert not off.holds(Channel.EMAIL)
    assert not off.holds(Channel.SMS)


def test_undo_takes_the_latest_back_and_marks_its_conversation() -> None:
    held, changes = sends()
    held.hold("c1", "first", T0)
    held.hold("c1", "second", T0 + timedelta(seconds=1))
    assert changes.conversations == {"c1"}
    undone = held.undo("c1")
    assert undone is not None
    assert undone.text == "second"
    assert [h.text for h in held.of("c1")] == ["first"]
    assert held.undo("c2") is None


def test_what_is_due_leaves_in_order_for_every_contact_and_counts_down_in_whole_seconds() -> None:
    held, _ = sends()
    first = held.hold("c1", "one", T0)
    held.hold("c2", "two", T0 + timedelta(seconds=1))
    assert first.left_s(T0) == 5
    assert first.left_s(T0 + timedelta(seconds=4.2)) == 1
    assert held.due(T0 + timedelta(seconds=4.9)) == []
    assert [h.text for h in held.due(T0 + timedelta(seconds=5))] == ["one"]
    assert [h.text for h in held.due(T0 + timedelta(seconds=6))] == ["two"]
    assert held.due(T0 + timedelta(seconds=60)) == []
    assert held.of("c1") == ()
    assert held.of("c2") == ()


def test_an_ending_contact_takes_its_own_and_quitting_takes_all() -> None:
    held, _ = sends()
    held.hold("c1", "one", T0)
    held.hold("c2", "two", T0)
    held.hold("c2", "three", T0)
    assert [h.text for h in held.take("c2")] == ["two", "three"]
    assert [h.text for h in held.take_all()] == ["one"]
    assert held.take_all() == []
