"""What Y copies (agent_desktop/agent_desk/callers/copy_choices.py): one line with no control character whatever a
backend sent (an escape sequence in a clipboard is pasted into the next terminal program), and a customer's
message, free text, with its card number masked."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from agent_desktop.agent_desk.callers.copy_choices import COPY_LIMIT, COPY_WHAT, clipboard_text
from tests.support.pci_cards import gives_away, written_card


@given(st.text(), st.booleans())
def test_nothing_copied_holds_a_control_character_or_a_line_break(text: str, free_text: bool) -> None:
    copied = clipboard_text(text, free_text=free_text)
    assert not any(unicodedata.category(char) == "Cc" for char in copied)
    assert len(copied) <= COPY_LIMIT


@given(written_card(words_too=False), st.sampled_from(["my card is ", "", "use "]))
def test_a_message_copied_never_gives_a_card_number_away(card: tuple[str, list[str]], before: str) -> None:
    digits, pieces = card
    message = before + "".join(pieces) + " thanks"
    assert not gives_away(digits, clipboard_text(message, free_text=True))


def test_an_escape_sequence_from_a_backend_is_not_copied() -> None:
    assert clipboard_text("cus-1\x1b]52;c;ZXZpbA==\x07\x1b[2J") == "cus-1]52;c;ZXZpbA==[2J"


def test_the_choices_are_named_as_the_palette_shows_them() -> None:
    assert list(COPY_WHAT) == ["customer_id", "account", "case", "phone", "message"]
