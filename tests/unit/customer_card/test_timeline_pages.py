"""The CRM's timeline pages on a caller's lookup: the newest page replaces what was there, an older one
is added to it (each item once, newest first, the consent kept from the newest), and a page for a customer the card
no longer shows (the agent picked another meanwhile) changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agent_desktop.agent_desk.callers.lookups import CallerLookup, CallerLookups
from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage
from agent_desktop.domain.models import Customer, CustomerRecord, LookupResult

ANN, BOB = Customer(id="cus-1", name="Ann"), Customer(id="cus-2", name="Bob")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _page(numbers: range, more: bool, consent: bool | None = True) -> TimelinePage:
    items = [TimelineItem(id=f"i-{n}", at=T0 - timedelta(hours=n), kind="call") for n in numbers]
    return TimelinePage(consent={"sms": consent}, items=items, next_before=f"cursor-{numbers[-1]}" if more else None)


def test_pages_of_the_timeline_add_up_on_the_lookup_of_the_customer_shown() -> None:
    changed: list[str] = []
    lookups = CallerLookups(changed.append)
    lookups["c-1"] = CallerLookup("+15125550100")
    lookups.found("c-1", LookupResult(customers=[ANN]), CustomerRecord(customer=ANN))
    assert not lookups.timeline_page("c-1", BOB.id, _page(range(3), True), older=False), "another customer's"
    assert lookups["c-1"].timeline is None
    version = lookups["c-1"].version
    assert lookups.timeline_page("c-1", ANN.id, _page(range(3), True), older=False)
    assert lookups["c-1"].version > version
    assert changed[-1] == "c-1"
    assert lookups.timeline_page("c-1", ANN.id, _page(range(2, 5), False, consent=None), older=True)
    timeline = lookups["c-1"].timeline
    assert timeline is not None
    assert [i.id for i in timeline.items] == ["i-0", "i-1", "i-2", "i-3", "i-4"], "each once, newest first"
    assert (timeline.next_before, timeline.consent) == (None, {"sms": True})
    lookups.timeline_page("c-1", ANN.id, _page(range(1), True), older=False)
    assert [i.id for i in lookups["c-1"].timeline.items] == ["i-0"], "the newest page again starts over"
    lookups.timeline_failed("c-1", ANN.id, "503 unavailable")
    assert lookups["c-1"].timeline_error == "503 unavailable"
