"""The rules of a callback the agent owns (agent_desk/callbacks/callback_rules.py): what was typed read into an aware time or
refused in words, across time zones and their clock changes; the zone offered first; today's list in the agent's
zone. Hypothesis: any time in any zone, typed as its wall clock shows it, reads back to the same instant (the
repeated autumn hour to its first occurrence)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.agent_desk.callbacks.callback_rules import (
    CallbackDraft,
    CallbackTime,
    confirmation,
    draft_for,
    first_zone,
    read_time,
    todays_rows,
    zone_of,
)
from agent_desktop.domain.calls.scheduled_callback import ScheduledCallback
from tests.support.narrowing import of_kind

NOW = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
ZONES = sorted(available_timezones())


def draft(day: str, at: str, zone: str = "Europe/Paris") -> CallbackDraft:
    return CallbackDraft(day, at, zone, "note")


def test_a_time_in_the_customers_zone_is_that_instant() -> None:
    read = read_time(draft("2026-03-30", "09:15", "America/Chicago"), NOW)
    assert read == CallbackTime(datetime(2026, 3, 30, 14, 15, tzinfo=UTC), "America/Chicago")


def test_the_hour_the_clocks_skip_is_refused_naming_the_change() -> None:
    # Europe/Paris goes from 02:00 to 03:00 on 29 March 2026.
    assert read_time(draft("2026-03-29", "02:30"), NOW) == (
        "02:30 does not exist on 29 March 2026 in Europe/Paris: the clocks go forward then."
    )
    assert read_time(draft("2026-03-29", "03:00"), NOW) == CallbackTime(
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Europe/Paris"
    )


def test_the_repeated_autumn_hour_is_its_first_occurrence() -> None:
    # 25 October 2026, 02:30 happens twice in Paris: first at 00:30 UTC (summer time), then 01:30 UTC.
    read = read_time(draft("2026-10-25", "02:30"), NOW)
    assert isinstance(read, CallbackTime)
    assert read.due_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_refusals_say_what_is_wrong() -> None:
    assert of_kind(read_time(draft("2026-02-30", "10:00"), NOW), str).startswith("No such date '2026-02-30'")
    assert of_kind(read_time(draft("2026-04-01", "25:00"), NOW), str).startswith("No such time '25:00'")
    assert of_kind(read_time(draft("2026-04-01", "10:00", "Mars/Olympus"), NOW), str).startswith(
        "Unknown time zone 'Mars/Olympus'"
    )
    assert of_kind(read_time(draft("2026-04-01", "10:00", "../../etc/passwd"), NOW), str).startswith(
        "Unknown time zone"
    )
    assert (
        read_time(draft("2026-03-28", "13:00"), NOW)
        == "That time has passed: it is 2026-03-28 13:00 in Europe/Paris now."
    )
    assert read_time(draft("2026-03-28", "13:00", "Asia/Tokyo"), NOW) != "", "Tokyo's 13:00 today is long gone"
    assert isinstance(read_time(draft("2026-03-28", "13:01"), NOW), CallbackTime), "a minute on is fine"


def test_the_customers_zone_first_else_the_agents() -> None:
    assert first_zone("America/Chicago", "Europe/Paris") == "America/Chicago"
    assert first_zone(None, "Europe/Paris") == "Europe/Paris"
    assert first_zone("Eastern Time (US & Canada)", "Europe/Paris") == "Europe/Paris", "not an IANA name"


def test_the_first_draft_is_an_hour_on_at_the_quarter_in_the_zone() -> None:
    assert draft_for(NOW, "Europe/Paris") == CallbackDraft("2026-03-28", "14:00", "Europe/Paris")
    late = datetime(2026, 3, 28, 23, 20, tzinfo=UTC)
    assert draft_for(late, "UTC") == CallbackDraft("2026-03-29", "00:30", "UTC"), "past midnight: the next day"


@settings(max_examples=200)
@given(
    zone=st.sampled_from(ZONES),
    minutes=st.integers(1, 400 * 24 * 60),
)
def test_any_valid_zone_and_time_round_trips(zone: str, minutes: int) -> None:
    due = (NOW + timedelta(minutes=minutes)).replace(second=0)
    local = due.astimezone(ZoneInfo(zone))
    read = read_time(CallbackDraft(local.date().isoformat(), f"{local:%H:%M}", zone), NOW)
    assert isinstance(read, CallbackTime), read
    assert read.due_at.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == local.replace(tzinfo=None)
    if not local.fold:
        assert read.due_at == due
    else:  # the second of a repeated hour: read as the first, never later
        assert read.due_at < due


@settings(max_examples=100)
@given(zone=st.sampled_from(ZONES), minutes=st.integers(-3 * 24 * 60, 3 * 24 * 60))
def test_todays_list_holds_exactly_the_callbacks_of_the_agents_day(zone: str, minutes: int) -> None:
    due = NOW + timedelta(minutes=minutes)
    callback = ScheduledCallback(
        id="cb-1",
        agent_id="a",
        contact_id="c",
        queue_id="q",
        number="+1",
        due_at=due,
        time_zone="Asia/Tokyo",
        created_at=NOW,
        expires_at=due,
        state="queued",
    )
    rows = todays_rows([callback], zone, NOW)
    mine = zone_of(zone)
    assert bool(rows) == (due.astimezone(mine).date() == NOW.astimezone(mine).date())
    for row in rows:
        assert row.agent_time == f"{due.astimezone(mine):%H:%M}"
        assert row.state == "gone to the queue"
        assert row.customer_time == f"{due.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M} JST"


def test_a_callback_typed_in_the_customers_zone_is_confirmed_in_it_and_on_the_agents_clock() -> None:
    """23:50 in Chicago typed by an agent on UTC at 20:00: confirmed as typed (not as the UTC 05:50 under Chicago's
    name), with when it falls on the agent's own clock, which My day's list of today follows."""
    now = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
    read = of_kind(read_time(draft("2026-11-28", "23:50", "America/Chicago"), now), CallbackTime)
    assert confirmation(read, "UTC", now) == (
        "Callback at 2026-11-28 23:50 America/Chicago: 05:50 tomorrow on your clock (UTC)"
    )
    assert confirmation(read, "America/Chicago", now) == "Callback at 2026-11-28 23:50 America/Chicago"


@settings(max_examples=100)
@given(zone=st.sampled_from(ZONES), own=st.sampled_from(ZONES), minutes=st.integers(1, 3 * 24 * 60))
def test_a_confirmation_says_the_time_as_typed_in_the_zone_typed(zone: str, own: str, minutes: int) -> None:
    wall = (NOW + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
    typed = draft(f"{wall:%Y-%m-%d}", f"{wall:%H:%M}", zone)
    read = read_time(typed, NOW)
    if isinstance(read, str):  # a wall time that does not exist (a clock change) or is gone
        return
    assert confirmation(read, own, NOW).startswith(f"Callback at {typed.day} {typed.at} {zone}")
