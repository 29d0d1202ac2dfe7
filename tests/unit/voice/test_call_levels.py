"""Each side's level of a real call, measured where the mock's relay passes its audio on (agent_desktop_mocks/ccaas/
voice/media/call_levels.py) and drawn on the call's area (docs/voice.md): what the agent sees rise while the caller speaks,
and show nothing heard on hold; a level the desk is told only when it changed."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content

from agent_desktop.agent_desk.changes import DeskChanges
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.voice.call_media import CallMedia, MediaState, SoftphoneCalls
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind
from agent_desktop.domain.models import CallLevelEvent, Contact
from agent_desktop.domain.vocabulary import Channel, ContactState
from agent_desktop.ui.agent.contacts.contact_detail import media_parts
from agent_desktop_mocks.ccaas.voice.media import g711
from agent_desktop_mocks.ccaas.voice.media.call_levels import STEPS, TICK_S, LevelMeter, step_of

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PACKET = 160  # a fiftieth of a second of G.711
SILENCE = bytes([0xFF]) * PACKET  # mu-law's zero
# mu-law bytes by loudness: 0x80 + n for n in 0..127 (bit-inverted) grows quieter as n grows
loudness = st.integers(0, 127)


def ulaw_tone(n: int) -> bytes:
    """A packet of one mu-law value alternating in sign (a square wave): louder as `n` is smaller."""
    return bytes([0x80 + n, n] * (PACKET // 2))


def rms(payload: bytes) -> float:
    return math.sqrt(sum(g711.ulaw_sample(byte) ** 2 for byte in payload) / len(payload))


@given(louder=loudness, quieter=loudness, packets=st.integers(1, 12))
def test_a_louder_caller_never_shows_a_lower_level(louder: int, quieter: int, packets: int) -> None:
    louder, quieter = min(louder, quieter), max(louder, quieter)
    levels = []
    for n in (quieter, louder):
        meter = LevelMeter()
        for _ in range(packets):
            meter.add("customer", g711.PCMU, ulaw_tone(n))
        taken = meter.take(TICK_S)
        levels.append(taken["customer"] if taken else 0)
    assert levels[0] <= levels[1]
    assert levels[1] == step_of(rms(ulaw_tone(louder)) * math.sqrt(min(1.0, packets * PACKET / (TICK_S * 8000))))


@given(windows=st.lists(st.lists(st.sampled_from([SILENCE, ulaw_tone(0), ulaw_tone(40), ulaw_tone(90)]), max_size=13)))
def test_the_desk_is_told_a_level_only_when_it_changed_and_silence_is_nothing_heard(windows: list[list[bytes]]) -> None:
    meter = LevelMeter()
    shown = {"customer": 0, "agent": 0}
    for packets in windows:
        for payload in packets:
            meter.add("customer", g711.PCMU, payload)
        taken = meter.take(TICK_S)
        if taken is not None:
            assert taken != shown, "told a level that had not changed"
            shown = taken
        if all(payload == SILENCE for payload in packets):
            assert shown["customer"] == 0, f"silence showed as {shown}"
        assert shown["agent"] == 0  # the agent said nothing
        assert 0 <= shown["customer"] <= STEPS


def test_speech_shows_about_half_the_bar_and_the_hold_music_more() -> None:
    assert step_of(2000) == 4  # espeak-ng's caller at the agent's port, with its pauses (~2,000 RMS)
    assert step_of(9000) == 7  # the hold music at the caller's (~9,000)
    assert step_of(0) == 0


def connected_call(sound: bool = True) -> tuple[SoftphoneCalls, DeskChanges]:
    changes = DeskChanges()
    phone = SoftphoneCalls(lambda: changes, sound=sound)
    caller = Contact(
        id="c-1",
        channel=Channel.VOICE,
        queue_id="billing",
        queue_name="Billing",
        from_address="+12125550100",
        state=ContactState.CONNECTED,
        entered_queue_at=NOW,
    )
    phone.apply(CallEvent(CallEventKind.INCOMING, "call-1", peer="sip:+12125550100@127.0.0.1:5062"), [caller])
    phone.apply(CallEvent(CallEventKind.ESTABLISHED, "call-1"), [caller])
    return phone, changes


def drawn(media: CallMedia | None, room: int = 1 << 16) -> str:
    return "".join(
        part if isinstance(part, str) else str(part[0]) if isinstance(part, tuple) else part.plain
        for part in media_parts(media, room)
    )


def test_the_call_area_draws_each_sides_level_and_nothing_heard_on_hold() -> None:
    phone, changes = connected_call()
    desk = Desk("agent-001")
    desk.softphone = phone
    desk.apply(CallLevelEvent(contact_id="c-1", customer=4, agent=1))
    assert "c-1" in changes.levels
    assert "caller ██░░ you █░░░" in drawn(phone.media("c-1"))
    phone.update("c-1", state=MediaState.ON_HOLD)
    desk.apply(CallLevelEvent(contact_id="c-1", customer=0, agent=0))
    assert "caller ░░░░ you ░░░░" in drawn(phone.media("c-1"))


def test_a_level_for_a_call_not_up_is_not_drawn() -> None:
    phone, changes = connected_call()
    assert "caller" not in drawn(phone.media("c-1"))  # no level told yet: no bars, the codec and name keep their room
    phone.levels("nobody", 5, 5)  # no call of that contact on this softphone
    assert not changes.levels
    phone.apply(CallEvent(CallEventKind.CLOSED, "call-1"), [])
    phone.levels("c-1", 5, 5)
    assert "caller" not in drawn(phone.media("c-1"))


@given(room=st.integers(0, 120))
def test_with_levels_the_line_gives_up_the_callers_name_then_the_codec_never_the_bars(room: int) -> None:
    phone, _ = connected_call()
    phone.update("c-1", codec="PCMU 8 kHz", peer_name="(212) 555-0100")
    phone.levels("c-1", 3, 0)
    media = phone.media("c-1")
    line = drawn(media, room)
    assert "caller ██░░ you ░░░░" in line
    assert "connected" in line
    full = "   ☎ connected · PCMU 8 kHz  caller ██░░ you ░░░░  from “(212) 555-0100”"
    fits = Content(full).cell_length <= room
    assert line == full if fits else "from" not in line
    assert ("PCMU" in line) == (fits or Content(full.split("  from")[0]).cell_length <= room)
