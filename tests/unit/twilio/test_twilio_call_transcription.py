"""The Twilio desk reads the relay's transcription events (agent_desktop_relay/transcription.py) as lines of its
call's transcript: the versions of a line on one track are one line until a final ends it, the caller's and the
agent's lines interleave in the order they began, a late interim or a replay changes nothing, and the desk masks
again whatever the relay passed on. The transcription is started on the caller's call with both tracks and interim
results, its callbacks to the relay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent

from agent_desktop.adapters.twilio.contact_center import TwilioConfig, TwilioContactCenter, _relayed
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.models.transcription import TranscriptionEvent
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.transcripts.call_transcript import CallTranscripts

TASK, CALL, GT = "WT" + "3" * 32, "CA" + "4" * 32, "GT" + "5" * 32


def _relayed_line(sequence: int, role: str, text: str, final: bool, *, second: int | None = None) -> dict[str, str]:
    """A line as the relay keeps it and streams it (with the task it routed the call by)."""
    return {
        "EventType": "transcription",
        "CallSid": CALL,
        "TaskSid": TASK,
        "TranscriptionSid": GT,
        "SequenceId": str(sequence),
        "Role": role,
        "Final": "true" if final else "false",
        "Text": text,
        "Timestamp": f"2026-03-02T09:30:{second if second is not None else sequence:02d}.000000Z",
        "RelayReceivedMs": "1772443800000",
    }


def _config(**options: Any) -> TwilioConfig:
    return TwilioConfig(
        account_sid="AC" + "a" * 32,
        api_key_sid="SK" + "b" * 32,
        api_key_secret="secret",
        workspace_sid="WS" + "c" * 32,
        worker_sid="WK" + "d" * 32,
        relay_url="https://relay.example.com/",
        relay_token="t" * 32,
        **options,
    )


async def _read(center: TwilioContactCenter, relay_id: int, params: dict[str, str]) -> list[TranscriptionEvent]:
    """One relayed event as the desk reads it off the stream: parsed as an SSE event, then translated."""
    relayed = _relayed(ServerSentEvent(event="transcription", data=json.dumps(params), id=str(relay_id)))
    assert not isinstance(relayed, type(None))
    read = [e async for e in center._translate(relayed.id, relayed.params)]  # type: ignore[union-attr]
    assert all(isinstance(e, TranscriptionEvent) for e in read)
    return read  # type: ignore[return-value]


async def test_the_relays_lines_become_the_calls_transcript_interim_replaced_by_final() -> None:
    center = TwilioContactCenter(_config())
    center._agent_name = "Alex Morgan"
    transcripts = CallTranscripts()
    said = [
        _relayed_line(2, "customer", "I was", False),
        _relayed_line(3, "customer", "I was charged twice", False),
        _relayed_line(4, "agent", "I am", False),  # the agent begins before the caller's line is final
        _relayed_line(5, "customer", "I was charged twice this month", True),
        _relayed_line(6, "agent", "I am sorry to hear that", True),
        _relayed_line(7, "customer", "my card is 4111 1111 1111 1111", True),
        _relayed_line(3, "customer", "I was charged", False, second=9),  # late: its line is final already
        _relayed_line(5, "customer", "I was charged twice this month", True),  # a replay
    ]
    try:
        events = [e for relay_id, p in enumerate(said, start=100) for e in await _read(center, relay_id, p)]
    finally:
        await center.aclose()
    assert len(events) == 6, "the late interim and the replay are dropped"
    for event in events:
        transcripts.apply(event.line)
    (transcript,) = transcripts.values()
    assert transcript.contact_id == TASK
    lines = [(line.role, line.display_name, line.text, line.final) for line in transcript.lines]
    assert lines == [
        (ParticipantRole.CUSTOMER, "Caller", "I was charged twice this month", True),
        (ParticipantRole.AGENT, "Alex Morgan", "I am sorry to hear that", True),
        (ParticipantRole.CUSTOMER, "Caller", "my card is •••• 1111", True),  # masked on the desk too
    ]
    first = transcript.lines[0]
    assert first.said_at.second == 2, "a line is said from its first version"
    assert len({e.event_id for e in events}) == len(events), "each relayed event under an id of its own"


async def test_an_interim_shows_the_words_so_far_until_its_final_comes() -> None:
    center = TwilioContactCenter(_config())
    transcripts = CallTranscripts()
    try:
        for relay_id, params in enumerate(
            [_relayed_line(2, "customer", "hello I", False), _relayed_line(3, "customer", "hello I need", False)]
        ):
            for event in await _read(center, relay_id + 1, params):
                transcripts.apply(event.line)
    finally:
        await center.aclose()
    (line,) = transcripts[TASK].lines
    assert (line.text, line.final) == ("hello I need", False)


async def test_the_transcription_is_started_on_both_tracks_with_interim_results_and_the_relay_told() -> None:
    center = TwilioContactCenter(_config(live_transcription=True, transcription_language="en-US"))
    public = TwilioContactCenter(
        _config(live_transcription=True, transcription_callback_url="https://hooks.example.com/twilio/events")
    )
    try:
        assert center._transcription is not None
        assert public._transcription is not None
        assert center._transcription.fields(TASK) == {
            "Track": "both_tracks",
            "PartialResults": "true",
            "StatusCallbackUrl": "https://relay.example.com/twilio/events",
            "StatusCallbackMethod": "POST",
            "Name": TASK,
            "LanguageCode": "en-US",
        }
        assert public._transcription.callback_url == "https://hooks.example.com/twilio/events"
    finally:
        await center.aclose()
        await public.aclose()


async def test_transcription_is_off_unless_asked_for() -> None:
    """Twilio documents Real-Time Transcriptions as not PCI compliant: a desk starts none unless configured to."""
    center = TwilioContactCenter(_config())
    try:
        assert center._transcription is None
    finally:
        await center.aclose()


async def test_a_calls_transcription_starts_before_the_accept_and_stops_when_the_accept_is_refused() -> None:
    """Started before the bridge, so the greeting said as the caller is bridged is heard; the offer taken by then
    (TaskRouter answers 409), the transcription is stopped again and the refusal reaches the agent."""
    offer, seen = "WR" + "6" * 32, []

    def twilio(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path.rsplit('/', 2)[-2]}/{request.url.path.rsplit('/', 1)[-1]}")
        if request.url.path.endswith("/Transcriptions.json"):
            return httpx.Response(200, json={"sid": GT, "status": "in-progress"})
        if request.url.path.endswith(f"/Transcriptions/{GT}.json"):
            return httpx.Response(200, json={"sid": GT, "status": "stopped"})
        if request.method == "POST":  # the accept
            return httpx.Response(409, json={"code": 20409, "message": "Reservation already accepted", "status": 409})
        return httpx.Response(200, json={"sid": offer, "reservation_status": "canceled"})

    center = TwilioContactCenter(
        _config(live_transcription=True, voice_caller_id="+15005550006"), transport=httpx.MockTransport(twilio)
    )
    center._offered[offer] = {
        "sid": TASK,
        "task_channel_unique_name": "voice",
        "attributes": json.dumps({"call_sid": CALL}),
    }
    try:
        with pytest.raises(BackendError) as refused:
            await center.accept_offer(offer)
    finally:
        await center.aclose()
    assert refused.value.status == 409
    assert seen == [
        f"POST {CALL}/Transcriptions.json",
        f"POST Reservations/{offer}",
        f"GET Reservations/{offer}",
        f"POST Transcriptions/{GT}.json",
    ]


async def test_a_callback_twilio_retries_is_not_drawn_again() -> None:
    """Twilio retries a callback its receiver did not take; the retry of an interim, come after a newer version (both
    stamped within the same second), must not put the older words back. Dropped by its SequenceId."""
    center = TwilioContactCenter(_config())
    transcripts = CallTranscripts()
    said = [
        _relayed_line(2, "customer", "I was", False, second=3),
        _relayed_line(3, "customer", "I was charged twice", False, second=3),
        _relayed_line(2, "customer", "I was", False, second=3),  # Twilio's retry of the first
        _relayed_line(3, "customer", "I was charged twice", False, second=3),  # and of the second
    ]
    try:
        read = [await _read(center, relay_id, p) for relay_id, p in enumerate(said, start=10)]
    finally:
        await center.aclose()
    assert [len(events) for events in read] == [1, 1, 0, 0], "each version once"
    for events in read:
        for event in events:
            transcripts.apply(event.line)
    (line,) = transcripts[TASK].lines
    assert line.text == "I was charged twice"


def _status(sequence: int, status: str, text: str = "") -> dict[str, str]:
    """The relay's line for `transcription-stopped` or `transcription-error` (agent_desktop_relay/transcription.py)."""
    return _relayed_line(sequence, "system", text, True) | {"Status": status}


