"""A card number read out on a call and recognised from its audio is masked as it is heard: the caller
reads it in words, over two lines, espeak-ng speaking them into a call's 8 kHz audio; the mock contact center's
recogniser hears it (pocketsphinx, the call scripts' words) and publishes each version of each line as the scripted
transcript's are. No interim and no final line on the agent's stream, nor any line the event log keeps, shows more
than ten of its digits; the lines themselves arrive, each once final.

On the in-process mock (its real engine), the audio fed as RTP would bring it, in 20 ms chunks."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from agent_desktop_mocks.ccaas.call_transcripts.heard_calls import HeardCalls, scripts_model
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from tests.contract.mocks.test_call_transcription import connected_call, heard
from tests.support.in_process.mocks import InProcessMocks
from tests.support.pci_cards import gives_away
from tests.support.speech import RATE, speak_script

CARD = "4111111111111111"
WAIT_S = 60.0
CHUNK = 320
SAID = [
    "Sure, my card is four one one one one one one one",
    "one one one one one one one one. Thank you.",
]


async def test_a_card_number_read_out_over_two_lines_is_masked_in_every_version_heard(tmp_path: Path) -> None:
    spoken = speak_script(SAID, tmp_path / "card.wav", pause_s=1.5)
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path, seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )
    try:
        published = heard(mocks)
        speaker = mocks.ccaas_app.state.call_speaker
        calls = HeardCalls(speaker, scripts_model(shipped(), tmp_path / "model"), monotonic=mocks.clock.monotonic)
        contact_id = await connected_call(mocks, "payment")
        caller = calls.listen(contact_id, "customer", RATE)
        pcm = spoken.pcm()
        for start in range(0, len(pcm), CHUNK):
            assert caller.feed(pcm[start : start + CHUNK]) or await asyncio.to_thread(
                caller.feed_waiting, pcm[start : start + CHUNK], WAIT_S
            )
        caller.close()
        assert await asyncio.to_thread(caller.wait, WAIT_S), "the recogniser did not end"
        for _ in range(50):  # the events the thread handed to this loop, published in its turns
            await asyncio.sleep(0)
        calls.end(contact_id)
        rows = mocks.ccaas_app.state.db.execute(
            "select data from events where type = 'transcription' order by id"
        ).fetchall()
        kept = [json.loads(row[0])["line"]["text"] for row in rows]
    finally:
        await mocks.aclose()
    lines = [data["line"] for _, data in published]
    assert all(line["contact_id"] == contact_id and line["role"] == "customer" for line in lines)
    finals = [line for line in lines if line["final"]]
    assert len(finals) == len(SAID), [line["text"] for line in finals]
    assert any(not line["final"] for line in lines), "interim words before the final lines"
    assert kept == [line["text"] for line in finals]
    assert "card" in finals[0]["text"]
    assert not gives_away(CARD, *kept), kept
    assert not any(gives_away(CARD, line["text"]) for line in lines), [line["text"] for line in lines]
    assert calls.published == len(lines)
    assert calls.unheard == 0
