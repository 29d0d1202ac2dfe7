"""The mock CRM keeps each customer's time zone (a callback is offered in the customer's own time): seeded
from the state of their address, resolvable by zoneinfo; a zone written through the API is checked, a path or an
unknown name refused in words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop_mocks.crm import seed, store
from agent_desktop_mocks.crm.schemas import CustomerCreate
from agent_desktop_mocks.crm.time_zones import STATE_ZONE, checked_zone, zone_of_address
from tests.support.narrowing import present


def test_every_seeded_customer_has_the_zone_of_their_address() -> None:
    db = sqlite_utils.Database(memory=True)
    store.create_tables(db)
    seed.seed(db, seed=7, customers=200, now=datetime(2026, 11, 26, tzinfo=UTC))
    customers = [store.get_customer(db, f"cus-{n:06d}") for n in range(1, 201)]
    zoned = [c for c in customers if c is not None and c.time_zone is not None]
    assert len(zoned) >= 190, "nearly every address is in a state the table knows"
    for customer in zoned:
        assert customer.address is not None
        city_line = ", ".join(customer.address.split(", ")[-2:])  # "Ginaville, MD 07654"
        assert customer.time_zone == zone_of_address(city_line)
        ZoneInfo(present(customer.time_zone))


def test_a_state_gives_its_zone() -> None:
    assert zone_of_address("Ginaville, MD 07654") == "America/New_York"
    assert zone_of_address("Austin, TX 73301") == "America/Chicago"
    assert zone_of_address("Somewhere, AE 09001") is None  # a military address: no state, no zone


@given(st.sampled_from(sorted(STATE_ZONE.values())))
def test_every_zone_of_the_table_is_known_to_zoneinfo(zone: str) -> None:
    assert checked_zone(zone) == zone


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/localtime", "Mars/Olympus_Mons", "Europe/"])
def test_a_customer_written_with_a_zone_that_is_not_one_is_refused_in_words(bad: str) -> None:
    with pytest.raises(ValueError, match="no IANA time zone"):
        CustomerCreate(name="Ana", time_zone=bad)
