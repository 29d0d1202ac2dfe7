"""Card data in an outbox write is masked at one place: the outbox, as the write goes in (`Outbox.add`). Nobody
masks a write before adding it, and nothing after needs to mask it again: what the outbox stores is a fixed point
of the masker (masking it a second time changes nothing), and gives no card number away, whether it was typed in
the customer's messages, the notes, the private notes, the new caller's name or a follow-up's body, and whether
the wrap-up was cut to fit a CRM's limits (cut after masking) or not."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

import agent_desktop
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS
from agent_desktop.domain.models import Channel, Contact, ContactState, TranscriptLine
from agent_desktop.outbox.follow_ups import enqueue_follow_up
from agent_desktop.outbox.payloads import FollowUpWrite
from agent_desktop.outbox.pci_fields import masked_payload
from agent_desktop.outbox.store import Outbox, OutboxEntry
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.support.pci_cards import gives_away, written_card

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
# A CRM that keeps little: lines and notes cut short, so the cut meets the masked text.
SMALL_CRM = replace(MOCK_CRM_LIMITS, max_item_chars=40, max_notes_chars=60, max_private_note_chars=30)
CARD_AND_WORDS = st.tuples(written_card(), st.sampled_from(["", "my card is ", "it is "]), st.sampled_from(["", " ok"]))


def _stored(entry: OutboxEntry, folder: Path) -> dict[str, object]:
    """The entry's JSON as it is on disk."""
    outbox = Outbox(folder / "outbox.db")
    try:
        row = outbox._db.execute("select payload from outbox where key = ?", [entry.key]).fetchone()
    finally:
        outbox.close()
    stored: dict[str, object] = json.loads(row["payload"])
    return stored


def _free_text(stored: dict[str, object]) -> dict[str, object]:
    """The write without the address the caller came from (an identifier the CRM finds them by, kept as it is)."""
    new_customer = stored.get("new_customer")
    name = new_customer.get("name") if isinstance(new_customer, dict) else None
    return {**{key: value for key, value in stored.items() if key not in ("address", "new_customer")}, "name": name}


def _said(card: tuple[tuple[str, list[str]], str, str]) -> tuple[str, str]:
    (digits, pieces), before, after = card
    return digits, before + "".join(pieces) + after


@settings(max_examples=60, deadline=None)
@given(CARD_AND_WORDS, st.sampled_from(["transcript", "notes", "private", "name"]), st.booleans())
def test_a_wrap_up_is_stored_masked_and_masking_it_again_changes_nothing(
    card: tuple[tuple[str, list[str]], str, str], where: str, small_crm: bool
) -> None:
    digits, text = _said(card)
    customer = [TranscriptLine(role="customer", name="Dana", text=text if where == "transcript" else "hi", at=AT)]
    agent = [TranscriptLine(role="agent", name="Alex", text="Go on", at=AT)]
    contact = Contact(
        id="c-1",
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address=f"{text}@example.com" if where == "name" else "web:dana",  # "New caller <address>"
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        ended_at=AT,
    )
    with TemporaryDirectory() as folder:
        outbox = Outbox(Path(folder) / "outbox.db")
        try:
            entry = enqueue_wrap_up(
                outbox,
                contact,
                "agent-001",
                "Resolved",
                text if where == "notes" else "",
                None,
                transcript=[*customer, *agent],
                private_notes=[text] if where == "private" else [],
                limits=SMALL_CRM if small_crm else MOCK_CRM_LIMITS,
            )
        finally:
            outbox.close()
        stored = _stored(entry, Path(folder))
    assert masked_payload("interaction", stored) == stored
    assert not gives_away(digits, json.dumps(_free_text(stored), ensure_ascii=False)), stored


@settings(max_examples=40, deadline=None)
@given(CARD_AND_WORDS)
def test_a_follow_up_added_as_typed_is_stored_masked_and_masking_it_again_changes_nothing(
    card: tuple[tuple[str, list[str]], str, str],
) -> None:
    """The desk adds the template as filled (agent_desktop/agent_desk/follow_ups): the outbox masks it."""
    digits, text = _said(card)
    follow_up = FollowUpWrite(
        customer_id="cus-1",
        contact_id="c-1",
        queue_id="billing",
        agent_id="agent-001",
        channel=Channel.SMS,
        to="+14155550101",
        body=f"Dana, your case: {text}",
        template="resolved",
    )
    with TemporaryDirectory() as folder:
        outbox = Outbox(Path(folder) / "outbox.db")
        try:
            entry = enqueue_follow_up(outbox, follow_up)
        finally:
            outbox.close()
        stored = _stored(entry, Path(folder))
    assert masked_payload("follow_up", stored) == stored
    assert not gives_away(digits, json.dumps(stored, ensure_ascii=False)), stored


def test_only_the_outbox_masks_a_write() -> None:
    """`masked_payload` (the masker of a write's free text) is called by the store alone."""
    package = Path(agent_desktop.__file__).parent
    callers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "masked_payload"
    )
    assert callers == ["outbox/store.py"]
