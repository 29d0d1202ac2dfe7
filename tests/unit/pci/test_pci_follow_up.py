"""A card number split between a customer's chat and their email follow-up: each half alone is no card
number, so each wrap-up once went to the CRM with its half as typed, and the CRM held the whole number. The
customer's side of a wrap-up is now masked as going on from their previous interaction in the outbox (by
customer id, else by address), and no transcript ends in a customer's number a next contact could finish.
What the outbox stores is what the sender writes to the CRM (hypothesis over `pci_cards`' split numbers)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.models import Channel, Contact, ContactState, TranscriptLine
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.store import Outbox, OutboxEntry
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.support.narrowing import of_kind
from tests.support.pci_cards import gives_away, split_card

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _contact(contact_id: str, channel: Channel, address: str) -> Contact:
    return Contact(
        id=contact_id,
        channel=channel,
        queue_id="billing",
        queue_name="Billing",
        from_address=address,
        state=ContactState.AFTER_CONTACT_WORK,
        entered_queue_at=AT,
        offered_at=AT,
        answered_at=AT,
        ended_at=AT,
    )


def _lines(*texts: str, role: str = "customer") -> list[TranscriptLine]:
    lines = []
    for text in texts:
        lines += [
            TranscriptLine(role=role, name="Dana", text=text, at=AT),
            TranscriptLine(role="agent", name="Alex", text="Go on", at=AT),
        ]
    return lines


def _customer_texts(entry: OutboxEntry) -> list[str]:
    return [
        line.text for line in of_kind(entry.payload, InteractionWrite).interaction.transcript if line.role == "customer"
    ]


def _both(
    folder: Path, chat: list[str], email: list[str], *, same_customer: bool = True, by_id: bool = True
) -> tuple[list[str], list[str]]:
    outbox = Outbox(folder / "outbox.db")
    try:
        first = enqueue_wrap_up(
            outbox,
            _contact("c-1", Channel.CHAT, "web:dana"),
            "agent-001",
            "Resolved",
            "",
            "cus-1" if by_id else None,
            transcript=_lines(*chat),
        )
        someone = "cus-1" if same_customer else "cus-2"
        address = "web:dana" if same_customer else "web:other"
        second = enqueue_wrap_up(
            outbox,
            _contact("c-2", Channel.EMAIL, address),
            "agent-001",
            "Resolved",
            "",
            someone if by_id else None,
            transcript=_lines(*email),
        )
        return _customer_texts(first), _customer_texts(second)
    finally:
        outbox.close()


@given(split_card(parts=2), st.integers(0, 2), st.booleans())
@example(("4111111111111111", ["my card is 4111 1111", "1111 1111 thanks"]), 0, True)
@example(("4111111111111111", ["card 4111 1111 1111", "1111 thanks"]), 0, False)
@example(("4111111111111111", ["card 4111x1111x11", "11x1111 thanks"]), 1, True)
def test_a_card_number_split_between_a_chat_and_its_email_follow_up_is_never_whole_in_the_crm(
    card: tuple[str, list[str]], cut: int, by_id: bool
) -> None:
    """The halves at the chat's end and the email's start; the chat holding one to three customer messages."""
    digits, (first_half, second_half) = card
    chat = ["Hello", "I will email the rest"][:cut] + [first_half]
    with TemporaryDirectory() as folder:
        stored_chat, stored_email = _both(Path(folder), chat, [second_half], by_id=by_id)
    assert not gives_away(digits, *stored_chat, *stored_email), (stored_chat, stored_email)


def test_another_customers_email_is_not_masked_by_this_ones_chat() -> None:
    with TemporaryDirectory() as folder:
        _, email = _both(Path(folder), ["my card is 4111 1111"], ["1111 1111 is my order"], same_customer=False)
    assert email == ["1111 1111 is my order"]


def test_what_a_transcript_keeps_as_typed() -> None:
    """Numbers inside the customer's lines stay; only a run of more than ten digits at the very end of their
    last line is cut (the next contact could finish it), as an agent's sent message is."""
    chat = ["Order 12345678901234 arrived broken", "Call me on 415 555 0101 please", "My number is +1 415 555 0101"]
    with TemporaryDirectory() as folder:
        stored, _ = _both(Path(folder), chat, ["Thanks"])
    assert stored == [chat[0], chat[1], "My number is +•••• 0101"]
