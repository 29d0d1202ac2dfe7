"""The simulated customers' intents, read from `ccaas/data/intents.toml` and checked: per queue, why they write
and how they answer.

Each intent has an opening (chat, SMS, email), rules matched by keywords in what the agent
writes (each answers once, in the order the agent raises them), fallbacks when nothing
matches, and a second question some customers ask. Texts are `str.format` templates over the
customer's facts (customer.py): {first_name}, {email}, {order}, {amount}, {date}, {card},
{plan}, {device}; a placeholder not in that list is refused when the file is read.
"""

from __future__ import annotations

import functools
import string
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from agent_desktop_mocks.common.toml_tables import once, read_table

# The shipped tables live together in this package's `data` folder, as seed.py and ivr.py read them.
DATA = Path(__file__).resolve().parent / "data"
FACTS = frozenset({"first_name", "email", "order", "amount", "date", "card", "plan", "device"})


def _check_template(text: str) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:  # a lone brace
        raise ValueError(f"not a template ({error}): {text!r}") from None
    unknown = sorted(names - FACTS)
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} (known: {', '.join(sorted(FACTS))})")
    return text


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Words = tuple[str, ...]


class Rule(_Row):
    """Matched by a keyword in what the agent writes; the customer answers `text` (`sms` on SMS) once."""

    name: str = Field(min_length=1)
    keywords: Words = Field(min_length=1)
    text: str = Field(min_length=1)
    sms: str = Field(min_length=1)
    agent_prompt: str = Field(min_length=1, description="What a simulated agent writes to raise this rule")
    resolves: StrictBool = False  # the customer's problem is solved after this answer

    @field_validator("text", "sms")
    @classmethod
    def _templates(cls, text: str) -> str:
        return _check_template(text)


class Intent(_Row):
    id: str = Field(min_length=1)
    queue: str = Field(min_length=1)
    label: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    subject_words: Words = Field(min_length=1)  # a contact whose subject has one of these gets this intent
    opening: str = Field(min_length=1)
    opening_sms: str = Field(min_length=1)
    email_first: str = Field(min_length=1)  # the customer's first email, days ago
    email_follow_up: str = Field(min_length=1)  # the new email of the thread
    rules: tuple[Rule, ...] = Field(alias="rule", min_length=1)
    fallbacks: Words = Field(min_length=1)
    fallbacks_sms: Words = Field(min_length=1)
    second_question: str = Field(min_length=1)
    second_question_sms: str = Field(min_length=1)

    @field_validator(
        "opening", "opening_sms", "email_first", "email_follow_up", "second_question", "second_question_sms"
    )
    @classmethod
    def _template(cls, text: str) -> str:
        return _check_template(text)

    @field_validator("fallbacks", "fallbacks_sms")
    @classmethod
    def _templates(cls, texts: Words) -> Words:
        return tuple(_check_template(text) for text in texts)

    @model_validator(mode="after")
    def _rules_named_once(self) -> Intent:
        once("rule", (rule.name for rule in self.rules))
        if not any(rule.resolves for rule in self.rules):
            raise ValueError("no rule resolves the problem (resolves = true)")
        return self


class Shared(_Row):
    """Answers every intent shares, tried after the intent's own rules."""

    anything_else: Words = Field(min_length=1)  # the agent asks whether there is anything else
    goodbye: Words = Field(min_length=1)  # the agent says goodbye
    done: str
    done_sms: str
    second_answered: str
    second_answered_sms: str
    farewell: str
    farewell_sms: str
    thanks_again: str


class AgentLines(_Row):
    """What a simulated agent writes once the intent's rules are done."""

    anything_else: str
    second_answer: str
    goodbye: str


class IntentTable(_Row):
    """intents.toml."""

    shared: Shared
    agent: AgentLines
    intents: tuple[Intent, ...] = Field(alias="intent", min_length=1)

    @model_validator(mode="after")
    def _ids_once(self) -> IntentTable:
        once("intent", (intent.id for intent in self.intents))
        return self

    @functools.cached_property
    def by_id(self) -> dict[str, Intent]:
        return {intent.id: intent for intent in self.intents}


def read_intents(path: Path, shown_as: str | None = None) -> IntentTable:
    return read_table(path, IntentTable, shown_as=shown_as)


@functools.cache
def shipped() -> IntentTable:
    """The package's own intents.toml (read once)."""
    return read_intents(DATA / "intents.toml")
