"""A served desk's websocket messages read strictly (agent_desktop/app/browser_messages.py): whatever a session sends,
the reader answers a message or None (ignored, said once on the console), never an exception, which would end the
session and its desk ("a session ended on RecursionError") where the docs promise the message is ignored."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.app.browser_messages import Focus, Keys, Ping, Resize, read_browser_message

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(st.one_of(st.text(), json_values.map(json.dumps), json_values.map(lambda v: json.dumps(["stdin", v]))))
def test_any_text_is_a_message_or_nothing_never_an_exception(text: str) -> None:
    assert read_browser_message(text) is None or isinstance(read_browser_message(text), Keys | Resize | Ping | Focus)


def test_json_nested_thousands_deep_is_ignored_not_an_error() -> None:
    for depth in (1_000, 100_000):
        assert read_browser_message("[" * depth + "]" * depth) is None
        assert read_browser_message('["ping", ' + "[" * depth + "]" * depth + "]") is None


def test_what_the_page_sends_is_read() -> None:
    assert read_browser_message('["stdin", "a"]') == Keys("a")
    assert read_browser_message('["resize", {"width": 120, "height": 40}]') == Resize(120, 40)
    assert read_browser_message('["ping", "1"]') == Ping("1")
    assert read_browser_message('["blur"]') == Focus(False)
