"""A call the agent can hear, on real processes: two baresip softphones on loopback, the caller's microphone an
espeak-ng sentence, the agent's softphone driven only through the desk's adapter (`BaresipSoftphone`).

Media is proven by its content: pocketsphinx reads the caller's words back from what the agent's softphone recorded;
the hold by the level arriving at the agent's softphone (silence while held, the voice back after resume); mute by
the level of the agent's microphone (a tone) arriving at the caller; DTMF by the digits the caller's softphone
reports; the end by who hung up. Costs 30-65 s of wall time and 5-8 s of CPU (docs/testing.md): run alone
(`heavy`, so `exclusive`).
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import time
from pathlib import Path

import pytest

from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy
from tests.support.baresip import CtrlLink, next_call_event, running_baresip
from tests.support.speech import RATE, LoopbackRtpTap, content_words, recognise, rms, speak, wav_samples

pytestmark = pytest.mark.heavy  # two softphones, speech synthesis and recognition: run alone (exclusive)

SCRIPT = "I was charged twice on my last order and I would like to get my money back"
REPEATS = 6  # the caller says it over and over: heard whole before the hold, still talking after it
GAP_S = 0.5
MIN_OVERLAP = 3  # of the script's 7 content words, recognised from the agent's recording (4 or 5 came back here)
QUIET = 200.0  # RMS (of 32767) under which no voice is heard; the caller's speech measures ~3000, a held line 0
HEARD = 1000.0  # RMS over which the caller is heard
HOLD_S = 4.0  # the hold window: the first second is left to the re-INVITE, the rest measured
SETTLE_S = 1.0
WAIT_S = 30.0  # the bound on every wait for the other side
DIGITS = "4#7*"
MUTE_S = 2.5  # each of the muted and unmuted windows: the first second left to the change, the rest measured


async def heard_for(tap: LoopbackRtpTap, seconds: float, since: float) -> float:
    """Wait (bounded) until `seconds` of audio arrived after `since`; the first arrival's time."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        arrived = [when for when, payload in tap.packets if when >= since]
        if len(arrived) * 160 >= seconds * RATE:
            return arrived[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"under {seconds} s of the caller's audio reached the agent's softphone in {WAIT_S} s")


def tone(path: Path, seconds: float) -> Path:
    """The agent's microphone: a steady 440 Hz tone at a third of full scale, so what the caller hears is measurable."""
    synth = ["synth", str(seconds), "sine", "440", "vol", "0.33"]
    subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path), *synth], check=True, timeout=60)
    return path


