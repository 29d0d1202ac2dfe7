"""Each kind of outbox write is a model (agent_desktop/outbox/payloads.py): what is stored is read back unchanged,
and rows a previous desk wrote (plain JSON of the same shape) still read and send as they would have."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import CaseCreate, InteractionCreate, NewCustomer, SupervisionRecord, TranscriptLine
from agent_desktop.domain.quality.forms import EvaluationRecord
from agent_desktop.domain.vocabulary import Channel, MonitorMode
from agent_desktop.outbox.payloads import (
    PAYLOADS,
    CaseLinkWrite,
    ConsentWithdrawal,
    FollowUpWrite,
    InteractionBody,
    InteractionWrite,
    NoteWrite,
    OutboxPayload,
)
from agent_desktop.outbox.sender import write_key
from agent_desktop.outbox.store import EntryKind, Outbox
from tests.support.narrowing import of_kind, present

# Free text without digits, so the PCI masker on the way in leaves it as it is.
words = st.text(st.characters(exclude_categories=("N", "Cs")), max_size=30)
ids = st.text("abc-0123456789", min_size=1, max_size=12)
times = st.datetimes(timezones=st.just(UTC))

bodies = st.builds(
    InteractionBody,
    customer_id=st.none(),  # never stored in the body: the write's own customer_id is (the stored shape, as before)
    contact_id=ids,
    channel=st.sampled_from(Channel),
    direction=st.sampled_from(["inbound", "outbound"]),
    agent_id=ids,
    queue_id=ids,
    offered_at=st.none() | times,
    answered_at=st.none() | times,
    ended_at=st.none() | times,
    disposition=words,
    summary=st.none() | words,
    notes=words,
    transfer_path=st.lists(ids, max_size=3),
    transcript=st.lists(
        st.builds(
            TranscriptLine, role=st.sampled_from(["customer", "agent", "system"]), name=words, text=words, at=times
        ),
        max_size=4,
    ),
    private_notes=st.lists(words, max_size=2),
    case_id=st.none() | ids,
)
WRITES = {
    EntryKind.INTERACTION: st.builds(
        InteractionWrite,
        customer_id=st.none() | ids,
        unattributed=st.booleans(),
        address=st.none() | ids,
        new_customer=st.none() | st.builds(NewCustomer, name=words, phones=st.lists(ids, max_size=2)),
        interaction=bodies,
        idempotency_key=st.none() | ids,
    ),
    EntryKind.NOTE: st.builds(NoteWrite, customer_id=ids, text=words, contact_id=st.none() | ids),
    EntryKind.CASE_CREATE: st.builds(
        CaseCreate,
        customer_id=ids,
        subject=words,
        priority=st.sampled_from(["low", "normal", "high", "urgent"]),
        owner=st.none() | ids,
        contact_id=st.none() | ids,
    ),
    EntryKind.CASE_LINK: st.builds(CaseLinkWrite, case_id=ids, contact_id=ids),
    EntryKind.SUPERVISION: st.builds(
        SupervisionRecord,
        contact_id=ids,
        supervisor_id=ids,
        supervisor_name=words,
        event=st.sampled_from(["joined", "mode_changed", "left"]),
        mode=st.none() | st.sampled_from(MonitorMode),
        at=times,
        agent_id=st.none() | ids,
        queue_id=st.none() | ids,
        channel=st.none() | st.sampled_from(Channel),
    ),
    EntryKind.EVALUATION: st.builds(
        EvaluationRecord,
        evaluation_id=ids,
        contact_id=ids,
        agent_id=ids,
        queue_id=st.none() | ids,
        channel=st.none() | st.sampled_from(Channel),
        form_id=ids,
        form_name=words,
        evaluator_id=ids,
        evaluator_name=words,
        score=st.floats(0, 100),
        auto_failed=st.booleans(),
        comments=words,
        released_at=times,
    ),
    EntryKind.FOLLOW_UP: st.builds(
        FollowUpWrite,
        customer_id=ids,
        contact_id=ids,
        queue_id=ids,
        agent_id=ids,
        channel=st.sampled_from([Channel.SMS, Channel.EMAIL]),
        to=ids,
        body=words,
        template=ids,
        message_id=st.none() | ids,
        status=st.none() | st.sampled_from(["queued", "delivered"]),
        error=st.none() | words,
    ),
    EntryKind.CONSENT_WITHDRAWAL: st.builds(
        ConsentWithdrawal, customer_id=ids, contact_id=ids, channel=st.sampled_from(Channel), reason=words
    ),
}
writes = st.sampled_from(EntryKind).flatmap(lambda kind: st.tuples(st.just(kind), WRITES[kind]))


def test_every_kind_of_write_has_a_model_and_a_strategy_here() -> None:
    assert set(PAYLOADS) == {kind.value for kind in EntryKind} == {kind.value for kind in WRITES}


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outbox]:
    store = Outbox(tmp_path_factory.mktemp("outbox") / "outbox.db")
    yield store
    store.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(write=writes)
def test_every_kind_of_write_is_read_back_as_it_was_stored(
    outbox: Outbox,
    write: tuple[EntryKind, OutboxPayload],
) -> None:
    kind, payload = write
    entry = outbox.add(kind, payload, contact_id="c-1")
    assert type(entry.payload) is type(payload)
    assert entry.payload == payload
    read = outbox.get(entry.key)
    assert read is not None
    assert type(read.payload) is type(payload)
    assert read.payload == payload
    outbox.update_payload(entry.key, payload)  # as the sender rewrites it (the customer it found)
    assert present(outbox.get(entry.key)).payload == payload


def test_a_write_of_another_kind_is_refused(outbox: Outbox) -> None:
    with pytest.raises(TypeError):
        outbox.add(EntryKind.NOTE, CaseLinkWrite(case_id="case-1", contact_id="c-1"))


# Rows as the previous desk wrote them: plain JSON, each kind's keys; the interaction's body without its customer.
AT = "2026-11-23T19:00:00Z"
OLD_INTERACTION: dict[str, Any] = {
    "customer_id": None,
    "unattributed": False,
    "address": "+14155550001",
    "new_customer": {"name": "New caller +14155550001", "phones": ["+14155550001"], "emails": [], "language": None},
    "interaction": {
        "contact_id": "c-1",
        "channel": "chat",
        "direction": "inbound",
        "agent_id": "agent-001",
        "queue_id": "billing",
        "offered_at": AT,
        "answered_at": AT,
        "ended_at": AT,
        "disposition": "Resolved",
        "summary": "Billing: Resolved",
        "notes": "card •••• 1111",
        "transfer_path": [],
        "transcript": [{"role": "customer", "name": "Dana", "text": "Hello", "at": AT}],
        "private_notes": ["vip"],
    },
    "idempotency_key": "interaction-c-1-old:cut-1",
}
OLD_ROWS = {
    "interaction": OLD_INTERACTION,
    "note": {"customer_id": "cus-1", "text": "Called back", "contact_id": "c-2"},
    "case_create": {"customer_id": "cus-1", "subject": "Refund", "contact_id": "c-3"},
    "case_link": {"case_id": "case-9", "contact_id": "c-4"},
    "supervision": {
        "contact_id": "c-5",
        "supervisor_id": "sup-1",
        "supervisor_name": "Riley Chen",
        "event": "joined",
        "mode": "monitor",
        "at": AT,
        "agent_id": "agent-001",
        "queue_id": "billing",
        "channel": "chat",
    },
}


def test_writes_pending_from_the_previous_desk_are_read_and_sent_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    Outbox(path).close()
    with sqlite3.connect(path) as previous:
        for kind, payload in OLD_ROWS.items():
            previous.execute(
                "insert into outbox (key, kind, contact_id, payload, created_at) values (?, ?, ?, ?, ?)",
                [f"{kind}-old", kind, "c-1", json.dumps(payload), "2026-11-23T19:00:00+00:00"],
            )
    outbox = Outbox(path)
    due = {entry.kind.value: entry for entry in outbox.due()}
    assert set(due) == set(OLD_ROWS), "every pending write is still due"

    interaction = due["interaction"]
    assert isinstance(interaction.payload, InteractionWrite)
    # What the previous sender built from the row: the body with the customer it found.
    sent_before = InteractionCreate.model_validate({**OLD_INTERACTION["interaction"], "customer_id": "cus-7"})
    assert interaction.payload.interaction.for_customer("cus-7") == sent_before
    assert interaction.payload.new_customer == NewCustomer.model_validate(OLD_INTERACTION["new_customer"])
    assert interaction.payload.address == "+14155550001"
    assert not interaction.payload.unattributed
    assert write_key(interaction) == "interaction-c-1-old:cut-1", "a reduced write keeps its own key"
    assert due["note"].payload == NoteWrite(customer_id="cus-1", text="Called back", contact_id="c-2")
    assert due["case_create"].payload == CaseCreate.model_validate(OLD_ROWS["case_create"])
    assert due["case_link"].payload == CaseLinkWrite(case_id="case-9", contact_id="c-4")
    assert due["supervision"].payload == SupervisionRecord.model_validate(OLD_ROWS["supervision"])
    assert write_key(due["note"]) == "note-old"
    # Read and written again (the sender records the customer it found), the row keeps every field.
    outbox.update_payload(interaction.key, interaction.payload.model_copy(update={"customer_id": "cus-7"}))
    again = outbox.get(interaction.key)
    assert again is not None
    assert of_kind(again.payload, InteractionWrite).interaction == interaction.payload.interaction
    outbox.close()
