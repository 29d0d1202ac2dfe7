"""The mock contact center hears both sides of a real call: the call's RTP passes through its media relay,
each side's audio is recognised as it arrives, and the call's live transcript on the agent's event stream (the one
the desk follows) is what was heard, interim then final lines per side, masked, no longer the script read out.

A call with the payment intent (its caller reads a card number out) is offered to a registered baresip agent and
answered through the desk's adapter (`BaresipSoftphone`); the agent's microphone is espeak-ng saying lines of another
script (so the script read out could not match them). Heavy (softphones, speech synthesis, two recognisers).
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.speech.language_model import DIGIT_WORDS
from tests.contract.mocks.test_ccaas_api import client, events
from tests.e2e.voice.test_mock_voice_leg import (
    answer_the_offered_call,
    demo_clients,
    mock_contact_center,
    rings_here,
)
from tests.support.baresip import running_baresip
from tests.support.pci_cards import gives_away
from tests.support.speech import content_words, speak_script

pytestmark = pytest.mark.heavy  # softphones, speech synthesis and recognition: run alone (exclusive)

CARD = "4111111111111111"  # what the payment script's caller reads out, in words
PAYMENT = shipped().for_call("payment", "billing")
BILLING = shipped().for_call("billing_inquiry", "billing")
AGENT_SAYS = [str(said) for role, said in BILLING.lines[2:5] if role == "agent"]  # not the payment script's words
CALLER_SAYS = [str(said) for role, said in PAYMENT.lines[:4] if role == "customer"]  # before the expiry date
SPOKEN_S = 27.0  # answered to the end of the caller's card number: the greeting's turn, two lines, a reply between
SETTLE_S = 3.0  # after it, for the last utterance's end to be heard and its final line published
READ_S = 60.0  # the bound on a quiet event stream
ENDED = ("after_contact_work", "completed", "abandoned")
MIN_OVERLAP = 3  # content words (digits aside) of what a side said that its final lines must give back
SIDES = (("customer", CALLER_SAYS), ("agent", AGENT_SAYS))
CATCH_UP_S = 30.0  # the longest the call stays up past the script for the recogniser to catch up


def with_silence(spoken: Path, seconds: float) -> Path:
    """The agent's microphone: the lines, then silence (baresip's aufile ends the call when its WAV ends)."""
    padded = spoken.with_suffix(".padded.wav")
    pad = ["sox", str(spoken), str(padded), "pad", "0", str(seconds)]
    subprocess.run(pad, check=True, timeout=60)
    return padded


def transcript(url: str, contact_id: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contact's transcription lines on the agent's event stream, added to `lines` as they come, until the contact
    ends."""
    with client(url) as agent, events(agent, "/v1/agents/agent-001/events", read_s=READ_S) as sse:
        for event in sse:
            data = event.json() if event.data else {}
            if event.event == "transcription" and data["contact_id"] == contact_id:
                lines.append(data["line"])
            elif event.event == "contact" and data["contact"]["id"] == contact_id and data["contact"]["state"] in ENDED:
                return lines
    return lines


def heard_words(lines: list[dict[str, Any]], role: str) -> set[str]:
    finals = " ".join(line["text"] for line in list(lines) if line["role"] == role and line["final"])
    return content_words(finals) - set(DIGIT_WORDS)


def overlap(lines: list[dict[str, Any]], role: str, said: list[str]) -> set[str]:
    """The content words of what `role` said that its final lines give back."""
    return heard_words(lines, role) & (content_words(" ".join(said)) - set(DIGIT_WORDS))


def both_sides_heard(lines: list[dict[str, Any]]) -> bool:
    return all(len(overlap(lines, role, said)) >= MIN_OVERLAP for role, said in SIDES)


async def test_both_sides_of_a_real_call_are_heard_as_its_transcript_and_the_card_is_masked(tmp_path: Path) -> None:
    seen: list[CallEvent] = []
    agent_mic = with_silence(speak_script(AGENT_SAYS, tmp_path / "agent-says.wav", pause_s=2.0).wav, 120)
    with (
        mock_contact_center(tmp_path / "mocks", transcripts=True) as (url, voice),
        running_baresip(tmp_path / "agent", "agent", agent_mic) as agent_phone,
    ):
        async with demo_clients(url) as (agent, supervisor):
            phone = BaresipSoftphone(port=agent_phone.ctrl_port)
            await phone.connect()
            calls = phone.events()
            reading: asyncio.Task[list[dict[str, Any]]] | None = None
            try:
                await rings_here(agent, agent_phone.uri)
                body = {
                    "queue_id": "billing",
                    "channel": "voice",
                    "from_address": "(212) 555-0100",
                    "attached": {"intent": "payment"},
                }
                contact = (await supervisor.post("/v1/contacts", json=body)).json()
                lines: list[dict[str, Any]] = []
                reading = asyncio.create_task(asyncio.to_thread(transcript, url, contact["id"], lines))
                await answer_the_offered_call(agent, phone, calls, seen)
                answered = time.monotonic()
                relay = voice.relay(contact["id"])
                await asyncio.sleep(SPOKEN_S + SETTLE_S - (time.monotonic() - answered))
                # The recogniser runs behind the audio on a busy machine (two runs of `make test` heard two words of
                # a side when the call was ended here): the call stays up until both sides were heard, bounded.
                while not both_sides_heard(lines) and time.monotonic() - answered < SPOKEN_S + SETTLE_S + CATCH_UP_S:
                    await asyncio.sleep(0.5)
                relayed = dict(relay.relayed) if relay is not None else {}
                # the agent ends it, unless the caller hung up first at its script's end (kept up to catch up)
                ending = await agent.post(f"/v1/contacts/{contact['id']}/end")
                assert ending.is_success or ending.json().get("state") in ENDED, ending.text
                async with asyncio.timeout(READ_S):
                    lines = await reading
            finally:
                await phone.aclose()
                if reading is not None and not reading.done():
                    reading.cancel()

    texts = [line["text"] for line in lines]
    finals = [line for line in lines if line["final"]]
    print(f"\nrelayed packets: {relayed}\nheard: {[(line['role'], line['text']) for line in finals]}")
    assert relayed.get("customer", 0) > 0, "the caller's audio did not pass through the mock's relay"
    assert relayed.get("agent", 0) > 0, "the agent's audio did not pass through the mock's relay"
    read_out = {" ".join(str(said).format(agent="Alex").split()) for _, said in PAYMENT.lines}
    assert not [text for text in texts if text in read_out], "the script was read out as the transcript"
    for role, said in SIDES:
        heard = overlap(lines, role, said)
        assert len(heard) >= MIN_OVERLAP, f"the {role}'s side heard {sorted(heard_words(lines, role))}, not {said}"
        by_line: dict[str, list[bool]] = {}
        for line in lines:
            if line["role"] == role:
                by_line.setdefault(line["id"], []).append(line["final"])
        assert all(versions[-1] and True not in versions[:-1] for versions in by_line.values()), by_line
        assert any(len(versions) > 1 for versions in by_line.values()), f"no interim words on the {role}'s side"
    assert not gives_away(CARD, *texts), texts
    assert not any(gives_away(CARD, text) for text in texts), texts
