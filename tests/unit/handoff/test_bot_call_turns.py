"""The pure parts of the virtual agent's real calls (voice/bot_calls.py): how long the caller waits after each line
for the bot's answer, what of an answer the bot says aloud, how many lines the caller had said when the bot handed
them over, and what they go on to say to the person."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.tables.call_scripts import shipped
from agent_desktop_mocks.ccaas.virtual_agent.service import HANDING_OVER_CALL
from agent_desktop_mocks.ccaas.voice.bot_calls import (
    ANSWER_WORDS,
    REPLY_S,
    TURN_END_S,
    WORDS_PER_S,
    customer_lines,
    goes_on_after,
    line_starts,
    lines_said,
    pause_after_line,
    spoken_part,
)
from agent_desktop_mocks.model.grounding import NOTHING_TO_GROUND

SCRIPT = shipped().for_call(None, "billing", 0)
LINES = customer_lines(SCRIPT)
WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
SENTENCE = st.lists(WORD, min_size=1, max_size=40).map(lambda words: " ".join(words) + ".")


def test_a_caller_handed_over_after_two_lines_goes_on_with_the_third() -> None:
    rest = goes_on_after(SCRIPT, 2)
    assert customer_lines(rest) == LINES[2:]
    assert rest.lines[0][0] == "agent", "the person's turn first: the caller does not talk over their greeting"


def test_a_caller_handed_over_before_saying_anything_says_it_all_to_the_person() -> None:
    assert customer_lines(goes_on_after(SCRIPT, 0)) == LINES


def test_a_caller_who_had_said_everything_says_their_last_line_again_to_the_person() -> None:
    assert customer_lines(goes_on_after(SCRIPT, len(LINES))) == [LINES[-1]]


@given(said=st.integers(min_value=0, max_value=len(LINES)))
def test_the_person_hears_no_line_the_bot_heard(said: int) -> None:
    rest = customer_lines(goes_on_after(SCRIPT, said))
    assert rest == (LINES[said:] or LINES[-1:])


@given(
    lasting=st.lists(st.floats(min_value=0.5, max_value=15), min_size=1, max_size=8),
    pause=st.floats(min_value=1, max_value=30),
    data=st.data(),
)
def test_a_turn_ending_after_a_line_counts_the_lines_said_up_to_it(
    lasting: list[float], pause: float, data: st.DataObject
) -> None:
    starts = line_starts(lasting, pause)
    line = data.draw(st.integers(min_value=0, max_value=len(lasting) - 1))
    ended = starts[line] + data.draw(st.floats(min_value=0.01, max_value=lasting[line] + pause - 0.01))
    assert lines_said(starts, ended) == line + 1


def test_the_bots_known_answers_are_said_whole() -> None:
    assert spoken_part(NOTHING_TO_GROUND) == NOTHING_TO_GROUND
    assert spoken_part(HANDING_OVER_CALL) == HANDING_OVER_CALL


@given(sentences=st.lists(SENTENCE, min_size=1, max_size=6))
def test_what_the_bot_says_aloud_begins_its_answer_and_fits_the_callers_pause(sentences: list[str]) -> None:
    answer = " ".join(sentences)
    spoken = spoken_part(answer)
    assert spoken, "an answer said as nothing"
    assert answer.startswith(spoken.rstrip(".")), "not the answer's beginning"
    assert len(spoken.split()) <= ANSWER_WORDS
    took_s = TURN_END_S + REPLY_S + len(spoken.split()) / WORDS_PER_S
    assert took_s <= pause_after_line(), "the caller would speak over the bot's answer"


def test_the_caller_waits_longer_for_a_longer_answer() -> None:
    assert pause_after_line(10) < pause_after_line(30)
    assert pause_after_line(0) >= TURN_END_S + REPLY_S
