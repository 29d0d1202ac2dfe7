"""A call's live transcript on the desk: the transcription events parsed as the stream parses them, each
line held once in the order said, an interim line replaced by its later versions and its final one (never undone
by a late interim), card numbers read out never held (whole or begun), and the customer's mood from their final
lines; the supervisor's monitored call keeps the same."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter

from agent_desktop.domain.models import Channel, ContactCenterEvent, MonitorMode
from agent_desktop.domain.models.transcription import TranscriptionEvent, TranscriptionLine
from agent_desktop.domain.monitoring.participants import Monitoring, MonitoringStreamEvent
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.supervisor_desk.monitoring.monitored import MonitoredContacts
from agent_desktop.transcripts.call_transcript import CallTranscript, CallTranscripts
from tests.support.desk_events import AGENT_ID, T0

CID = "c-000042"
SPOKEN_CARD = "four one one one one one one one one one one one one one one one"  # 4111 1111 1111 1111, Luhn-valid


def wire(index: int, text: str, *, final: bool, role: str = "customer", at: int = 0) -> dict[str, Any]:
    return {
        "type": "transcription",
        "contact_id": CID,
        "line": {
            "id": f"{CID}:{index}",
            "contact_id": CID,
            "index": index,
            "role": role,
            "display_name": "Caller" if role == "customer" else "Alex Morgan",
            "text": text,
            "final": final,
            "started_at": T0.isoformat(),
            "at": (T0 + timedelta(seconds=at)).isoformat(),
        },
    }


def line(index: int, text: str, *, final: bool, role: str = "customer", at: int = 0) -> TranscriptionLine:
    return TranscriptionLine.model_validate(wire(index, text, final=final, role=role, at=at)["line"])


def held_text(transcript: CallTranscript) -> str:
    return "\n".join(held.text for held in transcript.lines)


def test_the_agents_stream_and_the_monitoring_stream_parse_a_transcription_line() -> None:
    data = wire(3, "I was charged twice", final=True)
    for adapter in (TypeAdapter(ContactCenterEvent), TypeAdapter(MonitoringStreamEvent)):
        event = adapter.validate_python(data)
        assert isinstance(event, TranscriptionEvent)
        assert (event.line.index, event.line.role, event.line.final) == (3, ParticipantRole.CUSTOMER, True)
        assert event.line.text == "I was charged twice"


def test_an_interim_line_is_replaced_by_its_later_versions_and_its_final_never_by_a_late_interim() -> None:
    transcript = CallTranscript(CID)
    assert transcript.apply(line(0, "I was", final=False, at=1))
    assert transcript.apply(line(0, "I was charged twice", final=False, at=2))
    assert not transcript.apply(line(0, "I was", final=False, at=1)), "an older interim does not undo a newer one"
    assert transcript.apply(line(0, "I was charged twice this month.", final=True, at=3))
    assert not transcript.apply(line(0, "I was charged twice this", final=False, at=4)), "the final line stays"
    assert [(held.text, held.final) for held in transcript.lines] == [("I was charged twice this month.", True)]


def test_lines_are_held_in_the_order_said_whatever_order_they_arrive_in() -> None:
    transcript = CallTranscript(CID)
    transcript.apply(line(1, "Hi, I was charged twice.", final=True))
    transcript.apply(line(0, "Thank you for calling, how can I help?", final=True, role="agent"))
    transcript.apply(line(1, "Hi, I was charged twice.", final=True))  # a replay
    assert [held.index for held in transcript.lines] == [0, 1]
    assert [held.role for held in transcript.lines] == [ParticipantRole.AGENT, ParticipantRole.CUSTOMER]


def test_a_card_number_read_out_is_never_held_whole_nor_begun() -> None:
    transcript = CallTranscript(CID)
    words = f"Sure, my card is {SPOKEN_CARD}.".split()
    for heard in range(3, len(words), 3):  # interim versions every three words, as the mock sends them
        transcript.apply(line(0, " ".join(words[:heard]), final=False, at=heard))
        assert "one one" not in held_text(transcript), held_text(transcript)
    transcript.apply(line(0, " ".join(words), final=True, at=99))
    assert "one one" not in held_text(transcript)
    assert "1111" in held_text(transcript)
    assert "•" in held_text(transcript)


def test_a_card_number_read_out_over_two_lines_is_masked_in_both() -> None:
    transcript = CallTranscript(CID)
    transcript.apply(line(1, "my card is four one one one one one one one", final=True))
    transcript.apply(line(2, "Okay, go on.", final=True, role="agent"))
    transcript.apply(line(3, "one one one one one one one one", final=True))
    held = held_text(transcript)
    assert "one one one" not in held, held


def test_the_customers_final_lines_give_the_mood_and_the_agents_do_not() -> None:
    calls = CallTranscripts()
    calls.apply(line(0, "Thank you for calling, I am happy to help, wonderful!", final=True, role="agent"))
    assert calls[CID].customer_mood() is None, "the agent's words are not the customer's mood"
    changed, mood_changed = calls.apply(line(1, "Hi, I need to check my bill.", final=True))
    assert changed
    assert mood_changed
    calls.apply(line(2, "This is ridiculous, I am really angry and tired of waiting", final=False, at=1))
    mood = calls[CID].customer_mood()
    assert mood is not None
    assert mood.label == "neutral", "an interim line is not scored"
    _, mood_changed = calls.apply(line(2, "This is ridiculous, I am really angry and tired of waiting.", final=True))
    assert mood_changed
    mood = calls[CID].customer_mood()
    assert mood is not None
    assert mood.words == "negative ↓ worse"


def test_a_supervisor_monitoring_a_call_holds_its_transcript() -> None:
    monitored = MonitoredContacts()
    monitored.joined(
        Monitoring(
            contact_id=CID,
            channel=Channel.VOICE,
            queue_id="billing",
            agent_id=AGENT_ID,
            supervisor_id="sup",
            supervisor_name="Riley Chen",
            mode=MonitorMode.MONITOR,
            since=T0,
            mode_since=T0,
        )
    )
    monitored.take_changes()
    event = TypeAdapter(MonitoringStreamEvent).validate_python(wire(0, f"my card is {SPOKEN_CARD}", final=True))
    assert monitored.apply(event)
    assert CID in monitored.take_changes().contacts
    call = monitored.contacts[CID].call
    assert call is not None
    assert "1111" in call.lines[0].text
    assert "one one" not in call.lines[0].text


def test_a_security_code_read_out_is_never_held_in_words_before_more_digits_or_after_its_named_line() -> None:
    """Once, "the security code is five five five" and "cvv 555 12/28" were drawn whole, as was a code read out
    on the line after the one that named it; what the call keeps for the CRM is what the screen holds."""
    transcript = CallTranscript(CID)
    said = [
        "The security code is five five five.",
        "Or cvv 555 12/28, I think.",
        "The code on the back is",
        "five fifty-five, and the expiry is 12 28.",
    ]
    for index, text in enumerate(said):
        transcript.apply(line(index, text[: len(text) // 2], final=False, at=2 * index))
        transcript.apply(line(index, text, final=True, at=2 * index + 1))
    held = held_text(transcript)
    crm = "\n".join(kept.text for kept in transcript.for_the_crm())
    for text in (held, crm):
        assert "five five five" not in text, text
        assert "555" not in text, text
        assert "five fifty-five" not in text, text
        assert "12/28" in text, "the expiry after the code is kept"
        assert "the expiry is 12 28." in text
    assert held.count("[security code removed]") == 3, held
