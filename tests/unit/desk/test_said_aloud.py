"""Reader mode's lines (agent_desktop/agent_desk/said_aloud.py) over a shift: each customer's message said once, and
nothing of a contact kept once it has left the desk (a reader-mode desk ran for a whole shift)."""

from __future__ import annotations

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.said_aloud import SaidAloud
from agent_desktop.domain.models import (
    Channel,
    Contact,
    ContactState,
    MessageEvent,
    TranscriptPage,
)
from agent_desktop.domain.models.transcription import TranscriptionEvent, TranscriptionLine
from agent_desktop.domain.vocabulary import ParticipantRole
from tests.support.desk_events import AGENT_ID, T0, contact, customer_message


def chat(contact_id: str) -> Contact:
    return contact(contact_id, ContactState.CONNECTED).model_copy(update={"channel": Channel.CHAT})


def test_a_shift_of_chats_says_each_message_once_and_keeps_nothing_of_the_finished() -> None:
    desk, said = Desk(AGENT_ID), SaidAloud()
    finished = [f"c-{n:06d}" for n in range(1, 41)]
    for contact_id in finished:
        desk.apply_contact(chat(contact_id))
        desk.conversations.loaded(
            contact_id, None, TranscriptPage(items=[customer_message(contact_id, 0, "Hi")], has_more=False)
        )
        assert said.lines(desk, desk.take_changes()) == ["Message from Dana Lee: Hi"]
        desk.apply(MessageEvent(contact_id=contact_id, item=customer_message(contact_id, 1, f"Order {contact_id}?")))
        desk.apply(
            MessageEvent(contact_id=contact_id, item=customer_message(contact_id, 1, f"Order {contact_id}?"))
        )  # replayed
        assert said.lines(desk, desk.take_changes()) == [f"Message from Dana Lee: Order {contact_id}?"]
        desk.finish(contact_id)  # its wrap-up is in the outbox
        assert said.lines(desk, desk.take_changes()) == []
    desk.apply_contact(chat("c-000041"))  # one in hand still
    said.lines(desk, desk.take_changes())
    kept = repr(vars(said))
    assert "c-000041" in kept
    assert [contact_id for contact_id in finished if contact_id in kept] == []


def test_reader_mode_never_says_a_security_code_in_words_before_more_digits_or_after_its_named_message() -> None:
    """The review region read "the security code is five five five" out whole, and "cvv 555 12/28"."""
    desk, said = Desk(AGENT_ID), SaidAloud()
    desk.apply_contact(chat("c-000001"))
    desk.conversations.loaded("c-000001", None, TranscriptPage(items=[], has_more=False))
    said.lines(desk, desk.take_changes())
    heard: list[str] = []
    for index, text in enumerate(
        ["the security code is five five five", "cvv 555 12/28", "my cvv is", "555", "code 555 12 ok"]
    ):
        desk.apply(MessageEvent(contact_id="c-000001", item=customer_message("c-000001", index, text)))
        heard += said.lines(desk, desk.take_changes())
    assert heard == [
        "Message from Dana Lee: the [security code removed]",
        "Message from Dana Lee: [security code removed] 12/28",
        "Message from Dana Lee: my cvv is",
        "Message from Dana Lee: [security code removed]",
        "Message from Dana Lee: [security code removed] 12 ok",
    ]


def test_reader_mode_says_each_callers_line_once_final_and_their_mood_when_it_changes() -> None:
    """Reader mode said a chat's messages but nothing of a call: not the caller's lines heard, not the mood
    the call's area shows in colour and an arrow."""
    desk, said = Desk(AGENT_ID), SaidAloud()
    desk.apply_contact(contact("c-000042", ContactState.CONNECTED))
    said.lines(desk, desk.take_changes())

    def heard(index: int, text: str, *, final: bool, role: str = "customer") -> list[str]:
        name = "Dana Lee" if role == "customer" else "Alex Morgan"
        line = TranscriptionLine(
            id=f"c-000042:{index}", contact_id="c-000042", index=index, role=ParticipantRole(role),
            display_name=name, text=text, final=final, at=T0,
        )  # fmt: skip
        desk.apply(TranscriptionEvent(contact_id="c-000042", line=line))
        return said.lines(desk, desk.take_changes())

    assert heard(0, "How can I help you today?", final=True, role="agent") == []  # the agent knows what they said
    assert heard(1, "I was charged", final=False) == []  # still being heard
    assert heard(1, "I was charged twice and I am really angry, this is ridiculous.", final=True) == [
        "On the call, Dana Lee: I was charged twice and I am really angry, this is ridiculous.",
        "The caller's mood: negative.",
    ]
    assert heard(1, "I was charged twice and I am really angry, this is ridiculous.", final=True) == []  # replayed
    calmer = heard(2, "My card is 4111 1111 1111 1111, please refund it. Thank you so much, that is great!", final=True)
    assert (
        calmer[0] == "On the call, Dana Lee: My card is •••• 1111, please refund it. Thank you so much, that is great!"
    )
    assert calmer[1:] == ["The caller's mood: positive ↑ better."], calmer
    desk.finish("c-000042")
    said.lines(desk, desk.take_changes())
    assert "c-000042" not in repr(vars(said)), "nothing kept of a call that left the desk"
