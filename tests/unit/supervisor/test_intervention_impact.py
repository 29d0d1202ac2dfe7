"""Intervention impact: after a whisper or a barge, the customer's mood before against after over the same number of
their lines; the verdict's sign is the trend's, whatever the lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.supervisor_desk.urgent_assist.intervention_impact import IMPACT_LINES, STEADY, Impact, impact_of

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
    impact = impact_of("whisper", items, AT + timedelta(seconds=4))
    assert len(impact.before) == 2
    assert len(impact.after) == 1
    assert impact.verdict == "helped"
    assert not impact.settled
    assert impact.words().startswith("Impact of the whisper: helped so far (mood ")
