"""The contact center's working day: fixed at 08:00 UTC unless laid around the first start in a time zone; laid so,
every agent's shift is under way at the start whatever the hour; kept across a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from agent_desktop_mocks.ccaas.api.app import create_app
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.ccaas.workforce.working_day import day_around, fixed_day
from agent_desktop_mocks.cli import build_parser, settings_from_args
from agent_desktop_mocks.common.clock import ManualClock

NEW_YORK, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")


def test_a_fixed_day_opens_at_eight_utc() -> None:
    day = fixed_day(date(2026, 11, 20))
    assert day.opening(date(2026, 11, 21)) == datetime(2026, 11, 21, 8, tzinfo=UTC)


@pytest.mark.parametrize("hour", [0, 2, 6, 13, 22, 23])
def test_a_day_around_the_start_opens_five_hours_before_it_on_the_half_hour(hour: int) -> None:
    start = datetime(2026, 11, 20, hour, 40, tzinfo=NEW_YORK)
    day = day_around(start, NEW_YORK)
    assert day.opens == start.replace(minute=30) - timedelta(hours=5)
    assert day.day == day.opens.date(), "the day is the opening's, in the zone"
    assert day.opening(day.day) == day.opens.astimezone(UTC)


def test_the_next_days_open_at_the_same_local_time_across_a_change_of_summer_time() -> None:
    day = day_around(datetime(2026, 10, 24, 15, 0, tzinfo=BERLIN), BERLIN)  # summer time ends on the 25th
    assert day.opening(day.day).astimezone(BERLIN).hour == 10
    assert day.opening(day.day + timedelta(days=2)).astimezone(BERLIN).hour == 10


def test_an_unknown_zone_is_refused_and_local_is_the_machines() -> None:
    with pytest.raises(ValidationError, match="not a time zone"):
        MockSettings(working_day_zone="Mars/Olympus")
    local = MockSettings(working_day_zone="local").working_day_tz()
    assert local is not None
    assert local.utcoffset(None) == datetime.now().astimezone().utcoffset()
    assert MockSettings().working_day_tz() is None


@pytest.mark.parametrize("hour", [22, 6])
def test_every_shift_is_under_way_at_the_start_and_a_restart_keeps_the_day(tmp_path: Path, hour: int) -> None:
    start = datetime(2026, 11, 20, hour, 10, tzinfo=NEW_YORK)
    settings = MockSettings(data_dir=tmp_path, simulator=False, fresh=True, working_day_zone="America/New_York")
    first = create_app(settings, clock=ManualClock(start))
    workforce = first.state.workforce
    schedules = workforce.schedules(None, first.state.engine.read.agents())
    assert len(schedules) == settings.agents
    assert all(s.shift_start <= start < s.shift_end for s in schedules), "the whole floor on shift at the start"
    kinds = {a.activity for s in schedules for a in s.activities if a.start <= start + timedelta(hours=2)}
    assert {"break", "lunch"} & kinds, "breaks or lunches around the start"
    first.state.db.close()

    later = create_app(settings.model_copy(update={"fresh": False}), clock=ManualClock(start + timedelta(hours=3)))
    assert later.state.workforce.working_day == workforce.working_day
    assert later.state.workforce.schedules(None, later.state.engine.read.agents()) == schedules
    later.state.db.close()


def test_the_mock_servers_lay_the_day_around_their_start_in_the_local_zone_unless_told() -> None:
    assert settings_from_args(build_parser().parse_args([])).working_day_zone == "local"  # what `demo` starts
    assert settings_from_args(build_parser().parse_args(["--working-day", "fixed"])).working_day_zone is None
    assert (
        settings_from_args(build_parser().parse_args(["--working-day", "Asia/Tokyo"])).working_day_zone == "Asia/Tokyo"
    )
