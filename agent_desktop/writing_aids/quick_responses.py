"""Quick responses: the team's canned replies, kept in a TOML file, with placeholders filled from the desk.

A placeholder is `{{customer.first_name}}` or, with a fallback for when the desk has no value,
`{{customer.first_name || "there"}}`, or with an empty fallback, `, {{customer.first_name || ""}}`: with no
value the placeholder drops out with the comma or space that joins it to the sentence ("Are you still
there?", never "Are you still there, there?" or "…there, ?"). Names are checked when the file is loaded (an unknown one is a
configuration error naming the response); a placeholder with no value and no fallback refuses the
response with its name, so that "Hi ," is never sent. Values are inserted as they are and never read
again as templates: a customer named `{{agent.name}}` stays that.

    [[response]]
    id = "greeting"
    title = "Greeting"
    channels = ["chat", "sms"]          # optional: every channel when left out
    queues = ["billing*"]               # optional: every queue when left out (queue ids; * matches any text)
    text = "Hi {{customer.first_name || \\"there\\"}}, {{agent.first_name}} here. How can I help?"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from agent_desktop.domain.models import Agent, Contact, CustomerRecord
from agent_desktop.domain.vocabulary import Channel
from agent_desktop.local.paths import QUICK_RESPONSES_BYTES, DocumentError, LocalPathError, read_toml
from agent_desktop_pci.lazy_pattern import lazy_pattern

DEFAULT_PATH = Path(__file__).with_name("quick_responses.toml")

PLACEHOLDERS = {
    "customer.first_name": "the customer's first name",
    "customer.name": "the customer's full name",
    "customer.account": "their account number",
    "customer.tier": "their tier (Gold, Platinum…)",
    "agent.name": "your name",
    "agent.first_name": "your first name",
    "case.id": "the customer's most recent open case",
    "case.subject": "that case's subject",
    "order.id": "the customer's most recent order",
    "order.status": "that order's status",
    "contact.subject": "what the contact is about",
    "queue.name": "the queue the contact came from",
}
_PLACEHOLDER = lazy_pattern(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*(?:\|\|\s*\"((?:[^\"\\]|\\.)*)\"\s*)?\}\}")
_ESCAPE = lazy_pattern(r"\\(.)")
# What joins a placeholder to the words before it: it goes when an empty fallback drops the placeholder.
_JOINER = lazy_pattern(r"[,;:]?[ \t]*$")


class QuickResponsesError(ValueError):
    """The file cannot be used: the message says where and why, in one line."""


class MissingValue(LookupError):
    """A placeholder with no value on the desk and no fallback."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no value for {{{{{name}}}}}")
        self.name = name


@dataclass(frozen=True)
class QuickResponse:
    id: str
    title: str
    text: str
    channels: frozenset[Channel] | None = None  # None: every channel
    queues: frozenset[str] | None = None  # None: every queue

    def fits(self, channel: Channel | None, queue_id: str | None = None) -> bool:
        """Offered for a contact of this channel in this queue (None: not known, so not a reason to hide it)."""
        channel_fits = self.channels is None or channel is None or channel in self.channels
        if not channel_fits or self.queues is None or queue_id is None:
            return channel_fits
        return any(fnmatchcase(queue_id, pattern) for pattern in self.queues)

    def fill(self, values: Mapping[str, str | None]) -> str:
        """The text with every placeholder replaced; MissingValue for the first that has nothing."""
        return fill(self.text, values)


def fill(template: str, values: Mapping[str, str | None]) -> str:
    # One pass, left to right: an inserted value is never read again as a template.
    parts: list[str] = []
    end = 0
    for match in _PLACEHOLDER.finditer(template):
        name, fallback = match.group(1), match.group(2)
        before = template[end : match.start()]
        value = values.get(name) or (_ESCAPE.sub(r"\1", fallback) if fallback is not None else None)
        if value is None:
            raise MissingValue(name)
        if not value:  # an empty fallback: the phrase drops out with what joined it to the sentence
            before = _JOINER.sub("", before) if before else before
            if not before and parts:
                parts[-1] = _JOINER.sub("", parts[-1])
        parts += [before, value]
        end = match.end()
    parts.append(template[end:])
    return "".join(parts)


