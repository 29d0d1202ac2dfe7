"""The knowledge base through the desk's own CRM backends: the HTTP client against the real mock CRM on loopback.

What the desk reads is plain text with the matches as offsets; a CRM that serves a knowledge base is resolved to
itself, one that does not to the stand-in that refuses in one sentence."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.errors import BackendError, NotServed
from agent_desktop.domain.knowledge.protocol import NoKnowledge, knowledge_base, serves_knowledge
from agent_desktop.domain.knowledge.query import query_from_message
from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN, MockSettings
from tests.support.in_process.crm import InProcessCrm


@pytest.fixture
async def crm(shared_crm_url: str) -> AsyncIterator[HttpCrm]:
    backend = HttpCrm(shared_crm_url, DEMO_CRM_TOKEN)
    yield backend
    await backend.aclose()


async def test_a_search_reads_ranked_hits_with_plain_passages(crm: HttpCrm) -> None:
    hits = await knowledge_base(crm).search_articles("refund duplicate payment", limit=3)
    assert [hit.title for hit in hits][0].startswith("Refund a duplicate ")
    assert len(hits) == 3
    assert hits[0].queue == "billing"
    assert hits[0].section == "Refunds"
    assert {w.lower() for w in hits[0].snippet.matched()} <= {"refund", "refunds", "duplicate", "payment", "payments"}
    article = await crm.article(hits[0].id)
    assert article.title == hits[0].title
    assert article.url == hits[0].url
    assert "Policy\n- " in article.body


async def test_articles_suggested_from_a_customers_message_are_about_it(crm: HttpCrm) -> None:
    message = "hi, my doorbell camera won't pair with my android phone, tried twice already!!"
    hits = await crm.search_articles(query_from_message(message), limit=2)
    assert hits[0].title == "Pair a doorbell camera with an Android phone"


async def test_what_cannot_be_searched_is_said_not_sent_as_syntax(crm: HttpCrm) -> None:
    assert await crm.search_articles('"unbalanced (quote', limit=1) is not None
    with pytest.raises(BackendError) as refused:
        await crm.search_articles("?!", limit=5)
    assert refused.value.status == 422
    assert "no word to search for" in refused.value.message
    with pytest.raises(BackendError) as missing:
        await crm.article("kb-99999")
    assert missing.value.status == 404


async def test_a_crm_without_a_knowledge_base_gets_the_stand_in(
    crm: HttpCrm, shared_mock_settings: MockSettings
) -> None:
    assert serves_knowledge(crm)
    assert knowledge_base(crm) is crm
    in_process = InProcessCrm.__new__(InProcessCrm)  # its methods are what is read, not its state
    assert not serves_knowledge(in_process)
    stand_in = knowledge_base(in_process)
    assert isinstance(stand_in, NoKnowledge)
    with pytest.raises(NotServed, match="A knowledge base is not on this CRM."):
        await stand_in.search_articles("refund")
