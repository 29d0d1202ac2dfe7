"""A call's SDP pointed at the mock's media relay: the phone on the other side then sends its audio (RTP and RTCP)
to the relay, and nothing else the offer or answer says changes (codecs, direction of a hold, the other lines)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.media.sdp import Media, anchored, audio_of
from tests.support.hypothesis_profiles import examples

ports = st.integers(1024, 65534)
hosts = st.tuples(*[st.integers(0, 255)] * 3).map(lambda parts: "127." + ".".join(map(str, parts)))


@st.composite
def offers(draw: st.DrawFn) -> tuple[str, Media]:
    """An audio offer or answer as a softphone writes one: the connection at the session's level or the stream's,
    an `a=rtcp:` or not, a direction (a hold's `sendonly`), sometimes a video stream after it."""
    host, port = draw(hosts), draw(ports)
    rtcp = draw(st.none() | ports)
    at_stream = draw(st.booleans())
    lines = ["v=0", f"o=- 3 4 IN IP4 {host}", "s=-"]
    lines += [] if at_stream else [f"c=IN IP4 {host}"]
    lines += ["t=0 0", f"m=audio {port} RTP/AVP 0 8 101"]
    lines += [f"c=IN IP4 {host}"] if at_stream else []
    lines += ["a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000"]
    lines += [f"a=rtcp:{rtcp}"] if rtcp is not None else []
    lines += [draw(st.sampled_from(["a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive"])), "a=ptime:20"]
    if draw(st.booleans()):
        lines += ["m=video 0 RTP/AVP 96", "a=rtcp:9"]
    return "\r\n".join(lines) + "\r\n", Media(host, port, rtcp if rtcp is not None else port + 1)


@settings(max_examples=examples(200))
@given(offers(), hosts, ports)
def test_the_other_side_sends_to_the_relay_and_nothing_else_changes(
    offer: tuple[str, Media], relay_host: str, relay_port: int
) -> None:
    body, media = offer
    assert audio_of(body.encode()) == media
    moved = anchored(body.encode(), relay_host, relay_port)
    assert audio_of(moved) == Media(relay_host, relay_port, relay_port + 1)
    before, after = body.splitlines(), moved.decode().splitlines()
    assert len(before) == len(after)
    kept = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert all(old.split(" ", 1)[0].split(":", 1)[0] in ("c=IN", "m=audio", "a=rtcp") for old, _ in kept), kept
    assert moved.endswith(b"\r\n")


@settings(max_examples=examples(100))
@given(st.binary(max_size=300))
def test_a_body_that_offers_no_audio_is_not_anchored(body: bytes) -> None:
    found = audio_of(body)
    if b"m=audio " not in body or b"c=IN IP4 " not in body:
        assert found is None
    else:
        assert found is None or (0 < found.rtp_port <= 65535 and 0 < found.rtcp_port <= 65535)
