"""A caller's lookup says when it changed by its `version` (what the caller's card is redrawn on), not
by the object's id, which a lookup made for a contact offered again may reuse: every change the CRM's answers
make, and every new lookup, gives a version no lookup had before."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.callers.lookups import CallerLookup, CallerLookups
from agent_desktop.domain.models import Case, Customer, CustomerRecord, LookupResult

ANN, BOB = Customer(id="cus-1", name="Ann"), Customer(id="cus-2", name="Bob")
CASE = Case(
    id="case-1", customer_id="cus-1", subject="Refund", status="open", opened_at=datetime(2026, 11, 1, tzinfo=UTC)
)
CHANGES = {
    "found one": lambda lookups, cid: lookups.found(cid, LookupResult(customers=[ANN]), CustomerRecord(customer=ANN)),
    "found two": lambda lookups, cid: lookups.found(cid, LookupResult(customers=[ANN, BOB], matched_on="phone"), None),
    "failed": lambda lookups, cid: lookups.failed(cid, "timed out"),
    "waiting": lambda lookups, cid: lookups.waiting(cid, "the CRM asked to wait 2 s"),
    "existing": lambda lookups, cid: lookups.existing(cid, [ANN, BOB], "email"),
    "chosen": lambda lookups, cid: lookups.chosen(cid, CustomerRecord(customer=BOB)),
    "case opened": lambda lookups, cid: lookups.case_opened(cid, CASE),
    "made again": lambda lookups, cid: lookups.__setitem__(cid, CallerLookup("+15125550100")),
}


@given(st.lists(st.tuples(st.sampled_from(sorted(CHANGES)), st.sampled_from(["c-1", "c-2"])), max_size=30))
def test_every_change_to_a_lookup_gives_it_a_version_none_had_before(steps: list[tuple[str, str]]) -> None:
    changed: list[str] = []
    lookups = CallerLookups(changed.append)
    seen = set()
    for cid in ("c-1", "c-2"):
        lookups[cid] = CallerLookup("+15125550100")
        assert lookups[cid].version not in seen
        seen.add(lookups[cid].version)
    for name, cid in steps:
        before = (lookups[cid].version, len(changed))
        CHANGES[name](lookups, cid)
        if name == "made again" or len(changed) > before[1]:  # the desk was told: the card may redraw
            assert lookups[cid].version not in seen, name
            seen.add(lookups[cid].version)
        else:
            assert lookups[cid].version == before[0], f"{name} changed nothing, and the version stays"


def test_a_lookup_made_again_for_the_same_contact_is_not_the_one_drawn() -> None:
    lookups = CallerLookups(lambda _: None)
    lookups["c-1"] = CallerLookup("+15125550100")
    drawn = ("c-1", lookups["c-1"].version)
    lookups["c-1"] = CallerLookup("+15125550100")  # offered again: a new lookup, maybe at the old one's address
    assert ("c-1", lookups["c-1"].version) != drawn
