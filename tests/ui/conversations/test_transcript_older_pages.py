"""When the transcript asks for older messages: as soon as a short newest page is drawn (it does not fill the
view, there is nothing to scroll up through), otherwise only when the agent scrolls to the top.

The view is driven in the order a loaded desk produces: it is shown a conversation before its newest page
came, the page lands in the desk's state, and the desk's redraw reaches the view later. Asking for older
messages in between (on a page the view has not drawn, its scroll still at 0) fetched the older page of a
long chat the agent never scrolled up in (it made tests/ui/conversations/test_agent_conversations_in_process.py's older-page
test fail now and then on a loaded machine).
"""

from __future__ import annotations

from datetime import timedelta

from textual.app import App, ComposeResult

from agent_desktop.domain.models import Channel, ParticipantRole, TranscriptItem, TranscriptPage
from agent_desktop.transcripts.conversation import ConversationState
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.in_process.scenes import SIZE
from tests.support.scenes.scenes import FROZEN_TIME

CONTACT = "c-older"
HEIGHT = 10  # the transcript's height on the agent screen at SIZE


class TranscriptHost(App[None]):
    CSS = f"TranscriptView {{ height: {HEIGHT}; }}"

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="transcript")

    def on_transcript_view_need_older(self, message: TranscriptView.NeedOlder) -> None:
        self.asked.append(message.contact_id)


def page(first: int, last: int, *, has_more: bool) -> TranscriptPage:
    """Items first..last of a chat, one short line each (three lines drawn: name, text, blank)."""
    items = [
        TranscriptItem(
            id=f"m-{n:06d}",
            contact_id=CONTACT,
            index=n,
            display_name="Dana" if n % 2 else "Agent",
            role=ParticipantRole.CUSTOMER if n % 2 else ParticipantRole.AGENT,
            text=f"Line {n} of the chat",
            created_at=FROZEN_TIME + timedelta(seconds=n),
        )
        for n in range(first, last + 1)
    ]
    return TranscriptPage(items=items, has_more=has_more)


async def test_a_newest_page_that_fills_the_view_asks_for_no_older_page_until_the_agent_scrolls_to_the_top() -> None:
    app = TranscriptHost()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(TranscriptView)
        conversation = ConversationState(CONTACT, Channel.CHAT)
        view.show(conversation)  # selected before its newest page came
        conversation.merge_page(page(22, 71, has_more=True), newest=True)  # the page lands; the redraw comes later
        await pilot.pause()
        assert app.asked == [], "asked for older messages before the newest page was even drawn"
        view.show(conversation)  # the desk's redraw
        await pilot.pause()
        assert view.max_scroll_y > 0
        assert view.scroll_y == view.max_scroll_y  # at the newest line, 50 items overflow
        assert app.asked == [], "the newest page fills the view: nothing older until the agent scrolls up"
        view.focus()
        await pilot.press("home")
        assert app.asked == [CONTACT]


async def test_a_short_newest_page_asks_for_the_older_one_as_soon_as_it_is_drawn() -> None:
    app = TranscriptHost()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(TranscriptView)
        conversation = ConversationState(CONTACT, Channel.CHAT)
        view.show(conversation)  # selected before its newest page came
        await pilot.pause()
        conversation.merge_page(page(20, 21, has_more=True), newest=True)
        view.show(conversation)
        await pilot.pause()
        assert view.max_scroll_y == 0  # two items: nothing to scroll up through
        assert app.asked == [CONTACT]
        # Still short with the older page above: the next one, until the view is full or the start is reached.
        conversation.merge_page(page(19, 19, has_more=True), newest=False)
        view.show(conversation)
        await pilot.pause()
        assert app.asked == [CONTACT, CONTACT]
        conversation.merge_page(page(0, 18, has_more=False), newest=False)
        view.show(conversation)
        await pilot.pause()
        assert app.asked == [CONTACT, CONTACT]
        assert "Start of the conversation" in view.plain_lines()[0]
