"""Twilio's real-time transcription as documented (docs/vendors/twilio-voice.md, "Real-time transcription"), on the
Twilio-shaped mock over the CCaaS engine whose simulated caller and agent speak: the RealtimeTranscription resource
made on a bridged caller's call and stopped (requests and answers checked against the pinned spec), its parameters
refused as Twilio's would be, its signed callbacks (started, content on both tracks, interim then final, stopped);
and the whole twin: the desk bridges a call with transcription on, the mock's callbacks go through the relay onto the
call's own stream, and the call's lines arrive on the desk from there, the card number the caller reads out masked."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI, Request, Response
from starlette.datastructures import ImmutableMultiDict
from twilio.request_validator import RequestValidator

from agent_desktop.domain.models import AgentState, OfferEvent
from agent_desktop.domain.models.transcription import TranscriptionEvent
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.transcripts.call_transcript import CallTranscripts
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from agent_desktop_mocks.twilio.settings import (
    DEMO_ACCOUNT_SID,
    DEMO_API_KEY_SECRET,
    DEMO_API_KEY_SID,
    DEMO_AUTH_TOKEN,
    DEMO_WORKSPACE_SID,
)
from tests.contract.twilio_contract import TwilioContractTransport
from tests.support.narrowing import present
from tests.support.protocol_rigs.event_tap import tapped
from tests.support.protocol_rigs.twilio import TwilioFloor, twilio_floor

WS = f"/v1/Workspaces/{DEMO_WORKSPACE_SID}"
API = f"/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}"
INSTRUCTION = {
    "Instruction": "conference",
    "From": "+15005550006",
    "EndConferenceOnExit": "false",
    "EndConferenceOnCustomerExit": "true",
}


def _settings(tmp_path: Path) -> MockSettings:
    """The people speak twenty times as fast as on the demo: a script's first lines within a few seconds."""
    return MockSettings(data_dir=tmp_path / "twilio", seed=7, customers=30, simulator=False, fresh=True, speed=20)


def _twilio(floor: TwilioFloor, *, checked: bool = True) -> httpx.AsyncClient:
    """Requests as an integrator's code sends them; checked against the pinned spec, or not (a wrong one)."""
    return httpx.AsyncClient(
        base_url=floor.twilio_url,
        auth=(DEMO_API_KEY_SID, DEMO_API_KEY_SECRET),
        transport=TwilioContractTransport() if checked else None,
        timeout=5,
    )


@asynccontextmanager
async def _listener() -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    """An application's status callback URL: what it is sent, each checked with the `twilio` library's validator."""
    heard: list[dict[str, str]] = []
    app = FastAPI()

    @app.post("/transcription")
    async def transcription(request: Request) -> Response:
        params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        url = f"{running.urls[0]}/transcription"
        valid = RequestValidator(DEMO_AUTH_TOKEN).validate(
            url, ImmutableMultiDict(params), request.headers.get("X-Twilio-Signature", "")
        )
        heard.append({**params, "valid": str(valid)})
        return Response(status_code=204)

    running = serve_in_thread([app])
    try:
        yield f"{running.urls[0]}/transcription", heard
    finally:
        running.stop()


async def _bridged_call(floor: TwilioFloor, twilio: httpx.AsyncClient, queue: str = "billing") -> tuple[str, str]:
    """A call offered to agent-001 and bridged with the conference instruction: its task SID and the caller's call."""
    worker = floor.worker_sid("agent-001")
    available = next(a for a in floor.twilio_app.state.twilio.activities if a.available)
    (await twilio.post(f"{WS}/Workers/{worker}", data={"ActivitySid": available.sid})).raise_for_status()
    async with httpx.AsyncClient(
        base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
    ) as sup:
        body = {"queue_id": queue, "channel": "voice", "from_address": "(512) 555-0100"}
        (await sup.post("/v1/contacts", json=body)).raise_for_status()
    (reservation,) = (
        await twilio.get(f"{WS}/Workers/{worker}/Reservations", params={"ReservationStatus": "pending"})
    ).json()["reservations"]
    url = f"{WS}/Workers/{worker}/Reservations/{reservation['sid']}"
    (await twilio.post(url, data=INSTRUCTION)).raise_for_status()
    task = (await twilio.get(f"{WS}/Tasks/{reservation['task_sid']}")).json()
    return task["sid"], json.loads(task["attributes"])["call_sid"]


async def _until(found: Any, within_s: float = 15.0) -> None:
    for _ in range(int(within_s / 0.1)):
        if found():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not within the time given")


