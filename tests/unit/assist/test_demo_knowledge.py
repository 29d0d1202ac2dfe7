"""The demo's assistant on topic: what each of the demo's own customers asks — every intent's
opening by chat, SMS and email (as the mock writes it, for customers the property draws), every call script's first
line from the caller — searched as the desk searches it (`query_from_said`: latest first, an email without its
quotes, signature and dates) finds an article on that question's topic first in the demo's knowledge base. The
trial found "upgrade prices" grounded in invoice articles and searches made from a signature and a date.

The tables are the demo's (ccaas/tables/data/intents.toml and call_scripts.toml): an intent or a script added there
without its topics here fails `test_every_demo_question_has_its_topics`."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.knowledge.query import query_from_said
from agent_desktop_mocks.ccaas.conversations.customer import new_customer, opening
from agent_desktop_mocks.ccaas.core.wire.schemas import Channel
from agent_desktop_mocks.ccaas.tables import call_scripts, intents
from agent_desktop_mocks.crm.knowledge import store as knowledge_store
from agent_desktop_mocks.crm.knowledge.seed import articles

SEED = 42  # the demo's
# What each question is about: the topics of data/knowledge.toml whose articles answer it (the Help Center page to
# the customer, and the agents' procedure).
ON_TOPIC = {
    "billing_dispute": {"help-charged-twice", "refund-duplicate-charge"},
    "payment_method": {"help-update-card", "payment-method-update"},
    "refund_request": {"help-refund-add-on", "refund-request"},
    "password_reset": {"help-password", "password-reset"},
    "internet_dropping": {"help-internet-dropping", "internet-dropping"},
    "device_pairing": {"help-pairing", "device-pairing"},
    "upgrade_question": {"help-upgrade-prices", "upgrade-plan"},
    "order_not_arrived": {"help-order-late", "order-tracking"},
    "add_line": {"help-add-line", "add-line"},
    # the call scripts', by intent and variant
    "billing_inquiry/charged twice": {"help-charged-twice", "refund-duplicate-charge"},
    "billing_inquiry/a charge explained": {"help-unrecognised-charge", "invoice-line"},
    "payment/": {"help-pay-balance"},
    "tech_support/a test on the line": {"help-internet-dropping", "internet-dropping"},
    "tech_support/a slow connection": {"help-slow-internet", "slow-wifi"},
    "sales/": {"help-upgrade-prices", "upgrade-plan"},
}
WRITTEN = (Channel.CHAT, Channel.SMS, Channel.EMAIL)


@cache
def knowledge() -> tuple[sqlite_utils.Database, dict[str, str]]:
    """The demo's knowledge base as the mock CRM seeds it, and each article's topic."""
    db = sqlite_utils.Database(memory=True)
    knowledge_store.create_tables(db)
    rows = list(articles(SEED))
    knowledge_store.insert_articles(db, rows)
    return db, {row.id: row.topic for row in rows}


def first_topics(said_latest_first: list[str], subject: str | None) -> tuple[str, list[str]]:
    """The desk's query, and the topics of the best articles for it (best first)."""
    db, topic_of = knowledge()
    query = query_from_said(said_latest_first, subject)
    hits = knowledge_store.search(db, knowledge_store.terms(query), 3) if query else []
    return query, [f"{topic_of[hit.id]} ({hit.title})" for hit in hits]


def test_every_demo_question_has_its_topics() -> None:
    asked = {intent.id for intent in intents.shipped().intents}
    asked |= {f"{script.intent}/{script.variant}" for script in call_scripts.shipped().scripts}
    assert asked <= set(ON_TOPIC), f"questions of the demo with no topics here: {sorted(asked - set(ON_TOPIC))}"


@given(
    intent=st.sampled_from(intents.shipped().intents),
    channel=st.sampled_from(WRITTEN),
    contact=st.integers(min_value=1, max_value=10_000),
)
def test_each_written_question_of_the_demo_finds_an_article_on_its_topic_first(
    intent: intents.Intent, channel: Channel, contact: int
) -> None:
    state = new_customer(SEED, f"c-{contact}", intent, None, "guest@example.net", datetime(2026, 11, 28, tzinfo=UTC))
    items = opening(intent, state, channel, None)
    said = [item.text for item in reversed(items) if item.role == "customer"]  # the desk's messages, latest first
    query, found = first_topics(said, intent.subject)
    assert found, f"{intent.id} by {channel}: nothing found for {query!r}"
    topic = found[0].split(" (")[0]
    assert topic in ON_TOPIC[intent.id], f"{intent.id} by {channel}: {query!r} found first {found}"


def test_each_call_scripts_question_finds_an_article_on_its_topic_first() -> None:
    wrong = []
    for script in call_scripts.shipped().scripts:
        question = next(str(line[1]) for line in script.lines if line[0] == "customer")
        query, found = first_topics([question], None)
        if not found or found[0].split(" (")[0] not in ON_TOPIC[f"{script.intent}/{script.variant}"]:
            wrong.append(f"{script.intent}/{script.variant}: {question!r} searched as {query!r} found {found}")
    assert wrong == []
