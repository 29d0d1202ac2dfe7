"""The masker sees the conversation, not the message: card numbers written with any Unicode
separator and in any digit form, split over one to three messages of either party, in drafts typed key by
key; none is recoverable from what the masker lets through (hypothesis)."""

from __future__ import annotations

import sys
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.models import Channel, ParticipantRole, TranscriptItem
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop_pci import CARD_MASK, CODE_REMOVED, mask_draft, mask_messages, mask_outgoing, mask_pci
from agent_desktop_pci.digit_runs import OTHER_DIGIT_RANGES
from tests.support.pci_cards import gives_away, split_card, words, written_card

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_table_of_other_digits_is_every_digit_that_is_not_nd() -> None:
    """The masker's hard-coded table (scanning Unicode at start-up costs 0.14 s) matches this Python's data."""
    expected = {
        code
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) != "Nd" and unicodedata.digit(chr(code), None) is not None
    }
    assert {code for low, high in OTHER_DIGIT_RANGES for code in range(low, high + 1)} == expected


@given(written_card(), words, words)
@example(
    ("4111111111111111", ["4", "1", "1", "1", "\u2212" + "1", *"111", "\uff0d1", *"111", "·1", *"111"]), "card", "ok"
)
@example(("4111111111111111", ["4", *"111", "\u200b1", *"111", "\u00ad1", *"111", "\n\n1", *"111"]), "card", "ok")
@example(("4111111111111111", ["4", *"111", "    1", *"111", "\u30001", *"111", "\u20031", *"111"]), "card", "ok")
@example(("4111111111111111", ["4", *"111", ",1", *"111", "+1", *"111", "|1", *"111"]), "card", "ok")
def test_a_card_number_in_one_message_keeps_its_last_four_whatever_it_is_written_with(
    card: tuple[str, list[str]], before: str, after: str
) -> None:
    digits, pieces = card
    masked = mask_pci(f"{before} {''.join(pieces)} {after}")
    assert masked == f"{before} {CARD_MASK}{digits[-4:]} {after}"


@given(split_card(), st.booleans())
@example(("4111111111111111", ["my card is 4111 1111", "1111 1111 thanks"]), True)
def test_a_card_number_split_over_a_partys_messages_is_masked_in_every_one(
    card: tuple[str, list[str]], with_reply_between: bool
) -> None:
    digits, messages = card
    masked = mask_messages(messages)
    assert not gives_away(digits, *masked), masked
    # As the desk holds it, the messages arriving one by one, the agent answering in between or not.
    conversation = ConversationState("c-1", Channel.CHAT)
    index = 0
    for text in messages:
        conversation.add(_item(index, ParticipantRole.CUSTOMER, text))
        index += 1
        if with_reply_between:
            conversation.add(_item(index, ParticipantRole.AGENT, "Go on"))
            index += 1
    assert not gives_away(digits, *(item.text for item in conversation.items)), conversation.items


@given(split_card())
def test_a_split_card_number_is_masked_whichever_part_the_desk_reads_first(card: tuple[str, list[str]]) -> None:
    """A page re-read after a reconnect brings the earlier part after the later one."""
    digits, messages = card
    conversation = ConversationState("c-1", Channel.CHAT)
    for index in reversed(range(len(messages))):
        conversation.add(_item(index, ParticipantRole.CUSTOMER, messages[index]))
    assert not gives_away(digits, *(item.text for item in conversation.items))


@given(split_card())
@example(("4111111111111111", ["card 4111 1111 1111 111", "1 done"]))
@example(("4111111111111111", ["card 4111 1111 11", "11 11", "11 1111 done"]))
def test_what_an_agent_sends_never_gives_a_card_number_away_however_it_is_split(card: tuple[str, list[str]]) -> None:
    """Sent is sent: no message may end in a number the next one finishes."""
    digits, messages = card
    sent: list[str] = []
    for text in messages:
        sent.append(mask_outgoing(sent, text))
    assert not gives_away(digits, *sent), sent


@given(written_card())
def test_a_draft_typed_key_by_key_never_holds_a_prefix_that_gives_the_number_away(card: tuple[str, list[str]]) -> None:
    """Drafts are saved on every key: the 15-digit prefix of a 16-digit number names the 16th (Luhn)."""
    digits, pieces = card
    typed = "Card "
    for piece in pieces:
        typed += piece
        assert not gives_away(digits, mask_draft(typed)), typed


def test_what_a_draft_keeps_as_typed() -> None:
    assert mask_draft("Call back on 415 555 0101, order 12345") == "Call back on 415 555 0101, order 12345"
    assert mask_draft("card 4111 1111 1111 111") == f"card {CARD_MASK}1111"


@pytest.mark.parametrize(
    "text",
    [
        "cvv2: 1 2 3",
        "CVV 1-2-3",
        "the three digits on the back are 123",
        "the 3 numbers on the back of the card: 987",
        "digits on the back are 456",
        "security code is ١٢٣",
        "cvc ４５６",
    ],
)
def test_security_codes_are_removed_however_they_are_said(text: str) -> None:
    assert mask_pci(f"She said {text} then hung up") == f"She said {CODE_REMOVED} then hung up"


def test_a_phone_number_a_reference_and_a_date_are_kept() -> None:
    text = "Call 415 555 0101 about order 12345678901234 from 12/27"
    assert mask_pci(text) == text
    assert mask_outgoing([], text) == text


def test_an_agent_message_ending_in_a_long_number_sends_its_last_four_only() -> None:
    """The rule's cost, written down in docs/security.md: an 11-digit phone number at the very end is cut too."""
    assert mask_outgoing([], "Our number is +1 800 555 0199") == f"Our number is +{CARD_MASK}0199"
    assert mask_outgoing([], "Call +1 800 555 0199 any time") == "Call +1 800 555 0199 any time"


def _item(index: int, role: ParticipantRole, text: str) -> TranscriptItem:
    return TranscriptItem(
        id=f"m-{index:06d}",
        contact_id="c-1",
        index=index,
        role=role,
        display_name=role.value,
        text=text,
        created_at=T0 + timedelta(seconds=index),
    )
