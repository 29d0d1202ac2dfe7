"""Each desk's relay credential: the demo derives its desk's token as the relay does (the desktop does not import the
relay), and a token reads its own worker's stream and no other's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.app.demo import DEMO_RELAY_SECRET, DEMO_TWILIO_WORKER_SID, demo_relay_token
from agent_desktop_relay.credentials import reader_token, reads

sids = st.text("0123456789abcdef", min_size=32, max_size=32).map(lambda h: "WK" + h)


def test_the_demo_desk_token_is_the_one_the_relay_expects() -> None:
    assert demo_relay_token(DEMO_TWILIO_WORKER_SID) == reader_token(DEMO_RELAY_SECRET, DEMO_TWILIO_WORKER_SID)


@given(sids, sids)
def test_a_token_reads_its_own_workers_stream_and_no_others(own: str, other: str) -> None:
    token = reader_token("s" * 32, own)
    assert reads("s" * 32, own, token)
    assert reads("s" * 32, other, token) == (own == other)
    assert not reads("t" * 32, own, token), "a new secret revokes it"
