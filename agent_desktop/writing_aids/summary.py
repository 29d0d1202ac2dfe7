"""A wrap-up summary drafted from a transcript: what the customer wanted, the facts mentioned, and what
the agent handling it wrote (what they said was done or will be done, else their last words; never an
email thread's earlier automatic acknowledgement). Rules over the text, no model: the agent reads and edits it
before saving (nothing is written to the CRM unreviewed). Card data is masked before anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.models.transcription import TranscriptionLine
from agent_desktop.domain.pci import mask_pci
from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop_pci.lazy_pattern import lazy_pattern

# Intent: the first customer message's words, first match wins (most specific first).
INTENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Billing dispute: charged twice",
        ("charged twice", "double charge", "two payments", "charged 2x", "charged twice"),
    ),
    ("Refund request", ("refund", "money back", "return")),
    (
        "Order not arrived",
        (
            "not arrived",
            "hasn't arrived",
            "has not arrived",
            "where is my order",
            "not received",
            "didn't arrive",
            "never arrived",
            "tracking",
        ),
    ),
    ("Password reset", ("password", "locked out", "can't log in", "cannot log in", "sign in", "login")),
    ("Payment method update", ("payment method", "new card", "update my card", "change my card", "expired card")),
    ("Internet keeps dropping", ("dropping", "drops", "disconnect", "no internet", "wifi", "wi-fi", "router")),
    ("Device pairing", ("pair", "bluetooth")),
    ("Upgrade question", ("upgrade", "plan", "faster")),
    ("Add a line", ("add a line", "new line", "extra line")),
    ("Late fee or invoice question", ("late fee", "invoice", "bill")),
)
ORDER = lazy_pattern(r"(?:order\s*(?:number|no\.?)?\s*)?(#\d{5,}|\bORD-\d+\b)", re.IGNORECASE)
CASE = lazy_pattern(r"\bcase[-\s#]*(\d{3,}|[A-Z]{2,}-\d+)\b", re.IGNORECASE)
AMOUNT = lazy_pattern(r"(?:[$€£]\s?\d[\d,]*(?:\.\d{2})?|\b\d[\d,]*(?:\.\d{2})?\s?(?:USD|EUR|GBP|dollars)\b)")
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE = lazy_pattern(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}}"
    rf"|\d{{1,2}}\s+(?:{MONTHS})[a-z]*|(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|yesterday|today|tomorrow)\b",
    re.IGNORECASE,
)
# What the agent committed to, or said was done: a sentence of theirs with one of these.
PROMISE = lazy_pattern(
    r"\b(I(?:'ll| will| have| 've|'ve)|we(?:'ll| will| have|'ve)|within \d+|you will|you'll receive|it usually)\b",
    re.IGNORECASE,
)
SENTENCE = lazy_pattern(r"[^.!?\n]+[.!?]?")
# Lines read at each end of a long conversation: its start says why the customer came, its end how it was
# left. Every line is masked and matched, on the screen's loop: a whole long chat held the screen up.
ENDS_READ = 100


def draft_summary(items: Sequence[TranscriptItem]) -> str:
    """Notes drafted from the conversation, several short lines (empty when nobody wrote anything)."""
    if len(items) > 2 * ENDS_READ:
        items = [*items[:ENDS_READ], *items[-ENDS_READ:]]
    joined = _agent_joined_at(items)
    messages = [
        (i.role, mask_pci(i.text))
        for position, i in enumerate(items)
        if not i.is_system and i.text.strip() and (i.role != ParticipantRole.AGENT or position > joined)
    ]
    customer = [text for role, text in messages if role == ParticipantRole.CUSTOMER]
    agent = [text for role, text in messages if role == ParticipantRole.AGENT]
    if not customer and not agent:
        return ""
    lines = [f"Intent: {intent_of(customer)}"]
    facts = facts_in(text for _, text in messages)
    if facts:
        lines.append("Facts: " + "; ".join(facts))
    said = promises_in(agent) or [_short(text, 160) for text in agent[-2:]]
    if said:
        lines.append("Agent: " + " ".join(said))
    if customer:
        lines.append(f'Customer\'s last message: "{_short(customer[-1], 120)}"')
    return "\n".join(lines)


HANDOVER_LIMIT = 1000  # the transfer dialog's note


def handover_note(items: Sequence[TranscriptItem]) -> str:
    """The conversation so far in one line, for the agent it is transferred to (the transfer's note, which the
    contact center writes into the transcript the next agent reads): the drafted summary's lines joined, masked."""
    summary = " · ".join(draft_summary(items).splitlines())
    return summary if len(summary) <= HANDOVER_LIMIT else summary[: HANDOVER_LIMIT - 1] + "…"


def call_handover_note(lines: Sequence[TranscriptionLine]) -> str:
    """A call's handover note, drafted as a conversation's from the final lines heard so far (masked already)."""
    return handover_note(call_items(lines))


def call_items(lines: Sequence[TranscriptionLine]) -> list[TranscriptItem]:
    """A call's final lines as a conversation's messages: what drafts a summary (or asks a model for one) reads."""
    return [
        TranscriptItem(
            id=line.id,
            contact_id=line.contact_id,
            index=line.index,
            kind="message",
            role=line.role,
            display_name=line.display_name,
            text=line.text,
            created_at=line.at,
        )
        for line in lines
        if line.final
    ]


def _agent_joined_at(items: Sequence[TranscriptItem]) -> int:
    """Where the agent handling the contact joined (-1: not in these items). An agent's message before it is
    not theirs: an email thread's automatic acknowledgement, or what an agent before a transfer wrote."""
    for position in range(len(items) - 1, -1, -1):
        item = items[position]
        if item.kind == "participant_joined" and item.role == ParticipantRole.AGENT:
            return position
    return -1


def intent_of(customer_messages: Sequence[str]) -> str:
    for text in customer_messages[:2]:  # the opening says why they came; a second message may add it
        lowered = text.lower()
        for label, words in INTENTS:
            if any(word in lowered for word in words):
                return label
    return "not recognised — say what the customer wanted" if customer_messages else "no message from the customer"


def facts_in(texts: Iterable[str]) -> list[str]:
    """Order and case numbers, amounts and dates, each once, in the order they were first mentioned."""
    found: dict[str, None] = {}
    for text in texts:
        spans: list[tuple[int, str]] = []
        spans += [(m.start(), f"order {m.group(1)}") for m in ORDER.finditer(text) if _is_order(m, text)]
        spans += [(m.start(), f"case {m.group(1)}") for m in CASE.finditer(text)]
        spans += [(m.start(), m.group(0).strip()) for m in AMOUNT.finditer(text)]
        spans += [(m.start(), m.group(0)) for m in DATE.finditer(text)]
        for _, fact in sorted(spans):
            found.setdefault(fact, None)
    return list(found)


def _is_order(match: re.Match[str], text: str) -> bool:
    """`#123456` is an order where the word order is near, or it is an ORD- number."""
    value = match.group(1)
    return value.upper().startswith("ORD-") or "order" in text[max(0, match.start() - 30) : match.end()].lower()


def promises_in(agent_messages: Sequence[str]) -> list[str]:
    promised: dict[str, None] = {}
    for text in agent_messages:
        for sentence in SENTENCE.findall(text):
            if PROMISE.search(sentence) and "?" not in sentence:
                promised.setdefault(_short(sentence.strip(), 160), None)
    return list(promised)[:4]


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
