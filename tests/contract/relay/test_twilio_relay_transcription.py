"""The relay takes Twilio's real-time transcription status callbacks (docs/vendors/twilio-voice.md, "Real-time
transcription"), signed as Twilio signs them (the `twilio` library's own `RequestValidator`), and puts each line on
the call's own stream, masked: the caller on the inbound track, the agent on the outbound one, interim then final.
The worker's stream carries the reservation's states only; the call's lines are read by the worker holding the call
and by a supervisor's token, by nobody else; a line Twilio sends again is kept once. A callback whose signature does
not match is refused (403) and kept nowhere; no card number read out reaches the relay's file or a stream, whole or
begun."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from httpx_sse import connect_sse
from twilio.request_validator import RequestValidator

from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_relay.app import create_app
from agent_desktop_relay.credentials import reader_token
from agent_desktop_relay.settings import RelaySettings

AUTH_TOKEN, SECRET = "the-account-auth-token", "relay-secret-for-tests-0123456789abcdef"
PUBLIC = "https://relay.example.com/twilio/events"
ACCOUNT, WORKER, OTHER, BOSS = "AC" + "a" * 32, "WK" + "1" * 32, "WK" + "2" * 32, "WK" + "9" * 32
TASK, CALL, TRANSCRIPTION = "WT" + "3" * 32, "CA" + "4" * 32, "GT" + "5" * 32
CARD_WORDS = "four one one one one one one one one one one one one one one one"


def _sign(params: dict[str, str], token: str = AUTH_TOKEN) -> tuple[bytes, dict[str, str]]:
    signature = RequestValidator(token).compute_signature(PUBLIC, params)
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return urlencode(params).encode(), headers


def _accepted(worker: str) -> dict[str, str]:
    """TaskRouter's reservation.accepted for the call's task, as the Event Callback sends it."""
    return {
        "AccountSid": ACCOUNT,
        "EventType": "reservation.accepted",
        "TaskSid": TASK,
        "WorkerSid": worker,
        "ReservationSid": "WR" + "6" * 32,
        "TaskAttributes": json.dumps({"call_sid": CALL, "to": "+15005550006", "from": "+15125550100"}),
        "TaskChannelUniqueName": "voice",
    }


def _transcription(event: str, sequence: int, **more: str) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": CALL,
        "TranscriptionSid": TRANSCRIPTION,
        "TranscriptionEvent": event,
        "SequenceId": str(sequence),
        "Timestamp": f"2026-03-02T09:30:{sequence:02d}.000000Z",
        **more,
    }


def _content(sequence: int, track: str, text: str, final: bool) -> dict[str, str]:
    return _transcription(
        "transcription-content",
        sequence,
        Track=track,
        LanguageCode="en-US",
        TranscriptionData=json.dumps({"transcript": text, "confidence": 0.93}),
        Final="true" if final else "false",
    )


# What Twilio sends while the caller reads a card number out and the agent answers: the caller's line in three
# interim versions then final (the number whole only in the final), the agent's line interim then final.
SAID = [
    _transcription("transcription-started", 1, Track="both_tracks", PartialResults="true"),
    _content(2, "inbound_track", "my card is", False),
    _content(3, "inbound_track", "my card is four one one one", False),
    _content(4, "outbound_track", "thank you", False),
    _content(5, "inbound_track", f"my card is {CARD_WORDS}", False),
    _content(6, "inbound_track", f"my card is {CARD_WORDS}", True),
    _content(7, "outbound_track", "thank you I have it", True),
    _transcription("transcription-stopped", 8),
]


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path, str]]:
    """The relay behind its public URL (the one Twilio signs), on its own SQLite file, served on loopback."""
    store = tmp_path / "relay.sqlite3"
    settings = RelaySettings(auth_token=AUTH_TOKEN, secret=SECRET, public_url=PUBLIC, store_path=store, heartbeat_s=0.5)
    running = serve_in_thread([create_app(settings)])
    try:
        with httpx.Client(base_url=running.urls[0], timeout=5) as client:
            yield client, store, running.urls[0]
    finally:
        running.stop()


def _stream(url: str, worker: str, count: int) -> list[tuple[str, dict[str, Any]]]:
    """The first `count` events of the worker's stream from its start, as the desk reads them (SSE)."""
    return _read(url, f"/v1/Workers/{worker}/Events", reader_token(SECRET, worker), count)


def _lines(
    url: str, worker: str, count: int, *, supervisor: bool = False, call: str = CALL
) -> list[tuple[str, dict[str, Any]]]:
    """The first `count` lines of the call's stream, as the worker's desk (or its supervisor's) reads them."""
    token = reader_token(SECRET, worker, supervisor=supervisor)
    return _read(url, f"/v1/Workers/{worker}/Calls/{call}/Lines", token, count)