async def test_a_transcription_started_on_a_bridged_call_sends_signed_lines_of_both_tracks_then_stops(
    tmp_path: Path,
) -> None:
    async with twilio_floor(_settings(tmp_path)) as floor, _twilio(floor) as twilio, _listener() as (url, heard):
        _, call = await _bridged_call(floor, twilio)
        fields = {"Track": "both_tracks", "PartialResults": "true", "StatusCallbackUrl": url, "Name": "desk"}
        made = await twilio.post(f"{API}/Calls/{call}/Transcriptions.json", data=fields)
        assert made.status_code == 200, made.text  # the spec's answer to a create, not 201
        resource = made.json()
        assert (resource["call_sid"], resource["name"], resource["status"]) == (call, "desk", "in-progress")
        assert resource["sid"].startswith("GT")

        def both_tracks_final() -> bool:
            finals = {p.get("Track") for p in heard if p.get("Final") == "true"}
            return finals == {"inbound_track", "outbound_track"}

        await _until(both_tracks_final)
        stopped = await twilio.post(f"{API}/Calls/{call}/Transcriptions/desk.json", data={"Status": "stopped"})
        assert stopped.json()["status"] == "stopped", "stopped by its Name"
        await _until(lambda: heard[-1]["TranscriptionEvent"] == "transcription-stopped")

    assert all(p["valid"] == "True" for p in heard), "every callback signed as Twilio signs"
    assert heard[0]["TranscriptionEvent"] == "transcription-started"
    assert [int(p["SequenceId"]) for p in heard] == list(range(1, len(heard) + 1))
    assert {p["CallSid"] for p in heard} == {call}
    assert {p["TranscriptionSid"] for p in heard} == {resource["sid"]}
    content = [p for p in heard if p["TranscriptionEvent"] == "transcription-content"]
    assert {p["Track"] for p in content} == {"inbound_track", "outbound_track"}
    versions = [_lines(content, track) for track in ("inbound_track", "outbound_track")]
    heard_over_time = [line for lines in versions for line in lines if len(line) > 1]
    assert heard_over_time, "a line of more than a few words comes as interim versions first (PartialResults=true)"
    for line in heard_over_time:
        assert [final for final, _ in line] == [False] * (len(line) - 1) + [True]
        words = [text for _, text in line]
        assert all(words[-1].startswith(w) for w in words[:-1]), "each interim the words so far of its final"


def _lines(content: list[dict[str, str]], track: str) -> list[list[tuple[bool, str]]]:
    """A track's content callbacks cut into lines, each ending with its final version."""
    lines: list[list[tuple[bool, str]]] = [[]]
    for p in content:
        if p["Track"] == track:
            final = p["Final"] == "true"
            lines[-1].append((final, json.loads(p["TranscriptionData"])["transcript"]))
            if final:
                lines.append([])
    return [line for line in lines if line and line[-1][0]]


async def test_the_resource_refuses_what_twilio_refuses(tmp_path: Path) -> None:
    async with (
        twilio_floor(_settings(tmp_path)) as floor,
        _twilio(floor) as twilio,
        _twilio(floor, checked=False) as raw,
        _listener() as (url, heard),
    ):
        task, call = await _bridged_call(floor, twilio)
        create = f"{API}/Calls/{call}/Transcriptions.json"
        for wrong, name in (
            ({"Track": "caller_track"}, "Track"),
            ({"PartialResults": "yes"}, "PartialResults"),
            ({"StatusCallbackMethod": "PUT"}, "StatusCallbackMethod"),
            ({"LanguageCode": "en_US"}, "LanguageCode"),
            ({"TranscriptionEngine": "whisper"}, "TranscriptionEngine"),
        ):
            refused = await raw.post(create, data={"StatusCallbackUrl": url, **wrong})
            assert (refused.status_code, refused.json()["code"]) == (400, 20001), wrong
            assert refused.json()["message"].startswith(f"Invalid parameter {name}: "), refused.json()
        gone = await raw.post(f"{API}/Calls/{'CA' + '9' * 32}/Transcriptions.json", data={})
        assert (gone.status_code, gone.json()["code"]) == (404, 20404)
        made = (await twilio.post(create, data={"StatusCallbackUrl": url, "PartialResults": "false"})).json()
        stop = f"{API}/Calls/{call}/Transcriptions/{made['sid']}.json"
        no_status = await raw.post(stop, data={})
        assert (no_status.status_code, no_status.json()["code"]) == (400, 20001)
        resumed = await raw.post(stop, data={"Status": "in-progress"})
        assert (resumed.status_code, resumed.json()["message"]) == (
            400,
            "Invalid parameter Status: 'in-progress' is not stopped",
        )
        assert (await raw.post(stop.replace(made["sid"], "nobody"), data={"Status": "stopped"})).status_code == 404
        # Twilio's 17585: an invalid callback URL is not delivered to, and the transcription runs all the same.
        silent = await raw.post(create, data={"StatusCallbackUrl": "not-a-url"})
        assert (silent.status_code, silent.json()["status"]) == (200, "in-progress")

        await _until(lambda: any(p.get("Final") == "true" for p in heard))
        assert all(p.get("Final") != "false" for p in heard), "no interim versions without PartialResults"
        desk = floor.backend("agent-001", voice_caller_id="+15005550006")
        try:
            await desk.end_contact(task)  # the conference ended: the call is over, and so is its transcription
        finally:
            await desk.aclose()
        await _until(lambda: heard[-1]["TranscriptionEvent"] == "transcription-stopped")
        late = await raw.post(create, data={"StatusCallbackUrl": url})
        assert (late.status_code, late.json()["code"]) == (400, 21220), "a call no longer in progress"


