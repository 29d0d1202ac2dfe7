"""A queue's finished contacts by the minute: any window reads what a walk over every contact reads."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.figures.finished_log import NEVER, DayTotals, Finished, FinishedLog
from tests.support.hypothesis_profiles import examples

T0 = 1_767_600_000.0  # a minute boundary


@st.composite
def finished_contacts(draw: st.DrawFn) -> Finished:
    entered = T0 + draw(st.floats(0, 7200, allow_nan=False))
    outcome = draw(st.sampled_from(["completed", "abandoned", "answered-then-abandoned"]))
    if outcome == "abandoned":
        gave_up_at = entered + draw(st.floats(0, 600))
        return Finished(entered, NEVER, 0.0, True, gave_up_at, NEVER, 0.0)
    wait = draw(st.floats(0, 600))
    handle = draw(st.floats(0, 1800))
    if outcome == "answered-then-abandoned":  # a callback that was answered and not completed
        return Finished(entered, entered + wait, wait, True, NEVER, NEVER, 0.0)
    return Finished(entered, entered + wait, wait, False, NEVER, entered + wait + handle, handle)


def walked(contacts: list[Finished], start: float, threshold: float) -> DayTotals:
    total = DayTotals()
    for f in contacts:
        if f.entered >= start:
            total.arrived += 1
            total.cohort_abandoned += f.gave_up
        if f.answered >= start:
            total.answered += 1
            total.wait_s += f.wait_s
            total.within += f.wait_s <= threshold
        if f.abandoned >= start:
            total.abandoned += 1
        if f.completed >= start:
            total.handled += 1
            total.handle_s += f.handle_s
    return total


def same(a: DayTotals, b: DayTotals) -> bool:
    counts = ("arrived", "cohort_abandoned", "answered", "within", "abandoned", "handled")
    sums = ("wait_s", "handle_s")
    return all(getattr(a, n) == getattr(b, n) for n in counts) and all(
        abs(getattr(a, n) - getattr(b, n)) < 1e-6 * max(1.0, abs(getattr(b, n))) for n in sums
    )


@settings(max_examples=examples(300), deadline=None)
@given(
    contacts=st.lists(finished_contacts(), max_size=60),
    gone=st.sets(st.integers(0, 59)),
    starts=st.lists(st.floats(-60, 9000, allow_nan=False), min_size=1, max_size=5),
    thresholds=st.lists(st.sampled_from([0.0, 20.0, 30.0, 60.0, 600.0]), min_size=1, max_size=3),
)
def test_any_window_reads_what_walking_every_contact_reads(
    contacts: list[Finished], gone: set[int], starts: list[float], thresholds: list[float]
) -> None:
    log = FinishedLog()
    for n, finished in enumerate(contacts):
        log.put(f"c-{n}", finished)
    if contacts:
        log.put("c-0", contacts[0])  # a finished contact changed again: counted once
    for n in gone:
        if n < len(contacts):
            log.pop(f"c-{n}")
    kept = [f for n, f in enumerate(contacts) if n not in gone]
    for threshold in thresholds:
        log.set_threshold(threshold)
        for start in starts:
            assert same(log.window(T0 + start), walked(kept, T0 + start, threshold))
