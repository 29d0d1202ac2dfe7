"""How a call is spoken, measured by the contact center from each side's level frame by frame
(agent_desktop_mocks/ccaas/voice/talk_figures.py): the talk shares, interruptions, long silences and pace that the
agent's call area and the supervisor's card show (docs/voice.md "Coaching")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.voice.media.call_levels import STEPS
from agent_desktop_mocks.ccaas.voice.talk_figures import (
    CallCoachingEvent,
    CoachingRules,
    TalkFigures,
    TalkMeter,
    VoiceActivity,
)

RULES = CoachingRules()
LOUD, QUIET = 5, 0  # a level while speaking (espeak-ng's ~2,900 RMS on the 0..8 scale), and nothing heard

levels = st.lists(st.tuples(st.integers(0, STEPS), st.integers(0, STEPS)), max_size=240)
# Speech in runs, as people speak: (who speaks, for how many frames)
turns = st.lists(
    st.tuples(st.sampled_from(["customer", "agent", "both", "nobody"]), st.integers(1, 30)), max_size=24
).map(
    lambda runs: [
        (LOUD if who in ("customer", "both") else QUIET, LOUD if who in ("agent", "both") else QUIET)
        for who, frames in runs
        for _ in range(frames)
    ]
)
calls = st.one_of(levels, turns)


def measured(frames: list[tuple[int, int]], rules: CoachingRules = RULES) -> TalkFigures:
    meter = TalkMeter(rules)
    for customer, agent in frames:
        meter.frame(customer, agent)
    return meter.figures()


def activity(frames: list[int], rules: CoachingRules = RULES) -> list[bool]:
    side = VoiceActivity(rules.speech_step, rules.hangover_frames)
    return [side.frame(level) for level in frames]


@given(calls)
def test_shares_add_up_to_at_most_one_and_are_each_sides_talk_time(frames: list[tuple[int, int]]) -> None:
    figures = measured(frames)
    total = figures.talk_s["customer"] + figures.talk_s["agent"]
    shares = figures.share("customer") + figures.share("agent")
    assert shares <= 1 + 1e-9
    assert abs(shares - (1 if total > 0 else 0)) < 1e-9
    for side in ("customer", "agent"):
        assert abs(figures.share(side) * total - figures.talk_s[side]) < 1e-9
        assert figures.talk_s[side] <= figures.elapsed_s
    assert figures.elapsed_s == len(frames) * RULES.frame_s


@given(st.lists(st.integers(0, STEPS), max_size=200), st.integers(0, 6))
def test_a_loud_frame_is_always_speech_and_the_hangover_only_adds(frames: list[int], hangover: int) -> None:
    with_hangover = activity(frames, CoachingRules(hangover_frames=hangover))
    bare = activity(frames, CoachingRules(hangover_frames=0))
    assert bare == [level >= RULES.speech_step for level in frames]
    assert all(h or not b for h, b in zip(with_hangover, bare, strict=True))
    # ...and no speech lasts longer than the hangover after the last loud frame (none before the first)
    quiet = len(frames) + hangover + 1
    for level, speaking in zip(frames, with_hangover, strict=True):
        quiet = 0 if level >= RULES.speech_step else quiet + 1
        assert speaking == (quiet <= hangover)


@given(calls, st.integers(1, 12))
def test_an_interruption_needs_both_speaking_for_the_minimum_overlap(
    frames: list[tuple[int, int]], overlap_frames: int
) -> None:
    rules = CoachingRules(min_overlap_s=overlap_frames * RULES.frame_s)
    figures = measured(frames, rules)
    longest = run = 0
    runs = 0
    for both in (c >= rules.speech_step and a >= rules.speech_step for c, a in frames):
        run = run + 1 if both else 0
        runs += run == overlap_frames
        longest = max(longest, run)
    interruptions = figures.interruptions["customer"] + figures.interruptions["agent"]
    assert interruptions <= runs  # one at most per overlap long enough
    if longest < overlap_frames:
        assert interruptions == 0
    # a longer minimum overlap never finds more
    longer = measured(frames, CoachingRules(min_overlap_s=(overlap_frames + 1) * RULES.frame_s))
    for side in ("customer", "agent"):
        assert longer.interruptions[side] <= figures.interruptions[side]


@given(calls, st.integers(1, 40), st.integers(1, 40))
def test_long_silences_are_fewer_the_longer_they_must_be(frames: list[tuple[int, int]], a: int, b: int) -> None:
    shorter, longer = sorted((a, b))
    few = measured(frames, CoachingRules(long_silence_s=longer * RULES.frame_s))
    many = measured(frames, CoachingRules(long_silence_s=shorter * RULES.frame_s))
    assert few.long_silences <= many.long_silences
    assert many.long_silences * shorter * RULES.frame_s <= many.elapsed_s
    assert (many.long_silences > 0) == (many.longest_silence_s >= shorter * RULES.frame_s)
    assert many.silent_now_s <= many.longest_silence_s


@given(st.integers(1, 20), st.integers(0, 20), st.integers(1, 20), st.integers(0, 20))
def test_the_side_who_starts_over_the_other_interrupted(before: int, after: int, overlap: int, reply: int) -> None:
    """The agent speaks; the caller starts over them for `overlap` frames, goes on, and the agent replies as they
    stop: the caller's interruption once the overlap is long enough, never the agent's (a reply inside the caller's
    hangover is a turn taken)."""
    frames = [(QUIET, LOUD)] * before + [(LOUD, LOUD)] * overlap + [(LOUD, QUIET)] * after + [(QUIET, LOUD)] * reply
    figures = measured(frames)
    assert figures.interruptions["agent"] == 0
    assert figures.interruptions["customer"] == (1 if overlap >= RULES.frames(RULES.min_overlap_s) else 0)


@given(st.integers(2, 20), st.integers(1, 4), st.integers(2, 20), st.integers(0, 2))
def test_a_pause_between_words_talked_over_is_not_cutting_in_again(
    before: int, first: int, second: int, pause: int
) -> None:
    """The caller cuts in on the agent, who pauses between two words (within the hangover) and goes on under the
    caller: still one interruption, the caller's; the agent did not cut in on them."""
    overlap = [(LOUD, LOUD)] * first + [(LOUD, QUIET)] * pause + [(LOUD, LOUD)] * second
    figures = measured([(QUIET, LOUD)] * before + overlap + [(LOUD, QUIET)] * 4)
    assert figures.interruptions["agent"] == 0
    assert figures.interruptions["customer"] <= 1


@given(st.integers(0, 400), st.integers(1, 200))
def test_pace_is_words_over_the_sides_own_talk_time(words: int, talking: int) -> None:
    meter = TalkMeter()
    for _ in range(talking):
        meter.frame(QUIET, LOUD)
    for _ in range(40):  # the caller speaks after: the agent's pace does not slow for it
        meter.frame(LOUD, QUIET)
    meter.words("agent", words)
    figures = meter.figures()
    talk = figures.talk_s["agent"]
    assert talk == (talking + RULES.hangover_frames) * RULES.frame_s
    assert figures.pace_wpm("agent") == (round(words * 60 / talk) if words else None)
    assert figures.pace_wpm("customer") is None


@given(calls)
def test_the_event_says_the_figures_in_whole_percent(frames: list[tuple[int, int]]) -> None:
    figures = measured(frames)
    event = CallCoachingEvent.of("c-1", "agent-001", figures, RULES)
    assert event.customer_share_pct + event.agent_share_pct == (100 if sum(figures.talk_s.values()) else 0)
    assert abs(event.agent_share_pct - 100 * figures.share("agent")) <= 0.5 + 1e-9
