"""A new message lays out only itself: the transcript appends its lines when only items after those
drawn came, and lays everything out again otherwise (an older page, a receipt, a card number masked across
messages, a note, the header line). Whatever the order of changes, the lines drawn are those a fresh layout
of the conversation gives, and the rows painted are those lines (no strip kept from before)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from textual.app import App, ComposeResult

from agent_desktop.domain.models import TranscriptItem
from agent_desktop.domain.vocabulary import Channel, ParticipantRole
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.scenes.scenes import FROZEN_TIME

CID = "c-appends"
TEXTS = ["Hello", "4111 1111", "1111 1111", "still there?", "a longer message that wraps over two lines at least"]
CHANGES = st.lists(
    st.tuples(st.sampled_from(["new", "older", "delivered", "read", "note", "loaded", "typing"]), st.integers(0, 99)),
    min_size=1,
    max_size=25,
)


class TwoViews(App[None]):
    CSS = "TranscriptView { height: 8; width: 40; }"

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="drawn")  # shown each change as it comes
        yield TranscriptView(id="fresh")  # laid out from nothing each time


def item(index: int, role: ParticipantRole, text: str, **receipts: object) -> TranscriptItem:
    return TranscriptItem(
        id=f"m-{index:04d}",
        contact_id=CID,
        index=index,
        kind="message",
        role=role,
        display_name="Dana Lee" if role is ParticipantRole.CUSTOMER else "Alex Morgan",
        text=text,
        created_at=FROZEN_TIME + timedelta(seconds=index),
        **receipts,
    )


def change(conversation: ConversationState, kind: str, n: int) -> None:
    indexes = [known.index for known in conversation.items]
    role = ParticipantRole.CUSTOMER if n % 2 else ParticipantRole.AGENT
    if kind == "new":
        conversation.add(item(max(indexes, default=1000) + 1, role, TEXTS[n % len(TEXTS)]))
    elif kind == "older":
        conversation.add(item(min(indexes, default=1000) - 1, role, TEXTS[n % len(TEXTS)]))
    elif kind in ("delivered", "read") and conversation.items:
        known = conversation.items[n % len(conversation.items)]
        at = known.created_at + timedelta(seconds=1)
        conversation.add(known.model_copy(update={"delivered_at": at, "read_at": at if kind == "read" else None}))
    elif kind == "note":
        conversation.add_note(f"note {n}", FROZEN_TIME + timedelta(seconds=n))
    elif kind == "loaded":
        conversation.loaded, conversation.has_more = True, bool(n % 2)
    conversation.version += 1  # "typing": a change that draws no line of the transcript


async def drawn_as_fresh(changes: list[tuple[str, int]]) -> None:
    app = TwoViews()
    async with app.run_test(size=(80, 20)) as pilot:
        drawn, fresh = app.query_one("#drawn", TranscriptView), app.query_one("#fresh", TranscriptView)
        conversation = ConversationState(CID, Channel.CHAT)
        for kind, n in changes:
            change(conversation, kind, n)
            drawn.show(conversation)
            fresh.show(None)
            fresh.show(conversation)
            assert drawn.plain_lines() == fresh.plain_lines(), (kind, n)
            await pilot.pause()
            top, width = round(drawn.scroll_y), drawn.scrollable_content_region.width
            painted = [drawn.render_line(y).text.rstrip() for y in range(drawn.size.height)]
            expected = [line[:width].rstrip() for line in drawn.plain_lines()[top : top + drawn.size.height]]
            assert painted[: len(expected)] == expected, (kind, n)


@settings(max_examples=20, deadline=None)
@given(CHANGES)
def test_the_lines_drawn_are_those_of_a_fresh_layout_whatever_the_changes(changes: list[tuple[str, int]]) -> None:
    asyncio.run(drawn_as_fresh(changes))


def test_new_messages_lay_out_only_themselves() -> None:
    async def run() -> None:
        async with TwoViews().run_test(size=(80, 20)) as pilot:
            view = pilot.app.query_one("#drawn", TranscriptView)
            conversation = ConversationState(CID, Channel.CHAT)
            conversation.add(item(1, ParticipantRole.CUSTOMER, "Hello"))
            view.show(conversation)
            laid_out: list[int] = []
            original = view._item_lines

            def counted(item: TranscriptItem, width: int, email: bool) -> list[list[Segment]]:
                laid_out.append(item.index)
                return original(item, width, email)

            view._item_lines = counted  # type: ignore[method-assign]
            for index in range(2, 6):
                conversation.add(item(index, ParticipantRole.CUSTOMER, f"message {index}"))
                view.show(conversation)
            assert laid_out == [2, 3, 4, 5]
            await pilot.pause()

    asyncio.run(run())
