"""A call to a colleague of the directory, its rules: who may be called (free by their presence, a softphone's
address), the refusal in words naming them; their call matched to its contact as it rings; and what the CRM gets at
its wrap-up (no customer made of a colleague)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.voice.call_media import SoftphoneCalls
from agent_desktop.domain.calls.colleague_call import colleague_call_refusal
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import Contact, Expert, Presence
from agent_desktop.domain.vocabulary import Availability, Channel, ContactState
from agent_desktop.outbox.kinds.interaction import InteractionWrite
from agent_desktop.outbox.store import Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
NOT_FREE = [a for a in Availability if not a.is_free]


def jane(
    availability: Availability = Availability.AVAILABLE, address: str | None = "sip:jane.doe@example.com"
) -> Expert:
    return Expert(
        id="p-0001",
        name="Jane Doe",
        address=address,
        presence=Presence(availability=availability, changed_at=NOW),
    )


@pytest.mark.parametrize("availability", NOT_FREE)
def test_a_colleague_not_free_is_refused_in_words_that_name_them(availability: Availability) -> None:
    why = colleague_call_refusal(jane(availability))
    assert why is not None
    assert why.startswith("Jane Doe ")
    if availability in (Availability.BUSY, Availability.BUSY_IDLE):
        assert "busy" in why
    if availability is Availability.OFFLINE:
        assert "offline" in why


def test_a_free_colleague_with_a_softphone_may_be_called_and_one_without_is_told_why() -> None:
    assert colleague_call_refusal(jane()) is None
    assert colleague_call_refusal(jane(Availability.AVAILABLE_IDLE)) is None
    assert colleague_call_refusal(jane(address=None)) == "Jane Doe has no address the contact center can call."
    no_softphone = colleague_call_refusal(jane(address="tel:+15125550199"))
    assert no_softphone is not None
    assert "no softphone's" in no_softphone


@given(name=st.text(min_size=1, max_size=300))
def test_a_refusal_is_one_line_whatever_the_directory_calls_them(name: str) -> None:
    expert = jane(Availability.BUSY).model_copy(update={"name": name})
    why = colleague_call_refusal(expert)
    assert why is not None
    assert "\n" not in why
    assert len(why) < 200


def internal_call(contact_id: str = "c-000007", address: str = "sip:Jane.Doe@example.com") -> Contact:
    return Contact(
        id=contact_id,
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.CONNECTED,
        entered_queue_at=NOW,
        direction="outbound",
        colleague="Jane Doe",
    )


def test_the_colleagues_call_is_matched_to_its_contact_by_the_address_dialled() -> None:
    changes = DeskChanges()
    phone = SoftphoneCalls(lambda: changes, sound=True)
    customer = internal_call("c-000006", "+15125550199").model_copy(update={"colleague": None})
    ringing = CallEvent(CallEventKind.RINGING, "call-1", peer="sip:jane.doe@127.0.0.1:5090;x-contact=c-000007")
    assert phone.apply(ringing, [customer, internal_call()]) == "c-000007"
    other = CallEvent(CallEventKind.RINGING, "call-2", peer="sip:john.roe@127.0.0.1:5090;x-contact=c-000008")
    assert phone.apply(other, [internal_call("c-000009")]) is None, "another colleague's call is not Jane's"


def test_the_wrap_up_is_written_to_no_customer_and_says_whom_it_was_with(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        entry = enqueue_wrap_up(outbox, internal_call(), "agent-001", "Resolved", "asked about a refund rule", None)
    finally:
        outbox.close()
    payload = entry.payload
    assert isinstance(payload, InteractionWrite)
    assert payload.unattributed, "a colleague is no customer: nobody in the CRM to attribute it to"
    assert payload.new_customer is None, "no 'New caller sip:…' customer made of a colleague"
    assert payload.interaction.summary == "Internal call with Jane Doe · Billing: Resolved"
    assert payload.interaction.notes == "asked about a refund rule"
