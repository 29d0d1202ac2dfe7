"""The demo's knowledge base as rows: every topic of the table made into its articles, deterministically by seed.

An article's body is plain text: the summary, numbered steps, the policy and one or two of the topic's tips (the
seed chooses which). The shipped table makes a few hundred articles; asked for more (a benchmark's 10,000), the
same articles come round again as the editions a large contact center keeps for its other lines of business
("… — Prepaid", "… — Business accounts"), each with its own id and its own choice of tips.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from agent_desktop_mocks.crm.knowledge.table import Audience, KnowledgeTable, Topic, shipped

HELP_CENTER = "https://help.example.com/hc/en-us/articles"
EDITIONS = (
    "Prepaid",
    "Business accounts",
    "Legacy plans (before 2024)",
    "Wholesale partners",
    "Students and seniors",
    "Government accounts",
    "Retail stores",
    "Partner resellers",
)
MARKERS = re.compile("[\ue000\ue001]")  # the search's own highlight markers (store.py): never in a text


@dataclass(frozen=True)
class ArticleRow:
    id: str
    title: str
    body: str
    queue: str
    section: str
    url: str
    audience: Audience = "internal"
    topic: str = ""  # the table's topic it was made from (not kept: a test's way back from an article to its topic)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]


def _body(topic: Topic, names: dict[str, str], rng: random.Random) -> str:
    def fill(text: str) -> str:
        return MARKERS.sub("", text.format(**names))

    tips = rng.sample(topic.tips, k=min(len(topic.tips), rng.choice((1, 2)))) if topic.tips else []
    parts = [fill(topic.summary)]
    parts.append("Steps\n" + "\n".join(f"{n}. {fill(step)}" for n, step in enumerate(topic.steps, 1)))
    parts.append("Policy\n" + "\n".join(f"- {fill(rule)}" for rule in topic.policy))
    if tips:
        parts.append("Tips\n" + "\n".join(f"- {fill(tip)}" for tip in tips))
    return "\n\n".join(parts)


def _written(table: KnowledgeTable) -> list[tuple[Topic, dict[str, str]]]:
    return [(topic, names) for topic in table.topic for names in topic.combinations()]


def articles(seed: int, count: int | None = None, table: KnowledgeTable | None = None) -> Iterator[ArticleRow]:
    """The articles: every combination of the table once (`count` None), or exactly `count`, editions after them."""
    written = _written(table or shipped())
    total = len(written) if count is None else count
    rng = random.Random(f"{seed}:knowledge")
    for n in range(total):
        topic, names = written[n % len(written)]
        round_ = n // len(written)
        title = MARKERS.sub("", topic.title.format(**names))
        if round_:
            edition = EDITIONS[(round_ - 1) % len(EDITIONS)]
            again = (round_ - 1) // len(EDITIONS)
            title = f"{title} — {edition}" + (f" ({again + 1})" if again else "")
        number = n + 1
        yield ArticleRow(
            id=f"kb-{number:05d}",
            title=title,
            body=_body(topic, names, rng),
            queue=topic.queue,
            section=topic.section,
            url=f"{HELP_CENTER}/{number}-{_slug(title)}",
            audience=topic.audience,
            topic=topic.id,
        )
