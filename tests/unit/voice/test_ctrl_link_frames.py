"""The softphone's control link read strictly: netstring frames split anywhere come back whole, and a hostile or
broken frame is the adapter's error (`SoftphoneError`), never a crash of the desk's reader."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from importlib.metadata import entry_points

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.adapters.baresip.messages import Answer, MessageError, parse
from agent_desktop.adapters.baresip.netstring import MAX_FRAME, FramingError, NetstringReader, encode
from agent_desktop.adapters.baresip.softphone import BaresipSoftphone
from agent_desktop.domain.calls.softphone import CallEvent, CallEventKind, EndedBy, Softphone, SoftphoneError

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(JSON, min_size=1, max_size=6), st.data())
def test_json_split_across_any_reads_frames_back_the_same(payloads: list[object], data: st.DataObject) -> None:
    frames = [json.dumps(payload).encode() for payload in payloads]
    stream = b"".join(encode(frame) for frame in frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=12)))
    reader, got = NetstringReader(), []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        got += reader.feed(stream[start:end])
    assert got == frames
    assert [json.loads(frame) for frame in got] == payloads
    assert reader.pending == 0


@given(st.binary(max_size=200), st.lists(st.integers(1, 50), max_size=8))
def test_any_bytes_give_frames_or_the_adapters_error(stream: bytes, sizes: list[int]) -> None:
    reader, start = NetstringReader(max_frame=64), 0
    try:
        for size in [*sizes, len(stream)]:
            for frame in reader.feed(stream[start : start + size]):
                with contextlib.suppress(MessageError):
                    parse(frame)
            start += size
    except FramingError:
        with pytest.raises(FramingError):  # a broken link stays broken: nothing after is read as a frame
            reader.feed(b"2:{},")


@pytest.mark.parametrize(
    ("stream", "why"),
    [
        (b"abc:{}", "not a number"),
        (b"-1:{}", "not a number"),
        (b"03:abc,", "not a number"),
        (b"99999999999", "digits"),
        (b"2:{}}", "comma"),
        (b"%d:" % (MAX_FRAME + 1), "over"),
    ],
)
def test_a_broken_frame_is_said_in_one_sentence(stream: bytes, why: str) -> None:
    with pytest.raises(FramingError, match=why):
        NetstringReader().feed(stream)


@pytest.mark.parametrize(
    "frame",
    [
        b"\xff\xfe",
        b"not json",
        b"NaN",
        b'{"response": true, "ok": NaN}',
        b"[1, 2]",
        b'"text"',
        b'{"response": true}',
        b'{"response": true, "ok": "yes"}',
        b'{"response": true, "ok": true, "data": 7}',
        b'{"response": true, "ok": true, "token": []}',
        b'{"event": true, "class": "call", "id": "1"}',
        b'{"event": true, "type": "CALL_INCOMING", "class": "call"}',
        b'{"event": true, "type": "CALL_INCOMING", "class": "call", "id": 12}',
        b'{"event": true, "type": "CALL_INCOMING", "class": "call", "id": ""}',
        b'{"event": true, "type": "CALL_INCOMING", "class": "call", "id": "a\\u001b[2J"}',
        b'{"event": true, "type": "CALL_CLOSED", "class": "call", "id": "1", "param": {"x": 1}}',
        b'{"x": 1}',
        b"[" * 5000 + b"]" * 5000,
        b'{"response": true, "ok": true, "data": 1' + b"0" * 5000 + b"}",
    ],
)
def test_a_hostile_frame_is_the_adapters_error(frame: bytes) -> None:
    with pytest.raises(SoftphoneError):
        parse(frame)


def test_a_call_closed_says_who_ended_it() -> None:
    closed = b'{"event":true,"type":"CALL_CLOSED","class":"call","id":"c1","peeruri":"sip:a@127.0.0.1","param":"%s"}'
    by_peer = parse(closed % b"Connection reset by peer")
    assert isinstance(by_peer, CallEvent)
    assert by_peer.ended_by is EndedBy.REMOTE
    assert by_peer.kind is CallEventKind.CLOSED
    assert by_peer.peer == "sip:a@127.0.0.1"
    ours = parse(closed % b"Connection reset by peer", hung_up_here=frozenset({"c1"}))
    assert isinstance(ours, CallEvent)
    assert ours.ended_by is EndedBy.LOCAL
    failed = parse(closed % b"end of file")
    assert isinstance(failed, CallEvent)
    assert (failed.ended_by, failed.reason) == (EndedBy.FAILURE, "end of file")


def test_answers_and_events_the_desk_does_not_follow() -> None:
    assert parse(b'{"response":true,"ok":false,"data":"no call","token":"7"}') == Answer("7", False, "no call")
    assert parse(b'{"event":true,"type":"CALL_RTCP","class":"call","id":"c1","rtcp_stats":{}}') is None
    assert parse(b'{"event":true,"type":"REGISTER_OK","class":"register"}') is None


@pytest.mark.parametrize(
    ("command", "argument"),
    [
        ("dial", "sip:a@127.0.0.1 \r\nhangup"),
        ("dial", "tel:+15551234567"),
        ("send_dtmf", "12x4"),
        ("send_dtmf", ""),
        ("send_dtmf", "1" * 65),
        ("answer", "c1\nhangup"),
        ("hang_up", ""),
    ],
)
async def test_a_command_the_softphone_cannot_take_is_refused_before_it_is_sent(command: str, argument: str) -> None:
    phone = BaresipSoftphone(port=1)  # nothing listens: a refused command never reaches the link
    call = phone.send_dtmf("c1", argument) if command == "send_dtmf" else getattr(phone, command)(argument)
    with pytest.raises(SoftphoneError) as refused:
        await call
    assert "no softphone answers" not in str(refused.value)


@dataclass
class Section:
    host: str
    port: int = 4444
    start: bool = False
    answer_s: float = 5.0
    contact_uri: str | None = None


def test_the_softphone_kind_is_installed_and_refuses_a_link_off_this_machine() -> None:
    (entry,) = entry_points(group="agent_desktop.softphone").select(name="baresip")
    factory = entry.load()
    phone = factory(Section("127.0.0.1"), settings=None)
    assert isinstance(phone, Softphone)
    assert isinstance(phone, BaresipSoftphone)
    assert (phone.host, phone.port) == ("127.0.0.1", 4444)
    with pytest.raises(ValueError, match="loopback"):  # ctrl_tcp has no authentication: anyone could place calls
        factory(Section("192.0.2.7"), settings=None)


def test_the_first_audio_of_a_call_is_read_though_baresip_files_it_as_other() -> None:
    """baresip 1.0.0 sends CALL_RTPESTAB with `"class": "other"` (tried here): read as the call's media up, not
    skipped, or the desk never learns the call's codec."""
    frame = (
        b'{"event": true, "type": "CALL_RTPESTAB", "class": "other", "accountaor": "sip:agent@127.0.0.1:5060", '
        b'"direction": "incoming", "peeruri": "sip:caller@127.0.0.1:5062", "id": "644c3cafb84f8796", "param": "audio"}'
    )
    event = parse(frame)
    assert isinstance(event, CallEvent)
    assert event.kind is CallEventKind.MEDIA_UP
    assert event.call_id == "644c3cafb84f8796"
