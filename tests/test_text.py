"""Backend text never reaches the terminal with control characters in it."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desktop.text import one_line, strip_controls


def test_escape_sequences_are_removed():
    assert strip_controls("\x1b[2J\x1b]0;pwned\x07Alice\x9b31m") == "[2J]0;pwnedAlice31m"


def test_newline_tab_markup_and_unicode_are_kept():
    text = "[@click=app.quit]x[/]\tשלום 👩‍💻\nline"
    assert strip_controls(text) == text


@given(st.text())
def test_no_control_character_survives(text):
    cleaned = strip_controls(text)
    assert all(ch in "\n\t" or unicodedata.category(ch) != "Cc" for ch in cleaned)
    # Nothing but control characters is removed.
    assert [ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc"] == list(cleaned)


@given(st.text(), st.integers(min_value=2, max_value=300))
def test_one_line_is_one_line_and_bounded(text, limit):
    flat = one_line(text, limit)
    assert "\n" not in flat and len(flat) <= limit