def _read(url: str, path: str, token: str, count: int) -> list[tuple[str, dict[str, Any]]]:
    read: list[tuple[str, dict[str, Any]]] = []
    headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": "0"}
    with (
        httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=3)) as client,
        connect_sse(client, "GET", path, headers=headers) as source,
    ):
        for event in source.iter_sse():
            read.append((event.event, json.loads(event.data)))
            if len(read) == count:
                break
    return read


def _post(client: httpx.Client, *callbacks: dict[str, str]) -> None:
    for params in callbacks:
        body, headers = _sign(params)
        assert client.post("/twilio/events", content=body, headers=headers).status_code == 204


ACTIVITY = {"AccountSid": ACCOUNT, "EventType": "worker.activity.update", "WorkerSid": WORKER}


def test_a_calls_lines_reach_its_own_stream_interim_then_final_and_masked_and_not_the_workers(
    relay: tuple[httpx.Client, Path, str],
) -> None:
    client, store, url = relay
    _post(client, _accepted(WORKER), *SAID, ACTIVITY)

    events = _lines(url, WORKER, 7)
    assert [kind for kind, _ in events] == ["transcription"] * 7
    lines = [(d["Role"], d["Final"], d["Text"], d["SequenceId"]) for _, d in events]
    assert lines == [
        ("customer", "false", "my card is", "2"),
        ("customer", "false", "my card is", "3"),  # the number being read out: not even its first digits
        ("agent", "false", "thank you", "4"),
        ("customer", "false", "my card is", "5"),
        ("customer", "true", "my card is •••• 1111", "6"),
        ("agent", "true", "thank you I have it", "7"),
        ("system", "true", "", "8"),  # the transcription stopped: the agent is told
    ]
    assert events[-1][1]["Status"] == "stopped"
    for _, data in events:
        assert (data["TaskSid"], data["CallSid"], data["TranscriptionSid"]) == (TASK, CALL, TRANSCRIPTION)
        assert "TranscriptionData" not in data, "the words as Twilio heard them are not passed on"
    # The worker's stream: the reservation's state, then the activity posted after every line; no line between.
    assert [kind for kind, _ in _stream(url, WORKER, 2)] == ["reservation.accepted", "worker.activity.update"]

    kept = store.read_bytes() + b"".join(p.read_bytes() for p in store.parent.glob("relay.sqlite3-*"))
    assert b"four one one one" not in kept
    assert b"one one one one one one" not in kept
    health = client.get("/healthz").json()
    assert health["received"] == 2 + len(SAID)


def test_a_line_twilio_sends_again_is_kept_once_on_the_calls_stream(relay: tuple[httpx.Client, Path, str]) -> None:
    """Twilio retries a callback its receiver did not answer in time: the same signed request, taken again within
    the line's de-duplication window, is answered 204 and not kept a second time."""
    client, _, url = relay
    hello, thanks = _content(2, "inbound_track", "hello", True), _content(3, "inbound_track", "thanks", True)
    _post(client, _accepted(WORKER), hello, hello, thanks, hello)
    assert [d["Text"] for _, d in _lines(url, WORKER, 2)] == ["hello", "thanks"]
    health = client.get("/healthz").json()
    assert (health["received"], health["replays"]) == (3, 2)


def test_a_transcription_error_reaches_the_calls_stream_with_twilios_words_masked(
    relay: tuple[httpx.Client, Path, str],
) -> None:
    """`transcription-error`: the agent's desk is told the transcript goes no further, with Twilio's error (masked:
    it may quote what was heard)."""
    client, _, url = relay
    failed = _transcription(
        "transcription-error",
        3,
        TranscriptionError="Provider error after hearing 4111 1111 1111 1111",
        TranscriptionErrorCode="32650",
    )
    _post(client, _accepted(WORKER), _content(2, "inbound_track", "hello", True), failed)
    kind, told = _lines(url, WORKER, 2)[-1]
    assert kind == "transcription"
    assert (told["Role"], told["Status"], told["TaskSid"], told["SequenceId"]) == ("system", "error", TASK, "3")
    assert told["Text"] == "Provider error after hearing •••• 1111 (Twilio error 32650)"


