"""The rules that keep a customer's timeline one list (domain/customers/timeline.py): pages merged are newest first,
nothing lost, nothing twice where pages overlap (a page fetched again, a record's lines and the CRM's page); a
timeline walked page by page by its cursors is the whole of it, once; the record's own lines carry the CRM's ids;
a CRM without the method (a plug-in) or without the capability serves none."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.capabilities import CrmCapabilities
from agent_desktop.domain.customers.timeline import TimelineItem, TimelinePage, from_record, merged, order_key, page_of
from agent_desktop.domain.models import Case, Customer, CustomerRecord, Interaction
from agent_desktop.domain.protocols import customer_timelines

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

items = st.lists(
    st.builds(
        lambda n, minutes, kind: TimelineItem(id=f"i-{n}", at=T0 - timedelta(minutes=minutes), kind=kind),
        st.integers(0, 40),
        st.integers(0, 20),  # few distinct times: ties on time are ordered by id
        st.sampled_from(["call", "chat", "case_opened", "evaluation", "weird kind ☃"]),
    ),
    max_size=40,
    unique_by=lambda item: item.id,
)


@given(items, st.data())
def test_pages_merged_are_newest_first_each_item_once_and_none_lost(
    everything: list[TimelineItem], data: st.DataObject
) -> None:
    pages = [data.draw(st.lists(st.sampled_from(everything), max_size=15)) if everything else [] for _ in range(4)]
    together = merged(*pages, pages[0])  # the first page again: it overlaps every other
    keys = [order_key(item) for item in together]
    assert keys == sorted(keys, reverse=True), "newest first"
    assert len({item.id for item in together}) == len(together), "no item twice"
    assert {item.id for item in together} == {item.id for page in pages for item in page}, "none lost"


@given(items, st.integers(1, 12))
def test_a_timeline_walked_by_its_cursors_is_the_whole_of_it_once(everything: list[TimelineItem], limit: int) -> None:
    walked, before = [], None
    for _ in range(len(everything) + 2):
        page = page_of(everything, {}, before, limit)
        assert len(page.items) <= limit
        walked += page.items
        before = page.next_before
        if before is None:
            break
    assert [item.id for item in walked] == [item.id for item in merged(everything)]


def test_a_later_copy_of_an_item_wins_and_a_naive_time_is_read_as_utc() -> None:
    opened = TimelineItem(id="case-1:opened", at=T0, kind="case_opened", summary="case-1 · open")
    again = opened.model_copy(update={"summary": "case-1 · closed"})
    naive = TimelineItem(id="n-1", at=(T0 + timedelta(minutes=1)).replace(tzinfo=None), kind="note")
    assert [i.summary for i in merged([opened], [again, naive])] == ["", "case-1 · closed"]


def test_a_records_timeline_has_the_crms_ids_and_kinds() -> None:
    customer = Customer(id="cus-1", name="Ana", consent_sms=True)
    record = CustomerRecord(
        customer=customer,
        interactions=[
            Interaction(id="int-1", channel="voice", direction="outbound", ended_at=T0, created_at=T0),
            Interaction(id="int-2", channel="sms", direction="outbound", created_at=T0 - timedelta(hours=1)),
            Interaction(id="int-3", channel="chat", created_at=T0 - timedelta(hours=2), transcript_count=3),
        ],
        cases=[Case(id="case-1", customer_id="cus-1", subject="Refund", status="open", opened_at=T0 + timedelta(1))],
    )
    got = [(i.id, i.kind, i.transcript_count) for i in from_record(record)]
    assert got == [
        ("case-1:opened", "case_opened", 0),
        ("int-1", "callback", 0),
        ("int-2", "follow_up", 0),
        ("int-3", "chat", 3),
    ]


class _PhoneBook:
    capabilities = CrmCapabilities()


class _Served(_PhoneBook):
    async def customer_timeline(self, customer_id: str, before: str | None = None, limit: int = 50) -> TimelinePage:
        raise NotImplementedError  # only that it is there is read


def test_a_crm_serves_timelines_only_with_the_method_and_the_capability() -> None:
    served = _Served()
    assert customer_timelines(_PhoneBook()) is None
    assert customer_timelines(served) is served
    served.capabilities = replace(CrmCapabilities(), timeline=False)
    assert customer_timelines(served) is None