async def test_the_callers_words_reach_the_agent_hold_silences_them_and_the_caller_ends_the_call(
    tmp_path: Path,
) -> None:
    started, children_before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = time.process_time()
    source = speak(SCRIPT, tmp_path / "caller.wav", repeats=REPEATS, gap_s=GAP_S, pad_s=60.0)
    microphone = tone(tmp_path / "agent-microphone.wav", 120.0)
    seen: list[CallEvent] = []
    with (
        running_baresip(tmp_path / "caller", "caller", source) as caller_phone,
        running_baresip(tmp_path / "agent", "agent", microphone) as agent_phone,
        LoopbackRtpTap(agent_phone.rtp_port) as tap,
        LoopbackRtpTap(caller_phone.rtp_port) as to_caller,
    ):
        phone = BaresipSoftphone(port=agent_phone.ctrl_port)
        await phone.connect()
        events = phone.events()
        caller = await asyncio.to_thread(CtrlLink, caller_phone.ctrl_port)
        try:
            await asyncio.to_thread(caller.command, "dial", agent_phone.uri)
            incoming = await next_call_event(events, CallEventKind.INCOMING, seen)
            assert incoming.peer == caller_phone.uri
            await phone.answer(incoming.call_id)
            await next_call_event(events, CallEventKind.ESTABLISHED, seen)
            answered = time.monotonic()

            # The sentence heard twice whole at the agent's softphone, then put on hold.
            first = await heard_for(tap, 2 * (5.1 + GAP_S), answered)
            spoken = tap.level(first, time.monotonic())
            await phone.hold(incoming.call_id)
            held = time.monotonic()
            await asyncio.sleep(HOLD_S)
            on_hold = tap.level(held + SETTLE_S, time.monotonic())
            await phone.resume(incoming.call_id)
            resumed = time.monotonic()
            back = await heard_for(tap, 2.0, resumed)
            after = tap.level(back, back + 2.0)

            # Digits for an IVR or a payment line reach the caller as RTP telephone events; mute is turned and read back.
            await phone.send_dtmf(incoming.call_id, DIGITS)
            keyed = await asyncio.to_thread(caller.wait_events, "CALL_DTMF_START", len(DIGITS), WAIT_S)
            # Mute: the agent's microphone (a tone) no longer reaches the caller, and comes back unmuted.
            await phone.mute(incoming.call_id)
            muted = time.monotonic()
            await asyncio.sleep(MUTE_S)
            agent_muted = to_caller.level(muted + SETTLE_S, time.monotonic())
            await phone.unmute(incoming.call_id)
            await phone.unmute(incoming.call_id)  # already unmuted: stays so (baresip's own command turns it over)
            unmuted = time.monotonic()
            await asyncio.sleep(MUTE_S)
            agent_unmuted = to_caller.level(unmuted + SETTLE_S, time.monotonic())

            await asyncio.to_thread(caller.command, "hangup")
            closed = await next_call_event(events, CallEventKind.CLOSED, seen)
            await phone.hang_up(incoming.call_id)  # the desk ending it too, a moment late: no error
        finally:
            caller.close()
            await phone.aclose()

    recording = agent_phone.received()
    assert recording, f"the agent's softphone recorded nothing:\n{agent_phone.log()}"
    heard_words = recognise(recording[0])
    overlap = content_words(heard_words) & content_words(SCRIPT)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (
        time.process_time()
        - own_before
        + children.ru_utime
        + children.ru_stime
        - children_before.ru_utime
        - children_before.ru_stime
    )
    print(
        f"\nsaid:       {SCRIPT!r}\nrecognised: {heard_words!r}\noverlap:    {sorted(overlap)} "
        f"({len(overlap)} of {len(content_words(SCRIPT))})\nlevel (RMS): speaking {spoken:.0f}, on hold {on_hold:.0f}, "
        f"resumed {after:.0f}; recording {rms(wav_samples(recording[0])):.0f}; the agent to the caller: "
        f"muted {agent_muted:.0f}, unmuted {agent_unmuted:.0f}\n"
        f"cost: {cpu:.1f} s CPU (this process and its children), {time.monotonic() - started:.1f} s wall"
    )
    assert len(overlap) >= MIN_OVERLAP, f"the agent's side heard {heard_words!r}, not the caller's words"
    assert spoken > HEARD, f"the caller's voice arrived at {spoken:.0f} RMS before the hold"
    assert on_hold < QUIET, f"the agent still heard the caller at {on_hold:.0f} RMS while holding"
    assert after > HEARD, f"after resume the caller came back at only {after:.0f} RMS"
    assert "".join(event["param"] for event in keyed) == DIGITS
    assert agent_muted < QUIET, f"the caller still heard the agent at {agent_muted:.0f} RMS while muted"
    assert agent_unmuted > HEARD, f"unmuted, the agent reached the caller at only {agent_unmuted:.0f} RMS"
    assert closed.call_id == incoming.call_id
    assert closed.ended_by is EndedBy.REMOTE, f"the caller hung up, but the call ended by {closed.ended_by}: {closed}"
    kinds = [event.kind for event in seen if event.call_id == incoming.call_id]
    assert (
        kinds.index(CallEventKind.INCOMING) < kinds.index(CallEventKind.ESTABLISHED) < kinds.index(CallEventKind.CLOSED)
    )
