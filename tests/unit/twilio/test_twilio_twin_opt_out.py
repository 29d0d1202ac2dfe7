"""Twilio's opt-out words as the twin hears them (agent_desktop_mocks/twilio/messaging/opt_outs.py; docs/vendors/
twilio-messaging.md, "Opt-out"): a keyword is the whole message, any case, spaces around it aside; anything else
changes nothing, and the opt-out is of one Twilio number only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.twilio.messaging.opt_outs import OPT_IN, OPT_OUT, OptOuts
from tests.support.hypothesis_profiles import examples

CUSTOMER, NUMBER, OTHER = "+15125550100", "+15005550006", "+15125550177"
SPACES = st.text(" \t\n", max_size=3)


def _written(word: str, flips: list[bool]) -> str:
    """The keyword as a customer might type it: any letter in either case."""
    return "".join(c.lower() if flip else c for c, flip in zip(word, flips + [False] * len(word), strict=False))


@settings(max_examples=examples(200))
@given(
    st.sampled_from(sorted(OPT_OUT)),
    st.sampled_from(sorted(OPT_IN)),
    st.lists(st.booleans(), max_size=12),
    SPACES,
    SPACES,
)
def test_a_keyword_alone_in_any_case_opts_out_of_that_number_and_back_in(
    stop: str, start: str, flips: list[bool], before: str, after: str
) -> None:
    kept = OptOuts()
    kept.heard(CUSTOMER, NUMBER, before + _written(stop, flips) + after)
    assert kept.refuses(CUSTOMER, NUMBER)
    assert not kept.refuses(CUSTOMER, OTHER), "another number of the account still sends"
    kept.heard(CUSTOMER, NUMBER, before + _written(start, flips) + after)
    assert not kept.refuses(CUSTOMER, NUMBER)


@settings(max_examples=examples(300))
@given(st.text(max_size=30))
def test_a_message_that_is_not_a_keyword_alone_changes_nothing(body: str) -> None:
    word = body.strip().upper()
    if word in OPT_OUT or word in OPT_IN:
        return
    kept = OptOuts()
    kept.heard(CUSTOMER, NUMBER, body)
    assert not kept.refuses(CUSTOMER, NUMBER)
    kept.heard(CUSTOMER, NUMBER, "STOP")
    kept.heard(CUSTOMER, NUMBER, body)
    assert kept.refuses(CUSTOMER, NUMBER), f"{body!r} opted them back in"
    for sentence in (f"STOP {body}", f"{body} stop", "stop it"):
        again = OptOuts()
        again.heard(CUSTOMER, NUMBER, sentence)
        assert again.refuses(CUSTOMER, NUMBER) is (sentence.strip().upper() in OPT_OUT)
