"""Backend text never reaches the terminal with control characters in it, nor with invisible characters
that change what a line appears to say (bidi overrides, zero-width characters)."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.domain.formats.text import FORMAT_CHARACTERS, one_line, strip_controls


def test_escape_sequences_are_removed() -> None:
    assert strip_controls("\x1b[2J\x1b]0;pwned\x07Alice\x9b31m") == "[2J]0;pwnedAlice31m"


def test_newline_tab_markup_and_unicode_are_kept() -> None:
    text = "[@click=app.quit]x[/]\tשלום 👩\u200d💻\nline"  # the emoji is woman, zero-width joiner, laptop
    assert strip_controls(text) == text


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("user\u202eexe.txt", "user⟨U+202E⟩exe.txt"),  # would read "usertxt.exe" in a bidi terminal
        ("Mallory \u202e", "Mallory ⟨U+202E⟩"),  # an override never closed: the rest of the row reversed
        (
            "\u2066a\u2069 \u202ab\u202c \u202dc\u2067\u2068",
            "⟨U+2066⟩a⟨U+2069⟩ ⟨U+202A⟩b⟨U+202C⟩ ⟨U+202D⟩c⟨U+2067⟩⟨U+2068⟩",
        ),
        ("pay\u200bpal", "paypal"),  # zero-width space
        ("pay\u200dpal and 4111\u200c1111", "paypal and 41111111"),  # joiners between ASCII hide, nothing more
        ("\ufeffAlice\u2060Smith", "AliceSmith"),  # BOM, word joiner
        ("Ali\u00adce", "Alice"),  # soft hyphen
        ("hi\U000e0069\U000e0067\U000e006e", "hi"),  # tag characters: text hidden from the eye
        ("שלום\u200f 123 \u200eabc\u061c", "שלום 123 abc"),  # implicit marks: removed, the letters stay
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian spelling needs its zero-width non-joiner
        ("first\u2028second\u2029third", "first\nsecond\nthird"),
        ("lone \ud800 surrogate \udc80", "lone \ufffd surrogate \ufffd"),
    ],
)
def test_invisible_characters_are_removed_or_shown(sent: str, shown: str) -> None:
    assert strip_controls(sent) == shown


def test_separators_are_spaces_on_one_line() -> None:
    assert one_line("first\u2028second\u2029 third") == "first second third"
    assert one_line("user\u202eexe.txt", 12) == "user⟨U+202E…"


def test_the_format_characters_are_all_of_the_category() -> None:
    """A new Python (a new Unicode) with new format characters fails here until the list has them."""
    listed = {ch for ch in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(f"[{FORMAT_CHARACTERS}]", ch)}
    category = {ch for ch in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(ch) == "Cf"}
    assert listed == category


def _allowed(text: str, at: int) -> bool:
    ch = text[at]
    if ch in "\n\t":
        return True
    if ch in "\u2028\u2029" or unicodedata.category(ch) in ("Cc", "Cs"):
        return False
    if unicodedata.category(ch) == "Cf":
        neighbours = text[at - 1 : at] + text[at + 1 : at + 2]
        return (
            ch in "\u200c\u200d"
            and len(neighbours) == 2
            and all(n > "\x7f" and unicodedata.category(n)[0] in "LMS" for n in neighbours)
        )
    return True


INTERESTING = st.sampled_from(
    list("\u202e\u2066\u2069\u200b\u200c\u200d\u200f\ufeff\u00ad\u2028\u2029\ud800\x1b\x85é👩💻שa1 \n")
)


@given(st.text(alphabet=st.one_of(st.characters(exclude_categories=()), INTERESTING)))
def test_nothing_invisible_survives_and_nothing_visible_is_lost(text: str) -> None:
    cleaned = strip_controls(text)
    assert all(_allowed(cleaned, at) for at in range(len(cleaned))), ascii(cleaned)
    # Every visible character sent is shown, in order (marks and line breaks may come between).
    visible = iter(cleaned)
    assert all(
        ch in visible for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs") and ch not in "\u2028\u2029"
    )
    assert strip_controls(cleaned) == cleaned


@given(st.text(), st.integers(min_value=2, max_value=300))
def test_one_line_is_one_line_and_bounded(text: str, limit: int) -> None:
    flat = one_line(text, limit)
    assert "\n" not in flat
    assert "\u2028" not in flat
    assert len(flat) <= limit
