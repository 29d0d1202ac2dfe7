"""The mock's SIP proxy sends an answer back whichever way its Vias are written: one a line (baresip's) or several on
one line separated by commas (RFC 3261 §7.3.1; SIPp's callee answers so). Before, an answer with combined Vias was
dropped at the proxy, and every call SIPp placed through the mock failed (benchmarks/bench_sipp.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.sip_proxy import SipProxy
from tests.contract.voice.test_media_through_the_relay import header, message, parts, sdp, sockets

CONTACT = "contact-76"


@settings(max_examples=12, deadline=None)  # loopback sockets each example: a dozen ways of writing the Vias
@given(combined=st.booleans(), compact=st.booleans(), space=st.sampled_from([",", ", ", " ,  "]))
async def test_an_answer_comes_back_to_the_caller_however_its_vias_are_written(
    combined: bool, compact: bool, space: str
) -> None:
    async with sockets(2) as (caller, callee):
        proxy = SipProxy(lambda port: CONTACT if port == caller.port else None)
        await proxy.start()
        try:
            caller_via = f"SIP/2.0/UDP 127.0.0.1:{caller.port};branch=z9hG4bK-1;rport"
            dialog = ["From: <sip:caller@127.0.0.1>;tag=c1", "Call-ID: call-76@127.0.0.1", "CSeq: 1 INVITE"]
            invite = message(
                f"INVITE sip:agent@127.0.0.1:{callee.port} SIP/2.0",
                [f"Via: {caller_via}", *dialog, "To: <sip:agent@127.0.0.1>", "Max-Forwards: 70"],
                sdp(4000),
            )
            caller.send(invite, proxy.port)
            forwarded, _ = parts(await callee.next())
            vias = header(forwarded, "Via")
            assert len(vias) == 2, forwarded
            name = "v" if compact else "Via"
            written = [f"{name}: {space.join(vias)}"] if combined else [f"{name}: {via}" for via in vias]
            answer = message("SIP/2.0 180 Ringing", [*written, *dialog, "To: <sip:agent@127.0.0.1>;tag=a1"], "")
            callee.send(answer, proxy.port)
            back, _ = parts(await caller.next())
        finally:
            proxy.close()
    assert back[0] == "SIP/2.0 180 Ringing"
    assert header(back, "v" if compact else "Via") == [caller_via]  # the proxy's own Via taken off, the caller's kept
