"""Intervention impact: after a whisper or a barge, the customer's mood before against after over the same number of
their lines; the verdict's sign is the trend's, whatever the lines. On a call, from the caller's final lines alone: a
line still being heard (interim, whatever its words) never changes the verdict, nor does anything the agent says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.models.transcription import TranscriptionLine
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.supervisor_desk.urgent_assist.intervention_impact import (
    IMPACT_LINES,
    STEADY,
    Impact,
    impact_of,
    spoken,
    spoken_since_alert,
    written,
)
from agent_desktop.transcripts.call_transcript import CallTranscript

moods = st.lists(st.floats(min_value=-1.0, max_value=1.0, allow_nan=False), max_size=6).map(tuple)
kinds = st.sampled_from(["whisper", "barge"])
AT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


@given(kinds, moods, moods)
def test_the_verdict_follows_the_trend_over_as_many_lines_each_side(
    kind: str, before: tuple[float, ...], after: tuple[float, ...]
) -> None:
    impact = Impact(kind, before, after)  # type: ignore[arg-type]
    n = min(len(before), len(after), IMPACT_LINES)
    assert impact.compared == n
    if n == 0:
        assert impact.verdict == "too early"
        return
    change = sum(after[:n]) / n - sum(before[-n:]) / n
    assert abs(impact.change - change) < 1e-9
    expected = "helped" if change >= STEADY else "made it worse" if change <= -STEADY else "no change"
    assert impact.verdict == expected
    assert impact.verdict in impact.words()


@given(kinds, moods.filter(bool), st.floats(min_value=STEADY + 0.01, max_value=2.0))
def test_every_line_after_happier_than_every_line_before_helped_and_the_reverse_made_it_worse(
    kind: str, before: tuple[float, ...], lift: float
) -> None:
    assume(max(before) + lift <= 1.0)
    after = tuple(max(before) + lift for _ in before)
    assert Impact(kind, before, after).verdict == "helped"  # type: ignore[arg-type]
    assert Impact(kind, after, before).verdict == "made it worse"  # type: ignore[arg-type]


def _line(i: int, text: str, role: ParticipantRole = ParticipantRole.CUSTOMER) -> TranscriptItem:
    return TranscriptItem(
        id=f"m{i}",
        contact_id="c-1",
        display_name="x",
        index=i,
        role=role,
        text=text,
        created_at=AT + timedelta(seconds=i),
    )


def test_the_lines_are_split_at_the_whisper_and_the_agents_are_not_counted() -> None:
    items = [
        _line(1, "This is awful, I am furious"),
        _line(2, "Terrible, useless service"),
        _line(3, "Sorry to hear that", ParticipantRole.AGENT),
        _line(5, "Ok, thank you, that is great"),
    ]
    impact = impact_of("whisper", written(items), AT + timedelta(seconds=4))
    assert len(impact.before) == 2
    assert len(impact.after) == 1
    assert impact.verdict == "helped"
    assert not impact.settled
    assert impact.words().startswith("Impact of the whisper: helped so far (mood ")


# What a caller or an agent says, from furious to delighted (VADER's compound from about -0.9 to +0.9).
PHRASES = (
    "This is awful, I am furious and I hate this",
    "Terrible, useless service",
    "I was charged twice",
    "My account number is on the letter",
    "Ok",
    "Ok, thank you",
    "That is great, thanks so much",
    "Perfect, I really appreciate it, wonderful",
)
phrases = st.sampled_from(PHRASES)
# One utterance of a call: who, its final words, the interim versions heard before them (any words: a recogniser's
# first guesses), and whether it was still being heard when the verdict was read (the last one only).
utterances = st.tuples(st.sampled_from(["customer", "agent"]), phrases, st.lists(phrases, max_size=3))


def _heard(index: int, role: str, text: str, final: bool, at: datetime, step: int = 0) -> TranscriptionLine:
    return TranscriptionLine(
        id=f"c-1:{index}",
        contact_id="c-1",
        index=index,
        role=ParticipantRole(role),
        display_name="x",
        text=text,
        final=final,
        started_at=at,
        at=at + timedelta(milliseconds=100 * (step + 1)),
    )


def _call(
    said: list[tuple[str, str, list[str]]],
    *,
    interim: bool,
    last_heard: bool = True,
    roles: tuple[str, ...] = ("customer", "agent"),
) -> CallTranscript:
    """The call's transcript as the supervisor's desk holds it: each utterance 10 s after the one before, its interim
    versions first when `interim`; the last one left interim when not `last_heard`; only the lines of `roles`."""
    call = CallTranscript("c-1")
    for index, (role, text, guesses) in enumerate(said):
        if role not in roles:
            continue
        at = AT + timedelta(seconds=10 * index)
        for step, guess in enumerate(guesses if interim else []):
            call.apply(_heard(index, role, guess, False, at, step))
        if last_heard or index < len(said) - 1:
            call.apply(_heard(index, role, text, True, at, len(guesses)))
    return call


@given(kinds, st.lists(utterances, min_size=1, max_size=10), st.integers(0, 10), st.booleans())
def test_a_line_still_being_heard_never_changes_a_calls_verdict(
    kind: str, said: list[tuple[str, str, list[str]]], whisper_after: int, last_heard: bool
) -> None:
    since = AT + timedelta(seconds=10 * whisper_after - 5)
    heard = _call(said, interim=True, last_heard=last_heard)
    finals = _call(said, interim=False, last_heard=last_heard)  # (a line never finished is not there at all)
    with_interim = impact_of(kind, spoken(heard.lines), since)  # type: ignore[arg-type]
    without = impact_of(kind, spoken(finals.lines), since)  # type: ignore[arg-type]
    assert with_interim == without
    assert with_interim.words() == without.words()


@given(kinds, st.lists(utterances, min_size=1, max_size=10), st.integers(0, 10))
def test_what_the_agent_says_on_a_call_never_counts(
    kind: str, said: list[tuple[str, str, list[str]]], whisper_after: int
) -> None:
    since = AT + timedelta(seconds=10 * whisper_after - 5)
    heard = _call(said, interim=True)
    alone = _call(said, interim=True, roles=("customer",))  # the same call, the agent silent
    assert impact_of(kind, spoken(heard.lines), since) == impact_of(kind, spoken(alone.lines), since)  # type: ignore[arg-type]


def test_a_calls_lines_are_split_at_the_whisper_by_when_each_was_begun() -> None:
    """A line the caller began before the whisper is before it, though it was final after."""
    call = CallTranscript("c-1")
    call.apply(_heard(0, "customer", "This is awful, I am furious and I hate this", True, AT))
    call.apply(_heard(1, "customer", "Terrible, useless service", True, AT + timedelta(seconds=10), step=50))
    call.apply(_heard(2, "agent", "I am sorry, let me fix it", True, AT + timedelta(seconds=20)))
    call.apply(_heard(3, "customer", "That is great, thanks so much", False, AT + timedelta(seconds=30)))
    since = AT + timedelta(seconds=12)  # during the second line, final 5 s later
    waiting = impact_of("whisper", spoken(call.lines), since)
    assert len(waiting.before) == 2
    assert waiting.words() == "Impact of the whisper: waiting for the customer's next line."
    call.apply(_heard(3, "customer", "That is great, thanks so much", True, AT + timedelta(seconds=30)))
    impact = impact_of("whisper", spoken(call.lines), since)
    assert impact.verdict == "helped"
    assert impact.words().startswith("Impact of the whisper: helped so far (mood ")
    assert "1 customer line each side" in impact.words()


ANGRY = ("This is awful, I am furious and I hate this", "Terrible, useless service", "Get me your manager")


def test_a_supervisor_who_joined_a_call_after_its_alert_compares_with_the_alerts_lines() -> None:
    """A supervisor's card of a call holds what was said from their joining on: the lines that made it urgent, said
    before, come from the alert (its recent lines), once: not again when the card heard them too."""
    alerted_at = AT + timedelta(seconds=20)
    joined_late = CallTranscript("c-1")
    joined_late.apply(_heard(3, "customer", "Ok, thank you", True, AT + timedelta(seconds=40)))
    said = spoken_since_alert(joined_late.lines, ANGRY, alerted_at)
    impact = impact_of("whisper", said, AT + timedelta(seconds=30))
    assert len(impact.before) == 3
    assert impact.verdict == "helped"
    assert "1 customer line each side" in impact.words()

    joined_early = _call([("customer", line, []) for line in ANGRY], interim=False)  # lines at 0, 10 and 20 s
    joined_early.apply(_heard(3, "customer", "Ok, thank you", True, AT + timedelta(seconds=40)))
    assert spoken_since_alert(joined_early.lines, ANGRY, alerted_at) == spoken(joined_early.lines)
