"""The masker's quick looks (a 5,000-message transcript merged in a fraction of the time) never change
what it masks: each is held against the whole search it stands in for (hypothesis), over text made of what the
patterns read (digits of every form, digits' words, lookalike letters, lone letters, fillers, codes' names)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from agent_desktop.domain.models import Channel, ParticipantRole, TranscriptItem
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop_pci import CODE_REMOVED, ends_in_run
from agent_desktop_pci.digit_runs import NO_WORD, TRAILING_RUN
from agent_desktop_pci.security_codes import SECURITY_CODE, remove_security_codes, remove_security_codes_across

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
PIECES = [
    *"0123456789",
    "４",
    "٣",
    "²",
    "③",
    "lll",
    "IO",
    "l",
    "O0",
    "one",
    "oh",
    "Seven",
    "ſix",
    "double four",
    "triple  oh",
    "tripleone",
    "someone",
    "x",
    "a",
    "é",
    "ab",
    "order",
    "\u3164",
    "\u115f",
    " ",
    "  ",
    "-",
    ".",
    "•",
    "\u200b",
    "\n",
    "_",
    "cvv",
    "c v v",
    "C.V.C.",
    "cı d",
    "pin",
    "PIN is",
    "seCurity code",
    "code",
    "on the back",
    "is the cvv",
    "area code",
    "twelve thirty-four",
    "five hundred",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=14).map("".join)


@given(texts)
@example("4111 1111 a b")
@example("card double  four")
@example("xx tripleone")
@example("• – •")
def test_a_text_ends_in_a_run_exactly_when_the_whole_search_finds_one(text: str) -> None:
    """Read from the end, as the desk asks it of every message's neighbours: the same answer as the pattern searched
    over the whole text."""
    whole = TRAILING_RUN.search(text) is not None or NO_WORD.fullmatch(text) is not None
    assert ends_in_run(text) == whole


@given(st.lists(texts, min_size=1, max_size=3))
@example(["my ſec code is 555"])
@example(["C.V.V. 123"])
@example(["and 555 on the back"])
@example(["Your PIN: 1234"])
@example(["my cvv is", "555"])
@example(["555", "is the cvv"])
def test_security_codes_are_removed_as_the_whole_search_removes_them(messages: list[str]) -> None:
    """A text without a code's name in it is not searched for codes: what is removed stays what the pattern removes
    (case folding included: "ſ" is an "s", "ı" an "i")."""
    assert remove_security_codes(messages[0]) == SECURITY_CODE.sub(CODE_REMOVED, messages[0])
    if len(messages) > 1:
        joined = "\n".join(messages)
        removed = "\n".join(remove_security_codes_across(messages))
        assert removed.count(CODE_REMOVED) == len(list(SECURITY_CODE.finditer(joined)))


class _Forgetting(set[str]):
    """A conversation's texts masked alone, never kept: every message is masked with its neighbours, as before."""

    def add(self, element: str) -> None:
        pass


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


messages = st.one_of(
    texts,
    st.sampled_from(
        [
            "order 12345678 for $12.34",
            "my card is 4111 1111",
            "1111 1111 thanks",
            "4111 1111 1111 1111",
            "cvv2",
            "twelve thirty-four",
            "is the cvv",
            "1111",
            "lll1 thanks",
            "••••",
        ]
    ),
)


@given(st.lists(st.tuples(st.booleans(), messages), min_size=1, max_size=8), st.randoms(use_true_random=False))
@example([(True, "my card is 4111 1111 1111"), (True, "1111 thanks")], random.Random(0))
@example([(True, "ends in 1234"), (True, "thanks")], random.Random(0))
def test_a_message_after_one_masking_leaves_alone_reads_as_if_masked_beside_it(
    conversation: list[tuple[bool, str]], order: random.Random
) -> None:
    """Whatever order the messages come in, the desk holds the same texts as when each is masked with every
    neighbour a number may go on from (the message before one that stands apart is not read again)."""
    items = [
        _item(index, ParticipantRole.CUSTOMER if customer else ParticipantRole.AGENT, text)
        for index, (customer, text) in enumerate(conversation)
    ]
    order.shuffle(items)
    quick = ConversationState("c-1", Channel.CHAT)
    everything = ConversationState("c-1", Channel.CHAT, _masked_alone=_Forgetting())
    for item in items:
        quick.add(item)
        everything.add(item)
    assert [i.text for i in quick.items] == [i.text for i in everything.items]
