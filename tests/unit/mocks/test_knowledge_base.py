"""The demo's knowledge base: made from its table by seed, searched by words that FTS5 never reads as syntax."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.db import Database

from agent_desktop.domain.knowledge.query import query_from_message
from agent_desktop_mocks.common.toml_tables import TableError
from agent_desktop_mocks.crm.knowledge import seed as knowledge_seed
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.crm.knowledge.table import read_knowledge


@pytest.fixture(scope="module")
def db() -> sqlite_utils.Database:
    base = sqlite_utils.Database(memory=True)
    knowledge_store.create_tables(base)
    knowledge_store.insert_articles(base, knowledge_seed.articles(7))
    return base


def test_the_demo_has_a_few_hundred_articles_for_each_of_its_queues() -> None:
    articles = list(knowledge_seed.articles(7))
    assert 200 <= len(articles) <= 400
    per_queue = Counter(a.queue for a in articles)
    assert set(per_queue) == {"billing", "tech_support", "sales"}
    assert min(per_queue.values()) >= 50
    assert len({a.id for a in articles}) == len({a.url for a in articles}) == len(articles)
    assert all("{" not in a.title + a.body and "Steps\n1. " in a.body for a in articles)


def test_the_same_seed_makes_the_same_articles_and_another_seed_other_tips() -> None:
    assert list(knowledge_seed.articles(7)) == list(knowledge_seed.articles(7))
    assert [a.body for a in knowledge_seed.articles(7)] != [a.body for a in knowledge_seed.articles(8)]


def test_asked_for_ten_thousand_it_makes_exactly_that_many_distinct_articles() -> None:
    articles = list(knowledge_seed.articles(7, count=10_000))
    assert len(articles) == 10_000
    assert len({a.id for a in articles}) == len({a.title for a in articles}) == 10_000


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("refund visa", "Refund a duplicate Visa card payment"),
        ("pair doorbell iphone", "Pair a doorbell camera with an iPhone"),
        ("set-top box E410", "Set-top box error E410"),
        ("roaming europe", "Roaming charges from a trip to Europe"),
    ],
)
def test_the_article_a_customer_asks_about_ranks_first(db: Database, query: str, title: str) -> None:
    assert knowledge_store.search(db, knowledge_store.terms(query), 3)[0].title == title


@pytest.mark.parametrize(
    ("message", "titles"),
    [
        (
            "I can't log in to the app, the reset email never arrives",
            ("Reset the password of the ", "Cannot log in to the app? Reset your password"),
        ),
        (
            "I want to add a line for my daughter to my family plan",
            ("Add a line to an account on Family 4 lines", "Add a line to your account for a family member"),
        ),
        (
            "my internet keeps dropping every evening, the router lights blink",
            ("Internet keeps dropping on ", "Internet connection keeps dropping? What to try"),
        ),
    ],
)
def test_a_customers_message_finds_its_article_though_no_article_has_every_word(
    db: Database, message: str, titles: tuple[str, ...]
) -> None:
    """The agents' procedure or the customers' page on the topic (tests/unit/assist/test_demo_knowledge.py holds
    the demo's own questions to their topics)."""
    words = knowledge_store.terms(query_from_message(message))
    assert knowledge_store.count(db, words)
    assert knowledge_store.search(db, words, 1)[0].title.startswith(titles)


@pytest.mark.parametrize(
    "typed", ['"unbalanced', "refund*", "NEAR(refund visa)", "title:refund", "refund AND", "(refund", "^refund", "-"]
)
def test_what_an_agent_types_is_words_never_fts_syntax(db: Database, typed: str) -> None:
    words = knowledge_store.terms(typed)
    hits = knowledge_store.search(db, words, 5) if words else []
    assert all(hit.queue in {"billing", "tech_support", "sales"} for hit in hits)


def test_a_hit_is_plain_text_with_its_matches_as_offsets(db: Database) -> None:
    hit = knowledge_store.search(db, knowledge_store.terms("charged twice"), 1)[0]
    assert "\ue000" not in hit.snippet
    assert "\ue001" not in hit.snippet
    assert [hit.snippet[start:end].lower() for start, end in hit.matches] == ["charged", "twice"]


def test_a_queue_keeps_its_own_articles(db: Database) -> None:
    hits = knowledge_store.search(db, knowledge_store.terms("refund"), 50, queue="sales")
    assert hits
    assert {hit.queue for hit in hits} == {"sales"}


def test_a_topic_naming_a_variant_it_lacks_stops_the_crm_with_one_line(tmp_path: Path) -> None:
    table = tmp_path / "knowledge.toml"
    table.write_text(
        '[[topic]]\nid = "x"\nqueue = "billing"\nsection = "S"\ntitle = "Refund {method}"\nsummary = "s"\n'
        'steps = ["a"]\npolicy = ["p"]\n',
        encoding="utf-8",
    )
    with pytest.raises(TableError, match='knowledge.toml: topic "x": "{method}" names no variant'):
        read_knowledge(table)