def test_a_calls_lines_are_read_by_the_worker_who_took_it_and_a_supervisor_and_nobody_else(
    relay: tuple[httpx.Client, Path, str],
) -> None:
    """Offered to OTHER first, who rejected it: the line is WORKER's to read; OTHER's and a stranger's desks are
    refused (403); a supervisor's token reads it (it monitors any call it names)."""
    client, _, url = relay
    offered = _accepted(OTHER) | {"EventType": "reservation.created"}
    rejected = _accepted(OTHER) | {"EventType": "reservation.rejected"}
    _post(client, offered, rejected, _accepted(WORKER), _content(2, "inbound_track", "hello", True))
    assert [d["Text"] for _, d in _lines(url, WORKER, 1)] == ["hello"]
    assert [d["Text"] for _, d in _lines(url, BOSS, 1, supervisor=True)] == ["hello"]
    assert [kind for kind, _ in _stream(url, OTHER, 2)] == ["reservation.created", "reservation.rejected"]
    for worker, token in ((OTHER, reader_token(SECRET, OTHER)), (BOSS, reader_token(SECRET, BOSS))):
        refused = client.get(f"/v1/Workers/{worker}/Calls/{CALL}/Lines", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 403
    someone_elses = client.get(
        f"/v1/Workers/{WORKER}/Calls/{CALL}/Lines", headers={"Authorization": f"Bearer {reader_token(SECRET, OTHER)}"}
    )
    assert someone_elses.status_code == 403


def test_a_transcription_callback_not_signed_by_the_accounts_token_is_refused_and_kept_nowhere(
    relay: tuple[httpx.Client, Path, str],
) -> None:
    client, store, url = relay
    body, headers = _sign(_accepted(WORKER))
    assert client.post("/twilio/events", content=body, headers=headers).status_code == 204
    forged = _content(2, "inbound_track", f"my card is {CARD_WORDS}", True)
    body, headers = _sign(forged, token="another-accounts-token")
    assert client.post("/twilio/events", content=body, headers=headers).status_code == 403
    body, headers = _sign(forged)
    changed = body.replace(b"Final=true", b"Final=false")
    assert client.post("/twilio/events", content=changed, headers=headers).status_code == 403
    assert client.get("/healthz").json()["refused_by_reason"]["signature"] == 2
    body, headers = _sign(_content(3, "outbound_track", "one moment", True))
    assert client.post("/twilio/events", content=body, headers=headers).status_code == 204
    _post(client, ACTIVITY)
    assert [data.get("SequenceId") for _, data in _lines(url, WORKER, 1)] == ["3"], "only the signed line"
    assert [kind for kind, _ in _stream(url, WORKER, 2)] == ["reservation.accepted", "worker.activity.update"]


def test_a_card_number_read_out_over_two_lines_reaches_neither_the_file_nor_the_stream_whole(
    relay: tuple[httpx.Client, Path, str],
) -> None:
    client, store, url = relay
    first, second = CARD_WORDS.split(" ")[:7], CARD_WORDS.split(" ")[7:]
    said = [
        _content(2, "inbound_track", "my card is 4111 1111", True),
        _content(3, "inbound_track", "1111 1111 thanks", True),
        _content(4, "inbound_track", "again my card is " + " ".join(first), True),
        _content(5, "inbound_track", " ".join(second) + " thanks", True),
    ]
    _post(client, _accepted(WORKER), *said)
    texts = [data["Text"] for _, data in _lines(url, WORKER, len(said))]
    assert texts == ["my card is 4111 1111", "•••• thanks", "again my card is " + " ".join(first), "•••• thanks"]
    kept = store.read_bytes() + b"".join(p.read_bytes() for p in store.parent.glob("relay.sqlite3-*"))
    assert b"1111 1111 thanks" not in kept
    assert " ".join(second).encode() not in kept


def test_an_sms_status_callback_is_taken_counted_and_kept_nowhere(relay: tuple[httpx.Client, Path, str]) -> None:
    """SMS status callbacks were configured but read by nobody, each counted as "unrouted". The
    outbox reads each message's status from Twilio itself: the relay takes them (204), counts them as what they are
    and keeps nothing of them."""
    client, store, _ = relay
    for status in ("queued", "sent", "delivered"):
        params = {
            "AccountSid": ACCOUNT,
            "MessageSid": "SM" + "7" * 32,
            "MessageStatus": status,
            "SmsStatus": status,
            "To": "+15125550100",
            "From": "+15005550006",
            "ApiVersion": "2010-04-01",
        }
        body, headers = _sign(params)
        assert client.post("/twilio/events", content=body, headers=headers).status_code == 204
    health = client.get("/healthz").json()
    assert (health["received"], health["message_statuses"], health["unrouted"]) == (3, 3, 0)
    kept = store.read_bytes() + b"".join(p.read_bytes() for p in store.parent.glob("relay.sqlite3-*"))
    assert b"SM" + b"7" * 32 not in kept
