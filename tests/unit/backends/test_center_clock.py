"""The contact center's clock as the desk reads it from its answers' `Date` (agent_desktop/domain/center_clock.py):
searched over machine clocks off by up to a day, answers of any latency, servers whose `Date` is a second old or,
busy, many seconds, steps of the machine's clock and of the contact center's; and over hostile `Date` headers (a
year 9999 crashed the desk as it drew, 2100 and 1970 moved its clock by decades), which never move the reading
further than the bound from the machine's clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.center_clock import AGREES_S, DATE_SPAN_S, KEPT, MOST_SKEW_S, CenterClock
from tests.support.hostile.headers import HTTP_DATES, wire_text

BASE = datetime(2026, 11, 27, 21, 0, tzinfo=UTC).timestamp()
MOST_LATENCY_S = 0.3


class Machine:
    """A machine whose wall clock is `skew` seconds behind the contact center's (negative: ahead), talking to it."""

    def __init__(self, skew: float) -> None:
        self.monotonic = 1000.0
        self.skew = skew
        self.center_step = 0.0  # the contact center's own clock stepped by this
        self.clock = CenterClock(local=self.local, monotonic=lambda: self.monotonic)

    def center(self) -> float:
        return BASE + self.monotonic + self.center_step

    def local(self) -> datetime:
        return datetime.fromtimestamp(self.center() - self.skew, UTC)

    def ask(self, latency: float, made_at: float, cached: float) -> None:
        """A request answered `latency` s later, its answer made `made_at` (0..1) of the way, with a `Date` `cached` s
        old, cut to the second as HTTP writes it."""
        made = self.center() + latency * made_at - cached
        self.monotonic += latency
        self.clock.heard(datetime.fromtimestamp(math.floor(made), UTC), self.monotonic)

    def error_s(self) -> float:
        return abs(self.clock.now().timestamp() - self.center())


answers = st.lists(
    st.tuples(
        st.floats(0.001, MOST_LATENCY_S),
        st.floats(0, 1),
        st.floats(0, 0.999),
        st.floats(0, 30),  # then a pause
    ),
    min_size=1,
    max_size=12,
)
WITHIN_S = DATE_SPAN_S / 2 + MOST_LATENCY_S  # the reading is the bound's middle: at worst this far off


def talk(machine: Machine, heard: list[tuple[float, float, float, float]]) -> None:
    for latency, made_at, cached, pause in heard:
        machine.ask(latency, made_at, cached)
        machine.monotonic += pause


@given(
    skew=st.floats(-MOST_SKEW_S + 60, MOST_SKEW_S - 60).filter(lambda s: abs(s) >= AGREES_S + WITHIN_S), heard=answers
)
def test_a_machine_clock_far_off_reads_the_contact_centers_time(
    skew: float, heard: list[tuple[float, float, float, float]]
) -> None:
    machine = Machine(skew)
    talk(machine, heard)
    assert machine.error_s() <= WITHIN_S


@given(skew=st.floats(-0.2, 0.2), heard=answers)
def test_a_machine_clock_that_agrees_is_used_as_it_is(
    skew: float, heard: list[tuple[float, float, float, float]]
) -> None:
    machine = Machine(skew)
    talk(machine, heard)
    assert machine.clock.now() == machine.local()


def test_before_any_answer_the_machine_clock_is_all_there_is() -> None:
    machine = Machine(600)
    assert machine.clock.now() == machine.local()


@given(skew=st.floats(300, 3600), step=st.floats(-7200, 7200), heard=answers)
def test_a_step_of_the_machine_clock_does_not_move_the_reading(
    skew: float, step: float, heard: list[tuple[float, float, float, float]]
) -> None:
    machine = Machine(skew)
    talk(machine, heard)
    machine.skew -= step  # NTP, or a hand, sets the machine's clock: the monotonic clock runs on
    assert machine.error_s() <= WITHIN_S


