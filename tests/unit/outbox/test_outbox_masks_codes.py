"""A wrap-up written back to the CRM holds no security code however it was said: in words, before more
digits, on the line after the one that named it — in a chat's transcript, in a call's (as the desk holds it from
the transcription it heard), and in notes an AI wrap-up filled ("cvv 555 31m")."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_desktop.domain.models import Channel, Contact, ContactState, TranscriptLine
from agent_desktop.domain.models.transcription import TranscriptionLine
from agent_desktop.outbox.store import Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop.transcripts.call_transcript import CallTranscript

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CUSTOMER_SAID = [
    "Hi, I want to pay.",
    "The security code is five five five",
    "cvv 555 12/28",
    "my pin is",
    "four three two one",
    "code 555 12 and that is all",
]
NOTES = "Summary: took a payment, cvv 555 31m"


def _contact(channel: Channel) -> Contact:
    return Contact(
        id="c-1",
        channel=channel,
        queue_id="billing",
        queue_name="Billing",
        from_address="+14155550101" if channel is Channel.VOICE else "web:dana",
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        ended_at=AT,
    )


def _chat_lines() -> list[TranscriptLine]:
    return [TranscriptLine(role="customer", name="Dana", text=text, at=AT) for text in CUSTOMER_SAID]


def _call_lines() -> list[TranscriptLine]:
    """As the desk keeps a call for the CRM: each final line heard, through the call's transcript."""
    transcript = CallTranscript("c-1")
    for index, text in enumerate(CUSTOMER_SAID):
        transcript.apply(
            TranscriptionLine.model_validate(
                {
                    "id": f"c-1:{index}",
                    "contact_id": "c-1",
                    "index": index,
                    "role": "customer",
                    "display_name": "Dana",
                    "text": text,
                    "final": True,
                    "started_at": AT.isoformat(),
                    "at": AT.isoformat(),
                }
            )
        )
    return transcript.for_the_crm()


@pytest.mark.parametrize("channel", [Channel.CHAT, Channel.VOICE])
def test_a_wrap_up_reaches_the_crm_without_a_security_code_however_it_was_said(
    channel: Channel, tmp_path: Path
) -> None:
    lines = _call_lines() if channel is Channel.VOICE else _chat_lines()
    outbox = Outbox(tmp_path / "outbox.db")
    try:
        entry = enqueue_wrap_up(outbox, _contact(channel), "agent-001", "Paid", NOTES, "cus-1", transcript=lines)
        row = outbox._db.execute("select payload from outbox where key = ?", [entry.key]).fetchone()
    finally:
        outbox.close()
    stored = json.loads(row["payload"])["interaction"]
    texts = [line["text"] for line in stored["transcript"]]
    written = json.dumps({"transcript": texts, "notes": stored["notes"]})
    for code in ("555", "five five five", "four three two one"):
        assert code not in written, written
    assert "12/28" in written, "what follows a code is kept"
    assert stored["notes"] == "Summary: took a payment, [security code removed] 31m"
    assert texts[3:5] == ["my pin is", "[security code removed]"], texts
