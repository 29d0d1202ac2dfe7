"""The knowledge base's data table (`crm/data/knowledge.toml`): topics, each written once and made into one article per
combination of its variants. Read and checked when the CRM starts; a bad entry stops it with one line."""

from __future__ import annotations

import string
from functools import cache
from itertools import product
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from agent_desktop_mocks.common.toml_tables import once, read_table

SHIPPED = Path(__file__).parents[1] / "data" / "knowledge.toml"  # the CRM's data folder, beside this package
# The demo's queues (ccaas/tables/data/floor.toml): an article is written for the agents of one of them.
QUEUES = ("billing", "tech_support", "sales")
# Who reads an article: the agents (an internal procedure, the default) or the customers (a Help Center page, which
# an agent may put into a reply).
Audience = Literal["internal", "customer"]


class Topic(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    queue: str
    audience: Audience = "internal"
    section: str = Field(min_length=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    steps: list[str] = Field(min_length=1)
    policy: list[str] = Field(min_length=1)
    tips: list[str] = []
    variants: dict[str, list[str]] = {}  # every list crossed with the others
    case: list[dict[str, str]] = []  # combinations given whole (a value and the facts that go with it)

    @model_validator(mode="after")
    def _checked(self) -> Self:
        if self.queue not in QUEUES:
            raise ValueError(f'queue "{self.queue}" is not one of the demo\'s ({", ".join(QUEUES)})')
        names = set(self.variants) | {name for case in self.case for name in case}
        for text in (self.title, self.summary, *self.steps, *self.policy, *self.tips):
            for _, field, _, _ in string.Formatter().parse(text):
                if field is not None and field not in names:
                    raise ValueError(f'"{{{field}}}" names no variant of the topic: {text[:60]}')
        return self

    def combinations(self) -> list[dict[str, str]]:
        """Each article's names → values: the cases (or one empty), each crossed with every variant list."""
        keys = list(self.variants)
        crossed = [dict(zip(keys, values, strict=True)) for values in product(*(self.variants[k] for k in keys))]
        return [case | values for case in (self.case or [{}]) for values in crossed]


class KnowledgeTable(BaseModel):
    topic: list[Topic] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_once(self) -> Self:
        once("topic", (t.id for t in self.topic))
        return self


@cache
def shipped() -> KnowledgeTable:
    return read_knowledge(SHIPPED)


def read_knowledge(path: Path) -> KnowledgeTable:
    """The table at `path`; `TableError` naming the file, the topic and the field."""
    return read_table(path, KnowledgeTable)