def load_quick_responses(path: Path = DEFAULT_PATH) -> list[QuickResponse]:
    """The responses in `path`, checked; QuickResponsesError in one line for anything wrong."""
    try:
        # The shipped file is part of the package, trusted as its code is; the team's own file is checked.
        data = read_toml(path, limit=QUICK_RESPONSES_BYTES, package_data=path == DEFAULT_PATH)
    except LocalPathError as error:
        raise QuickResponsesError(f"{path}: cannot be read ({error.reason})") from None
    except DocumentError as error:
        raise QuickResponsesError(f"{path}: {error}") from None
    entries = data.get("response")
    if not isinstance(entries, list) or not entries:
        raise QuickResponsesError(f"{path}: no [[response]] tables (each needs id, title and text)")
    seen: set[str] = set()
    responses = []
    for number, entry in enumerate(entries, 1):
        where = f"{path}: response {number}"
        if not isinstance(entry, dict):
            raise QuickResponsesError(f"{where}: not a table")
        unknown_keys = set(entry) - {"id", "title", "text", "channels", "queues"}
        if unknown_keys:
            raise QuickResponsesError(
                f"{where}: unknown key {sorted(unknown_keys)[0]!r} (id, title, text, channels, queues)"
            )
        for key in ("id", "title", "text"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise QuickResponsesError(f"{where}: {key} must be a non-empty string")
        response_id = entry["id"]
        where = f"{path}: response {response_id!r}"
        if response_id in seen:
            raise QuickResponsesError(f"{where}: the id is used twice")
        seen.add(response_id)
        _check_placeholders(entry["text"], where)
        responses.append(
            QuickResponse(
                response_id,
                entry["title"],
                entry["text"],
                _channels(entry.get("channels"), where),
                _queues(entry.get("queues"), where),
            )
        )
    return responses


def _check_placeholders(text: str, where: str) -> None:
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS:
            known = ", ".join(PLACEHOLDERS)
            raise QuickResponsesError(f"{where}: unknown placeholder {{{{{match.group(1)}}}}} (known: {known})")
    leftover = _PLACEHOLDER.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        raise QuickResponsesError(
            f'{where}: a placeholder is not closed or malformed (write {{{{name || "fallback"}}}})'
        )


def _queues(value: object, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise QuickResponsesError(f'{where}: queues must be a list of queue ids such as ["billing", "sales*"]')
    return frozenset(value)


def _channels(value: object, where: str) -> frozenset[Channel] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise QuickResponsesError(f'{where}: channels must be a list such as ["chat", "sms"]')
    try:
        return frozenset(Channel(v) for v in value)
    except ValueError as error:
        raise QuickResponsesError(f"{where}: {error} (chat, sms, email, voice)") from error


def placeholder_values(
    record: CustomerRecord | None, agent: Agent | None, contact: Contact | None
) -> dict[str, str | None]:
    """What the desk knows for each placeholder (None where it knows nothing)."""
    customer = record.customer if record else None
    open_cases = sorted((c for c in record.cases if c.is_open), key=lambda c: c.opened_at) if record else []
    orders = sorted(record.orders, key=lambda o: o.placed_at) if record else []
    case = open_cases[-1] if open_cases else None
    order = orders[-1] if orders else None
    return {
        "customer.first_name": customer.name.split()[0] if customer and customer.name.split() else None,
        "customer.name": customer.name if customer else None,
        "customer.account": customer.account_number if customer else None,
        "customer.tier": customer.tier if customer else None,
        "agent.name": agent.name if agent else None,
        "agent.first_name": agent.name.split()[0] if agent and agent.name.split() else None,
        "case.id": case.id if case else None,
        "case.subject": case.subject if case else None,
        "order.id": order.id if order else None,
        "order.status": order.status if order else None,
        "contact.subject": contact.subject if contact else None,
        "queue.name": contact.queue_name if contact else None,
    }
