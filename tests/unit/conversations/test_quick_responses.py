"""Quick responses: the team's file is checked when loaded, placeholders are filled from the desk, and a
response with a placeholder the desk cannot fill is refused by name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.domain.models import (
    Agent,
    AgentState,
    Case,
    Channel,
    Contact,
    ContactState,
    Customer,
    CustomerRecord,
    Order,
)
from agent_desktop.writing_aids.quick_responses import (
    PLACEHOLDERS,
    MissingValue,
    QuickResponsesError,
    fill,
    load_quick_responses,
    placeholder_values,
)

AT = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


def test_the_shipped_file_loads_and_every_response_fills_with_a_full_desk() -> None:
    responses = load_quick_responses()
    assert len(responses) >= 12
    assert len({r.id for r in responses}) == len(responses)
    record = CustomerRecord(
        customer=Customer(id="cus-1", name="Dana Reyes", account_number="ACC-1", tier="Gold"),
        cases=[Case(id="case-7", customer_id="cus-1", subject="Router", status="open", opened_at=AT)],
        orders=[Order(id="ord-9", customer_id="cus-1", placed_at=AT, item="Router", total=99, status="shipped")],
    )
    agent = Agent(id="agent-001", name="Alex Morgan", state=AgentState.BUSY, state_since=AT)
    contact = Contact(
        id="c-1",
        channel=Channel.CHAT,
        queue_id="billing",
        queue_name="Billing",
        from_address="d@x",
        subject="Where is my order?",
        state=ContactState.CONNECTED,
        entered_queue_at=AT,
    )
    values = placeholder_values(record, agent, contact)
    for response in responses:
        text = response.fill(values)
        assert "{{" not in text, response.id
        assert "}}" not in text, response.id
    greeting = next(r for r in responses if r.id == "greeting")
    assert greeting.fill(values) == "Hi Dana, this is Alex. How can I help you today?"
    assert (
        greeting.fill(placeholder_values(None, None, None))
        == "Hi there, this is the support team. How can I help you today?"
    )


def test_a_placeholder_with_no_value_and_no_fallback_is_refused_by_name() -> None:
    with pytest.raises(MissingValue) as missing:
        fill("Your order {{order.id}} is on its way", {"order.id": None})
    assert str(missing.value) == "no value for {{order.id}}"
    assert missing.value.name == "order.id"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hi {{customer.nickname}}", "unknown placeholder {{customer.nickname}}"),
        ("Hi {{customer.first_name", "not closed or malformed"),
        ("Hi {{customer.first_name || there}}", "not closed or malformed"),
    ],
)
def test_a_bad_file_is_one_line_naming_the_response(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "responses.toml"
    path.write_text(f'[[response]]\nid = "hello"\ntitle = "Hello"\ntext = """{text}"""\n')
    with pytest.raises(QuickResponsesError) as bad:
        load_quick_responses(path)
    assert words in str(bad.value)
    assert "'hello'" in str(bad.value)
    assert "\n" not in str(bad.value)


@pytest.mark.parametrize("value", ['"billing"', "[]", '[""]', "[3]"])
def test_queues_that_are_not_a_list_of_ids_are_one_line_naming_the_response(tmp_path: Path, value: str) -> None:
    path = tmp_path / "responses.toml"
    path.write_text(f'[[response]]\nid = "hello"\ntitle = "Hello"\nqueues = {value}\ntext = "Hi"\n')
    with pytest.raises(QuickResponsesError) as bad:
        load_quick_responses(path)
    assert "'hello': queues must be a list of queue ids" in str(bad.value)
    assert "\n" not in str(bad.value)


def test_a_file_that_is_not_toml_or_has_no_responses_says_so(tmp_path: Path) -> None:
    path = tmp_path / "responses.toml"
    path.write_text("[[response]\n")
    with pytest.raises(QuickResponsesError, match="not valid TOML"):
        load_quick_responses(path)
    path.write_text("title = 'nothing'\n")
    with pytest.raises(QuickResponsesError, match=r"no \[\[response\]\] tables"):
        load_quick_responses(path)
    with pytest.raises(QuickResponsesError, match="cannot be read"):
        load_quick_responses(tmp_path / "missing.toml")


values = st.dictionaries(st.sampled_from(sorted(PLACEHOLDERS)), st.one_of(st.none(), st.text(max_size=30)))


@settings(deadline=None)  # a shared 2-core machine: the first example can be slow
@given(values, st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=40))
def test_text_around_placeholders_is_kept_and_values_are_never_expanded_again(
    desk: dict[str, str | None], around: str
) -> None:
    filled = fill(f'{around}{{{{customer.name || "friend"}}}}{around}', desk)
    name = desk.get("customer.name") or "friend"
    assert filled == f"{around}{name}{around}"  # a value holding {{agent.name}} or [markup] stays as it is


@settings(deadline=None)
@given(st.text(max_size=30))
def test_a_value_that_looks_like_a_placeholder_stays_literal(value: str) -> None:
    assert fill("{{customer.name}}!", {"customer.name": "{{agent.name}}" + value}) == "{{agent.name}}" + value + "!"


def test_a_placeholder_without_a_value_drops_its_phrase() -> None:
    """Once: "Are you still there, there?" for a customer with no name. An empty fallback drops the
    placeholder with the comma that joined it; with a name it reads as before."""
    still_there = next(r for r in load_quick_responses() if r.id == "still-there")
    nameless = placeholder_values(None, None, None)
    assert still_there.fill(nameless).startswith("Are you still there? This chat will close")
    assert still_there.fill({**nameless, "customer.first_name": "Dana"}).startswith("Are you still there, Dana? ")
    assert fill('Thanks{{customer.name || ""}}, {{agent.name || ""}}!', {}) == "Thanks!"
    assert fill('Hi {{customer.first_name || ""}}. Hello', {}) == "Hi. Hello"
