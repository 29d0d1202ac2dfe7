"""A comment's marker line (`agent-desktop {json}`, zendesk_records.py) can be written by anyone who can comment on
a ticket, a customer included: whatever JSON it holds, the comment is read as an interaction, never a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.wire.written_marker import MARKER, marker_of
from agent_desktop.adapters.zendesk.records import interaction
from agent_desktop.domain.models import Channel
from tests.support.hypothesis_profiles import examples

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
NAMES = st.sampled_from(
    (
        "key",
        "digest",
        "contact_id",
        "channel",
        "direction",
        "agent_id",
        "queue_id",
        "disposition",
        "summary",
        "unattributed",
        "note",
        "other",
    )
)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | st.sampled_from([c.value for c in Channel] + ["fax"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=examples(200))
@given(fields=st.dictionaries(NAMES, VALUES, max_size=8))
def test_whatever_a_marker_line_holds_the_comment_is_read_as_an_interaction(fields: dict[str, Any]) -> None:
    body = f"Called about a fee\n{MARKER}{json.dumps(fields)}"
    found = interaction(
        {"id": 5, "requester_id": 4}, {"id": 9, "body": body, "created_at": AT, "via": {"channel": "voice"}}
    )
    assert found.id.startswith("5:")
    assert found.channel in Channel


def test_a_marker_nested_past_the_recursion_limit_is_no_marker() -> None:
    assert marker_of("Hello\n" + MARKER + "[" * 100_000 + "]" * 100_000) == {}
