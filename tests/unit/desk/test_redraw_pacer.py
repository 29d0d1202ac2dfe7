"""The one redraw pacer both desks' screens and panels draw through (agent_desktop/ui/shared/redraw_pacer.py), searched
over any run of announcements, turns of the owner, steps of the clock, keys' turns and lookups: what the user sees is
never more than one frame a turn, never two paced frames closer than the screen's interval, never an offer drawn
without its caller's record while that lookup is within its wait, and never a change left undrawn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.changes import ChangeFeed
from agent_desktop.ui.shared.redraw_pacer import RedrawPacer
from tests.support.hypothesis_profiles import NOT_TIMED, examples


@dataclass
class Timer:
    due: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class Stage:
    """The owner's turns, the clock and the timers, stepped by the test (time is a knob)."""

    now: float = 0.0
    queued: list[Callable[[], None]] = field(default_factory=list)
    timers: list[Timer] = field(default_factory=list)

    def call_later(self, callback: Callable[[], None]) -> bool:
        self.queued.append(callback)
        return True

    def later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def turn(self) -> None:
        """One turn of the owner: what was queued before it runs; the timers due by now fire first."""
        for timer in [t for t in self.timers if t.due <= self.now and not t.cancelled]:
            timer.cancelled = True
            timer.callback()
        queued, self.queued = self.queued, []
        for callback in queued:
            callback()


STEPS = st.lists(
    st.one_of(
        st.just(("announce", 0.0)),
        st.just(("turn", 0.0)),
        st.just(("settle", 0.0)),
        st.just(("lookup", 0.0)),
        st.just(("answer", 0.0)),
        st.tuples(st.just("advance"), st.floats(0.001, 0.2)),
    ),
    max_size=40,
)


@settings(max_examples=examples(300), **NOT_TIMED)
@given(STEPS, st.sampled_from([0.0, 0.05]), st.sampled_from([0.0, 0.05]))
def test_one_frame_a_turn_paced_held_for_a_lookup_a_moment_and_nothing_left_undrawn(
    steps: list[tuple[str, float]], every_s: float, lookups_s: float
) -> None:
    asyncio.run(_run(steps, every_s, lookups_s))


async def _run(steps: list[tuple[str, float]], every_s: float, lookups_s: float) -> None:
    stage, feed = Stage(), ChangeFeed()
    frames: list[tuple[float, bool]] = []  # (when, drawn in a key's turn)
    in_key = False
    lookups: list[asyncio.Future[object]] = []
    held_since: float | None = None  # since when a lookup has been under way, unanswered

    def draw() -> None:
        frames.append((stage.now, in_key))

    pacer = RedrawPacer(
        stage, draw, feeds=(feed,), every_s=every_s, lookups_s=lookups_s, clock=lambda: stage.now, later=stage.later
    )
    loop = asyncio.get_running_loop()
    for kind, step in steps:
        before = len(frames)
        if kind == "announce":
            feed.announce()
        elif kind == "lookup":
            lookup: asyncio.Future[object] = loop.create_future()
            lookups.append(lookup)
            feed.announce()  # the offer applied, then its caller's lookup started in the same turn
            feed.drawn_with(lookup)
            held_since = stage.now if held_since is None else held_since
        elif kind == "answer" and lookups:
            lookups.pop(0).set_result(None)
            await asyncio.sleep(0)  # its end is announced by the feed (a done callback)
            if not lookups:
                held_since = None
        elif kind == "advance":
            stage.now += step
        elif kind == "settle":
            in_key = True
            pacer.settle()
            in_key = False
        else:
            stage.turn()
        drawn = frames[before:]
        assert len(drawn) <= 1, f"{kind}: {len(drawn)} frames in one turn"
        for at, by_key in drawn:
            if lookups and lookups_s and held_since is not None:
                assert at - held_since >= lookups_s, "drawn without the caller's record, inside the lookup's wait"
            if not by_key and len(frames) > len(drawn):
                assert at - frames[-len(drawn) - 1][0] >= every_s - 1e-9, "two paced frames closer than the pace"
    for lookup in lookups:  # the rest answered (or not: waited for at most lookups_s)
        lookup.set_result(None)
    await asyncio.sleep(0)
    stage.now += max(every_s, lookups_s) + 1
    stage.turn()
    stage.turn()
    assert not pacer.pending, "a change announced was never drawn"
