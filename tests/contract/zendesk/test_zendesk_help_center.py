"""Zendesk Help Center as the desk's knowledge base: the Zendesk backend against the Zendesk-shaped mock, every
exchange checked against docs/vendors/zendesk-support.openapi.yaml, and the mock against what the Help Center API
reference says Search Articles does (docs/vendors/zendesk.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlite_utils
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.zendesk.crm import ZendeskCrm
from agent_desktop.domain.errors import BackendError
from agent_desktop.domain.knowledge.protocol import knowledge_base, serves_knowledge
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.crm.knowledge.seed import ArticleRow
from agent_desktop_mocks.zendesk.app import create_app
from agent_desktop_mocks.zendesk.settings import DEMO_ZENDESK_EMAIL, DEMO_ZENDESK_TOKEN
from tests.contract.zendesk_contract import ContractTransport
from tests.support.hypothesis_profiles import examples

HOSTILE = ArticleRow(
    id="kb-09999",
    title="Escape sequences <b>in</b> [red]markup[/red] \x1b[31m",
    queue="billing",
    section="Refunds",
    body="A refund of <script>alert(1)</script> &amp; [bold]markup[/bold] in an article about hostile refund text.",
    url="https://help.example.com/hc/en-us/articles/9999-hostile",
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder: Path = tmp_path_factory.mktemp("zendesk-kb")
    built = create_app(MockSettings(data_dir=folder, seed=7, customers=20, simulator=False, fresh=True))
    knowledge_store.insert_articles(sqlite_utils.Database(folder / "crm.db"), [HOSTILE])
    return built


@pytest.fixture
async def zendesk(app: FastAPI) -> AsyncIterator[ZendeskCrm]:
    backend = ZendeskCrm(
        "http://zendesk.test",
        DEMO_ZENDESK_EMAIL,
        DEMO_ZENDESK_TOKEN,
        transport=ContractTransport(httpx.ASGITransport(app)),
    )
    yield backend
    await backend.aclose()


@pytest.fixture
def raw(app: FastAPI) -> Iterator[httpx.Client]:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://zendesk.test") as client:
        client.auth = (f"{DEMO_ZENDESK_EMAIL}/token", DEMO_ZENDESK_TOKEN)
        yield client


async def test_the_help_center_is_the_zendesk_crms_knowledge_base(zendesk: ZendeskCrm) -> None:
    assert serves_knowledge(zendesk)
    assert knowledge_base(zendesk) is zendesk
    hits = await zendesk.search_articles("refund duplicate paypal", limit=3)
    assert [hit.title for hit in hits] == ["Refund a duplicate PayPal payment"]
    assert hits[0].queue == "billing"
    assert [hit.score for hit in await zendesk.search_articles("duplicate payment", limit=3)] == [3.0, 2.0, 1.0]
    assert {word.lower() for word in hits[0].snippet.matched()} <= {"refund", "refunds", "duplicate", "paypal"}
    article = await zendesk.article(hits[0].id)
    assert article.title == hits[0].title
    assert article.url.startswith("https://help.example.com/hc/en-us/articles/")
    assert "\n\nSteps\n1. Verify the account holder" in article.body
    assert "\n- Never refund to a different" in article.body


async def test_an_article_for_everyone_is_the_customers_one_kept_to_a_segment_internal(
    zendesk: ZendeskCrm, raw: httpx.Client
) -> None:
    """Zendesk's `user_segment_id`: null, "accessible to everyone" (a Help Center page a reply may quote); a segment's
    id (the mock's "Agents and managers"), internal. The desk reads each as its audience, on a hit and an article."""
    page = (await zendesk.search_articles("charged twice double charge", limit=1))[0]
    procedure = (await zendesk.search_articles("refund duplicate paypal", limit=1))[0]
    assert (page.audience, procedure.audience) == ("customer", "internal")
    assert (await zendesk.article(page.id)).audience == "customer"
    assert (await zendesk.article(procedure.id)).audience == "internal"
    found = raw.get("/api/v2/help_center/articles/search", params={"query": "charged twice double charge"}).json()
    assert found["results"][0]["user_segment_id"] is None


async def test_a_hostile_article_is_read_as_the_characters_it_holds(zendesk: ZendeskCrm) -> None:
    hit = next(h for h in await zendesk.search_articles("hostile refund text", limit=5) if h.id == "9999")
    assert hit.title == HOSTILE.title  # a title is text in Zendesk's JSON: never read as markup
    assert "<script>alert(1)</script> &amp; [bold]markup[/bold]" in hit.snippet.text
    assert {hit.snippet.text[s:e] for s, e in hit.snippet.matches} == {"refund", "hostile", "text"}
    article = await zendesk.article("9999")
    assert article.body == HOSTILE.body


async def test_the_queue_is_asked_as_a_label_and_a_query_without_words_is_not_sent(zendesk: ZendeskCrm) -> None:
    hits = await zendesk.search_articles("refund", limit=50, queue="sales")
    assert hits
    assert {hit.queue for hit in hits} == {"sales"}
    with pytest.raises(BackendError) as refused:
        await zendesk.search_articles("!?", limit=5)
    assert refused.value.status == 422
    with pytest.raises(BackendError) as missing:
        await zendesk.article("kb-00001")
    assert missing.value.status == 404


def test_search_articles_pages_25_by_default_with_em_snippets(raw: httpx.Client) -> None:
    page = raw.get("/api/v2/help_center/articles/search", params={"query": "refund"}).json()
    assert len(page["results"]) == 25
    assert page["next_page"]
    assert page["previous_page"] is None
    first = page["results"][0]
    assert first["result_type"] == "article"
    assert "<em>" in first["snippet"]
    assert "</em>" in first["snippet"]


def test_search_articles_needs_a_query_or_a_filter_and_pages_within_1000(raw: httpx.Client) -> None:
    assert raw.get("/api/v2/help_center/articles/search").status_code == 400
    assert raw.get("/api/v2/help_center/articles/search", params={"query": "x", "per_page": 101}).status_code == 400
    past = raw.get("/api/v2/help_center/articles/search", params={"query": "refund", "page": 11, "per_page": 100})
    assert past.status_code == 422
    assert past.json()["error"] == "InvalidPageNumber"


@pytest.mark.parametrize("query", ['"unbalanced', "refund*", "NEAR(a b)", "title:refund", " ".join(["word"] * 1100)])
def test_any_query_is_answered_never_a_server_error(raw: httpx.Client, query: str) -> None:
    assert raw.get("/api/v2/help_center/articles/search", params={"query": query}).status_code == 200


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(st.characters(exclude_categories=["Cs"]), max_size=400), per_page=st.integers(0, 120))
def test_any_text_as_a_query_is_answered_or_refused_in_zendesks_shape(
    raw: httpx.Client, typed: str, per_page: int
) -> None:
    answer = raw.get("/api/v2/help_center/articles/search", params={"query": typed, "per_page": per_page})
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert set(answer.json()) >= {"error", "description"}