async def test_the_agent_is_told_when_twilio_stops_or_fails_the_transcription_not_when_the_desk_stopped_it() -> None:
    center = TwilioContactCenter(_config(live_transcription=True))
    assert center._transcription is not None
    transcripts = CallTranscripts()
    try:
        center._transcription.running[TASK] = f"https://api.twilio.com/…/Transcriptions/{GT}.json"  # started
        read = [
            *await _read(center, 1, _relayed_line(2, "customer", "hello", True)),
            *await _read(center, 2, _status(3, "error", "Provider unavailable (Twilio error 32650)")),
            *await _read(center, 3, _status(4, "stopped")),
            *await _read(center, 4, _status(4, "stopped")),  # a retry: told once
        ]
        center._transcription.running.pop(TASK)  # as `stop` does first: the desk stopped it (a transfer), no news
        read += await _read(center, 5, _status(5, "stopped") | {"TranscriptionSid": "GT" + "6" * 32})
    finally:
        await center.aclose()
    for event in read:
        transcripts.apply(event.line)
    lines = [(line.role, line.display_name, line.text) for line in transcripts[TASK].lines]
    assert lines == [
        (ParticipantRole.CUSTOMER, "Caller", "hello"),
        (
            ParticipantRole.SYSTEM,
            "Twilio",
            "Transcription failed on Twilio's side: what is said from here may not be shown. "
            "(Provider unavailable (Twilio error 32650))",
        ),
        (ParticipantRole.SYSTEM, "Twilio", "Transcription stopped by Twilio: nothing more said on this call is shown."),
    ]


async def test_the_agents_track_is_not_drawn_while_the_caller_hears_hold_music() -> None:
    """The outbound track of the caller's call is what Twilio sends them: on hold, the music, not the agent."""
    center = TwilioContactCenter(_config())
    transcripts = CallTranscripts()
    try:
        center._call_hold.held_since[TASK] = datetime.now(UTC)
        read = [
            *await _read(center, 1, _relayed_line(2, "agent", "your call is important to us", True)),
            *await _read(center, 2, _relayed_line(3, "customer", "still waiting", True)),
        ]
        center._call_hold.held_since.pop(TASK)
        read += await _read(center, 3, _relayed_line(4, "agent", "thanks for holding", True))
    finally:
        await center.aclose()
    for event in read:
        transcripts.apply(event.line)
    assert [(line.role, line.text) for line in transcripts[TASK].lines] == [
        (ParticipantRole.CUSTOMER, "still waiting"),
        (ParticipantRole.AGENT, "thanks for holding"),
    ]
