"""Each kind of outbox write is one class in the registry (agent_desktop/outbox/kinds/), and what it says of itself
holds: a card number typed into any of its free text never reaches the backend it is delivered to, whichever kind,
field and way of writing the number. A free-text path that names no text of its model would mask nothing at all."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desktop.domain.messages.protocol import MessageStatus
from agent_desktop.domain.models import Model
from agent_desktop.outbox.kinds import KINDS, EntryKind
from agent_desktop.outbox.kinds.kind import OutboxKind
from agent_desktop.outbox.payloads import stored_json
from agent_desktop.outbox.store import Outbox
from tests.support.hypothesis_profiles import examples
from tests.support.pci_cards import gives_away, split_card
from tests.unit.outbox.test_outbox_payloads import WRITES

AT = datetime(2026, 11, 29, 9, 0, tzinfo=UTC).isoformat()


def test_every_kind_is_registered_under_its_own_name() -> None:
    assert set(KINDS) == {kind.value for kind in EntryKind} == {kind.value for kind in WRITES}
    for name, kind in KINDS.items():
        assert isinstance(kind, OutboxKind)
        assert kind.name == name
        assert issubclass(kind.model, Model)


def _text_paths(kind: OutboxKind[Any]) -> list[tuple[str, ...]]:
    """Where a person's text sits in a write of `kind`: its free text, and its conversations' lines."""
    return [*kind.free_text, *kind.conversations]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_free_text_path_names_text_of_its_model(name: str) -> None:
    """A path with a typo, or left behind by a renamed field, would let the card through unmasked."""
    kind = KINDS[name]
    schema = kind.model.model_json_schema()
    for path in [*kind.free_text, *((*path, "*", "text") for path in kind.conversations)]:
        assert _schema_at(schema, schema, path).get("type") == "string", (name, path)


def _schema_at(root: dict[str, Any], schema: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:  # an optional part: the branch that is not null
        schema = next(branch for branch in schema["anyOf"] if branch.get("type") != "null")
        return _schema_at(root, schema, path)
    if not path:
        return schema
    step = schema["items"] if path[0] == "*" else schema["properties"][path[0]]
    return _schema_at(root, step, path[1:])


def _with_text_at(value: Any, path: tuple[str, ...], written: Any) -> Any:
    """`value` (a payload's JSON) with `written` at `path` (a text, or a conversation's lines): a list's first item
    replaced (made if there was none), a missing part made."""
    if not path:
        return written
    key, rest = path[0], path[1:]
    if key == "*":
        items = list(value) if isinstance(value, list) and value else [""]
        return [_with_text_at(items[0], rest, written), *items[1:]]
    value = dict(value) if isinstance(value, dict) else {}
    value[key] = _with_text_at(value.get(key), rest, written)
    return value


def _said(messages: list[str], conversation: bool) -> Any:
    """The card as the customer wrote it, in one to three messages: a conversation's lines, or one text."""
    if not conversation:
        return " ".join(messages)
    return [{"role": "customer", "name": "Customer", "text": text, "at": AT} for text in messages]


class Answer:
    """What a backend answers anything: taken (an id), nothing found, consent given, a message delivered."""

    id = "taken-1"
    customers: list[Any] = []
    status = MessageStatus.DELIVERED
    error = None
    customer = SimpleNamespace(consent_unkept={}, consent_sms=True, consent_marketing=True)


class Backend:
    """A backend that keeps everything it is handed (its arguments) and answers as `Answer`."""

    def __init__(self, handed: list[Any]) -> None:
        self._handed = handed

    def __getattr__(self, method: str) -> Any:
        async def called(*args: Any) -> Answer:
            self._handed.append((method, args))
            return Answer()

        return called


class Delivered:
    """The `Delivery` a kind is given: every call to a backend kept in `handed`."""

    def __init__(self) -> None:
        self.handed: list[Any] = []
        self.crm = self.messaging = self.evaluation_records = Backend(self.handed)

    async def keep(self, entry_key: str, payload: Model) -> None:
        self.handed.append(("keep", (payload,)))


def _texts(value: Any) -> list[str]:
    """Every text handed over, in order, times left out (their digits would part two halves of a split number)."""
    if isinstance(value, Model):
        return _texts(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, str) and not _is_time(value):
        return [value]
    return []


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outbox]:
    store = Outbox(tmp_path_factory.mktemp("outbox") / "outbox.db")
    yield store
    store.close()


# Every place of every kind a person's text goes, each as likely as the next.
TEXT_PLACES = [(name, path) for name, kind in sorted(KINDS.items()) for path in _text_paths(kind)]


@pytest.mark.parametrize(("name", "path"), TEXT_PLACES, ids=[f"{name}:{'.'.join(path)}" for name, path in TEXT_PLACES])
@settings(max_examples=examples(12), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_card_number_in_any_free_text_of_any_kind_never_reaches_the_backend(
    outbox: Outbox, name: str, path: tuple[str, ...], data: st.DataObject
) -> None:
    kind = KINDS[name]
    conversation = path in kind.conversations  # a number split over two or three of the customer's lines
    digits, messages = data.draw(split_card(data.draw(st.integers(2, 3)) if conversation else None), label="card")
    drawn = stored_json(data.draw(WRITES[EntryKind(name)], label="write"))
    others = set(_texts(drawn))  # what the write was drawn with (ids such as "0"), before the card goes in
    written = _with_text_at(drawn, path, _said(messages, conversation))
    if name == EntryKind.INTERACTION and not any(
        written.get(key) for key in ("customer_id", "unattributed", "new_customer")
    ):
        written["new_customer"] = {"name": "New caller"}  # a wrap-up always has someone to write to (wrap_up.py)
    entry = outbox.add(EntryKind(name), written, contact_id="con-1", label="")
    via = Delivered()
    asyncio.run(kind.deliver(entry.payload, entry.key, kind.send_key(entry.payload, entry.key), via))
    assert via.handed, "the write was delivered"
    # Read apart: the write's own key (a random UUID), the ids it was drawn with ("0" as a customer, a contact, a
    # recipient), and a text handed twice (the message and its record) read once: their digits, beside an all-zero
    # card's last four shown twice, once made eleven zeros in a row though nothing but the last four was shown.
    handed = list(dict.fromkeys(t for t in _texts(via.handed) if entry.key not in t and t not in others))
    assert not gives_away(digits, *handed), via.handed