async def test_the_desk_bridges_a_call_and_its_lines_arrive_through_the_relay_masked(tmp_path: Path) -> None:
    """The twin: the desk with `live_transcription` accepts a payment call (its caller reads a card number out), the
    mock's transcription callbacks go to the relay, which keeps them on the call's own stream (the worker's carries the
    reservations' states only), and the desk reads the call's lines from there, which make its transcript: the
    caller's and the agent's, interim then final, the card number masked. A desk started again mid-call reads them
    from the call's stream as well."""
    async with twilio_floor(_settings(tmp_path)) as floor:
        desk = floor.backend("agent-001", voice_caller_id="+15005550006", live_transcription=True)
        try:
            async with tapped(desk.events()) as events:
                await desk.set_state(AgentState.AVAILABLE)
                async with httpx.AsyncClient(
                    base_url=floor.ccaas_url, headers={"Authorization": "Bearer demo-supervisor-token"}
                ) as sup:
                    body = {
                        "queue_id": "billing",
                        "channel": "voice",
                        "from_address": "(512) 555-0100",
                        "attached": {"intent": "payment"},
                    }
                    (await sup.post("/v1/contacts", json=body)).raise_for_status()
                offer = await events.next(lambda e: isinstance(e, OfferEvent), _sleep, 10, "offer")
                contact = await desk.accept_offer(offer.offer.id)

                def card_read_out(event: Any) -> bool:
                    return isinstance(event, TranscriptionEvent) and event.line.final and "1111" in event.line.text

                await events.next(card_read_out, _sleep, 30, "the caller's line with the card number")
                lines = [e for e in events.seen if isinstance(e, TranscriptionEvent)]
                restarted = floor.backend("agent-001", voice_caller_id="+15005550006", live_transcription=True)
                try:  # the agent's desk started again mid-call: it reads the call's lines from its stream too
                    async with tapped(restarted.events()) as again:
                        await again.next(card_read_out, _sleep, 30, "the line again, on the restarted desk")
                finally:
                    await restarted.aclose()
            kept = floor.kept(floor.worker_sid("agent-001"))
            assert desk._transcription is not None
            call = present(re.search(r"/Calls/(CA\w+)/", desk._transcription.running[contact.id])).group(1)
            on_call = floor.kept(call)
        finally:
            await desk.aclose()
    assert {e.contact_id for e in lines} == {contact.id}, "the call's lines under its task, the desk's contact"
    assert any(not e.line.final for e in lines), "interim versions arrive before a line is final"
    transcripts = CallTranscripts()
    for e in lines:
        transcripts.apply(e.line)
    said = [(line.role, line.text, line.final) for line in transcripts[contact.id].lines]
    assert said[:4] == [
        (ParticipantRole.AGENT, "Thank you for calling, my name is Alex. How can I help you today?", True),
        (ParticipantRole.CUSTOMER, "Hello, I would like to pay my outstanding balance by card please.", True),
        (ParticipantRole.AGENT, "Of course. Could you read me the card number?", True),
        (ParticipantRole.CUSTOMER, "Sure, my card is •••• 1111.", True),
    ]
    assert all("four one one one" not in e.line.text for e in lines), "not a version with the number begun"
    assert not [k for k in kept if k.event_type == "transcription"], "the worker's stream carries states only"
    relayed = [json.loads(k.data) for k in on_call if k.event_type == "transcription"]
    assert relayed, "the lines went through the relay, on the call's own stream"
    assert all("four one one one" not in r["Text"] for r in relayed)


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
