"""What the RT backend serves beyond the CRM protocol suite, on a real Request Tracker 5: RT's Articles as the
knowledge base (found by a word only their body holds, read whole) and a caller popped by their account number
(a user custom field)."""

from __future__ import annotations

from pathlib import Path

from agent_desktop.adapters.request_tracker.crm import RequestTrackerCrm
from agent_desktop.domain.knowledge.protocol import knowledge_base
from tests.support.protocol_rigs.crm import REQUEST_TRACKER_GROUP
from tests.support.protocol_rigs.refusals import refused
from tests.support.request_tracker import fresh_rt

pytestmark = REQUEST_TRACKER_GROUP  # the scenarios on RT share one worker's one RT


async def test_an_article_is_found_by_a_word_of_its_body_and_read_whole(tmp_path: Path) -> None:
    with fresh_rt() as rt:
        crm = RequestTrackerCrm(rt.url, rt.token)
        try:
            articles = knowledge_base(crm)
            hits = await articles.search_articles("ledger")
            assert [hit.title for hit in hits] == ["Refund a duplicate charge"]
            whole = await articles.article(hits[0].id)
            assert whole.body == "Check the ledger, then refund the second charge in full."
            assert (await refused(articles.search_articles("?!"))).status == 422
        finally:
            await crm.aclose()


async def test_a_caller_pops_by_account_number(tmp_path: Path) -> None:
    with fresh_rt() as rt:
        crm = RequestTrackerCrm(rt.url, rt.token)
        try:
            billy = (await crm.customer_record("billy.smith3@example.com")).customer
            assert billy.account_number
            found = await crm.lookup_account(billy.account_number)
            assert (found.matched_on, [c.name for c in found.customers]) == ("account", ["Billy Smith"])
            assert found.record is not None
        finally:
            await crm.aclose()
