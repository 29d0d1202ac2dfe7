"""The mock's call scripts (call_scripts.toml): callers of one intent differ, each script taking its share of the
intent's calls in turn, the first listed first, so that a floor's said alerts come from a few calls, not most."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.tables.call_scripts import read_call_scripts, shipped
from agent_desktop_mocks.ccaas.tables.ivr import demo_ivr, menu_leaves
from agent_desktop_mocks.common.toml_tables import TableError


def test_an_intents_scripts_take_their_shares_in_turn_the_first_first() -> None:
    scripts = shipped()
    first = [scripts.for_call("billing_inquiry", "billing", nth).variant for nth in range(8)]
    assert first[0] == first[4] == "charged twice", "the first call of the intent, and every fourth, is upset"
    assert Counter(first) == {"charged twice": 2, "a charge explained": 6}
    assert scripts.for_call(None, "billing_north").intent == "billing_inquiry", "a generated queue takes its line's"
    assert scripts.for_call("payment", "billing", 5).intent == "payment", "an intent of one script always takes it"


def test_of_a_hundred_shipped_billing_and_technical_calls_a_quarter_raise_a_said_alert() -> None:
    """What raises one: the upset caller's anger, the technician's 40 s test on the line (the rules' 30 s)."""
    scripts = shipped()
    upsetting = Counter(
        any(line[0] == "silence" for line in script.lines) or "annoyed" in str(script.lines)
        for intent, queue in (("billing_inquiry", "billing"), ("tech_support", "tech_support"))
        for script in (scripts.for_call(intent, queue, nth) for nth in range(100))
    )
    assert upsetting == {True: 50, False: 150}


def test_two_scripts_of_one_intent_must_be_told_apart(tmp_path: Path) -> None:
    table = tmp_path / "call_scripts.toml"
    script = '[[script]]\nintent = "sales"\nqueue = "sales"\nsubject = "Upgrade"\nlines = [["agent", "Hello"]]\n'
    table.write_text(script + script)
    with pytest.raises(TableError, match="sales"):
        read_call_scripts(table)


@given(draw=st.floats(min_value=0, max_value=1, exclude_max=True), nth=st.integers(min_value=0, max_value=50))
def test_an_ivr_callers_subject_is_the_one_their_call_is_spoken_under(draw: float, nth: int) -> None:
    """The mock's IVR calls took a subject at random from their queue's ("Update my payment method")
    while their script said another thing ("I was charged twice"). A caller of each intent the IVR routes tells it a
    subject of that intent's scripts, and the call is spoken by the script of that subject, whatever call it is."""
    scripts = shipped()
    routed = {
        (option.intent, option.queue_id)
        for entry in demo_ivr()
        for _, option in menu_leaves(entry.options)
        if option.intent
    }
    for intent, queue in sorted(routed):
        subject = scripts.subject_for(intent, draw)
        assert subject is not None, f"no call script for the IVR's intent {intent}"
        script = scripts.for_call(intent, queue, nth, subject)
        assert (script.intent, script.subject) == (intent, subject)