@given(skew=st.floats(300, 3600), step=st.floats(60, 7200), before=answers, after=answers)
def test_a_step_forward_of_the_contact_centers_clock_is_followed_from_its_next_answer(
    skew: float,
    step: float,
    before: list[tuple[float, float, float, float]],
    after: list[tuple[float, float, float, float]],
) -> None:
    machine = Machine(skew)
    talk(machine, before)
    machine.center_step = step
    talk(machine, after)
    assert machine.error_s() <= WITHIN_S


@given(skew=st.floats(300, 3600), stale=st.lists(st.floats(1, 30), max_size=KEPT - 1), heard=answers)
def test_a_busy_server_s_old_dates_do_not_pull_the_reading_back(
    skew: float, stale: list[float], heard: list[tuple[float, float, float, float]]
) -> None:
    machine = Machine(skew)
    talk(machine, heard)
    for old in stale:  # a server whose event loop was held up wrote the `Date` it kept from before
        machine.ask(0.05, 0.5, old)
    assert machine.error_s() <= WITHIN_S


@given(skew=st.floats(300, 3600), step=st.floats(60, 7200), before=answers)
def test_a_step_back_of_the_contact_centers_clock_is_followed_after_a_few_answers(
    skew: float, step: float, before: list[tuple[float, float, float, float]]
) -> None:
    machine = Machine(skew)
    talk(machine, before)
    machine.center_step = -step
    talk(machine, [(0.05, 0.5, 0.5, 1.0)] * KEPT)
    assert machine.error_s() <= WITHIN_S


def test_a_date_header_that_is_no_date_tells_nothing() -> None:
    machine = Machine(600)
    for header in (None, "", "yesterday", "Fri, 27 Nov 2026 21:00:00"):  # the last: no zone
        machine.clock.heard_header(header, 0.1)
    assert machine.clock.now() == machine.local()
    when = datetime.fromtimestamp(machine.center(), UTC) + timedelta(seconds=0)
    machine.clock.heard_header(when.strftime("%a, %d %b %Y %H:%M:%S GMT"), machine.monotonic + 0.01)
    assert machine.error_s() <= WITHIN_S


YEARS_OFF = [
    "Fri, 31 Dec 9999 23:59:59 GMT",  # ValueError (year 10000) out of the clock as the agent area drew
    "Mon, 01 Jan 2100 00:00:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Sat, 01 Jan 2000 00:00:00 +2359",
]


@pytest.mark.parametrize("header", YEARS_OFF)
def test_one_answer_dated_years_off_does_not_move_the_clock(header: str) -> None:
    machine = Machine(600)
    talk(machine, [(0.05, 0.5, 0.5, 1.0)])  # read right from an answer of the contact center's
    machine.clock.heard_header(header, machine.monotonic)
    assert machine.error_s() <= WITHIN_S, machine.clock.now()


@pytest.mark.parametrize("header", YEARS_OFF)
def test_a_first_answer_dated_years_off_leaves_the_machines_clock(header: str) -> None:
    machine = Machine(600)
    machine.clock.heard_header(header, machine.monotonic)
    assert machine.clock.now() == machine.local()


MOST_OFF = timedelta(seconds=MOST_SKEW_S + DATE_SPAN_S / 2)


@given(
    local=st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)),
    headers=st.lists(st.one_of(HTTP_DATES, wire_text()), max_size=KEPT + 2),
    received=st.floats(0, 10**9),
)
@example(  # a machine whose own clock is near the end of time, a `Date` past it within the bound
    local=datetime(9999, 12, 31, 12, tzinfo=UTC), headers=[b"Fri, 31 Dec 9999 23:59:59 GMT"], received=5.0
)
@example(
    local=datetime(2026, 11, 28, tzinfo=UTC), headers=[b"Mon, 01 Jan 99999999999999999999 00:00:00 GMT"], received=5.0
)
def test_no_date_header_moves_the_clock_past_the_bound_nor_makes_it_raise(
    local: datetime, headers: list[bytes], received: float
) -> None:
    clock = CenterClock(local=lambda: local, monotonic=lambda: received)
    for header in headers:
        clock.heard_header(header.decode("latin-1"), received)  # (httpx decodes what is not UTF-8 so)
    assert abs(clock.now() - local) <= MOST_OFF
