"""The mock CRM's knowledge base over real HTTP: ranked search with plain-text passages, articles whole, and a
precise 4xx for anything an agent can type that cannot be searched — never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop_mocks.ccaas.settings import DEMO_CRM_TOKEN
from tests.support.hypothesis_profiles import examples


@pytest.fixture(scope="module")
def crm(shared_crm_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=shared_crm_url, headers={"Authorization": f"Bearer {DEMO_CRM_TOKEN}"}, timeout=10
    ) as client:
        yield client


def test_a_search_ranks_the_article_asked_about_first_with_its_passage(crm: httpx.Client) -> None:
    answer = crm.get("/v1/knowledge/search", params={"q": "internet keeps dropping gateway", "limit": 3})
    assert answer.status_code == 200
    hits = answer.json()["hits"]
    assert len(hits) == 2
    assert all(hit["title"].startswith("Internet keeps dropping on Fiber") for hit in hits)
    assert all("fiber gateway" in hit["title"] for hit in hits)
    assert hits[0]["score"] >= hits[1]["score"]
    text, matches = hits[0]["snippet"]["text"], hits[0]["snippet"]["matches"]
    assert matches
    assert all(
        text[start:end].lower().startswith(("internet", "drop", "fiber", "gateway", "keep")) for start, end in matches
    )
    assert hits[0]["url"].startswith("https://help.example.com/hc/en-us/articles/")


def test_an_article_is_read_whole_as_plain_text(crm: httpx.Client) -> None:
    hit = crm.get("/v1/knowledge/search", params={"q": "reset password web portal", "limit": 1}).json()["hits"][0]
    article = crm.get(f"/v1/knowledge/articles/{hit['id']}").json()
    assert article["title"] == hit["title"] == "Reset the password of the web portal"
    assert "\n\nSteps\n1. Verify the customer" in article["body"]
    assert article["queue"] == "tech_support"
    assert crm.get("/v1/knowledge/articles/kb-99999").status_code == 404


def test_every_word_is_needed_unless_no_article_has_them_all(crm: httpx.Client) -> None:
    every = crm.get("/v1/knowledge/search", params={"q": "refund paypal", "limit": 50}).json()["hits"]
    assert [hit["title"] for hit in every] == ["Refund a duplicate PayPal payment"]
    some = crm.get("/v1/knowledge/search", params={"q": "paypal zebra", "limit": 50}).json()["hits"]
    assert len(some) > 1
    assert all("zebra" not in hit["snippet"]["text"].lower() for hit in some)


def test_the_queue_filter_keeps_one_queues_articles(crm: httpx.Client) -> None:
    hits = crm.get("/v1/knowledge/search", params={"q": "refund", "queue": "billing", "limit": 50}).json()["hits"]
    assert hits
    assert {hit["queue"] for hit in hits} == {"billing"}


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"q": ""}, "q has no word to search for"),
        ({"q": '" ( * ) :'}, "q has no word to search for"),
        ({"q": "refund", "limit": 0}, "greater than or equal to 1"),
        ({"q": "refund", "limit": 51}, "less than or equal to 50"),
        ({"q": "refund", "limit": "ten"}, "valid integer"),
        ({"q": "x" * 501}, "at most 500 characters"),
        ({"q": "refund", "queue": "marketing"}, "no articles for queue 'marketing': billing, sales, tech_support"),
        ({}, "Field required"),
    ],
)
def test_what_cannot_be_searched_is_a_precise_422(crm: httpx.Client, params: dict[str, Any], detail: str) -> None:
    answer = crm.get("/v1/knowledge/search", params=params)
    assert answer.status_code == 422
    assert detail in answer.text


@pytest.mark.parametrize("typed", ['"unbalanced quote', "refund*", "NEAR(refund visa, 2)", "title:refund", "a OR"])
def test_fts_syntax_typed_by_an_agent_is_searched_as_words(crm: httpx.Client, typed: str) -> None:
    assert crm.get("/v1/knowledge/search", params={"q": typed}).status_code == 200


@pytest.mark.parametrize("raw", ["q=%FF%FE", "q=%00refund", "q=refund&q=visa", "q=%E2%80%AErefund", "limit=5"])
def test_bytes_no_client_would_send_are_never_a_server_error(crm: httpx.Client, raw: str) -> None:
    assert crm.get(f"/v1/knowledge/search?{raw}").status_code in (200, 422)


@settings(max_examples=examples(150), deadline=None)
@given(typed=st.text(st.characters(exclude_categories=["Cs"]), max_size=600), limit=st.integers(-2, 60))
def test_any_text_typed_as_a_query_is_answered_or_refused_precisely(crm: httpx.Client, typed: str, limit: int) -> None:
    answer = crm.get("/v1/knowledge/search", params={"q": typed, "limit": limit})
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 200:
        for hit in answer.json()["hits"]:
            text = hit["snippet"]["text"]
            assert all(0 <= start < end <= len(text) for start, end in hit["snippet"]["matches"])
