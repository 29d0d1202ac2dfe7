"""The conversation workspace driven by keys, on the in-process mocks: a chat read and answered, three chats
with unread counts and drafts kept across switches, an email reply, an SMS over one segment, the inactivity
timeout, hostile customer text, a private note, older pages, a message arriving while the agent reads further
up, and chats switched from inside the composer.

Moved from tests/e2e/conversations/test_agent_conversations.py (which keeps the link cut mid-conversation: a real socket cut):
the same keys and assertions, on the mocks' own code with no socket (tests/contract proves it answers as the
servers do). The simulated customers and the inactivity timeout answer when the test steps the contact
center's clock, not after a wait.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget

from agent_desktop.agent_desk.contacts import Phase
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import MessageEvent, ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.hostile_models import CONTROL, PAYLOADS, visible
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, scene_app, scene_mocks, take, wait_until
from tests.support.narrowing import present
from tests.support.palette import palette_titles
from tests.support.scenes.conversation_scenes import SPEED
from tests.support.scenes.pilot_steps import agent_screen, screen_text, type_burst

STEP_S = 0.5  # how far the contact center's clock moves between looks while a simulated customer is awaited


@pytest.fixture
async def mocks(tmp_path: Path) -> AsyncIterator[InProcessMocks]:
    running = scene_mocks(tmp_path / "mocks", speed=SPEED)
    try:
        yield running
    finally:
        await running.aclose()


def transcript_text(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


def desk(pilot: Pilot[None]) -> Desk:
    return agent_screen(pilot).desk


async def ready(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    await go_available(pilot)


def customer_messages(pilot: Pilot[None], contact_id: str) -> list[str]:
    items = desk(pilot).conversations[contact_id].items
    return [i.text for i in items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]


async def agent_writes_elsewhere(mocks: InProcessMocks, contact_id: str, text: str) -> None:
    """The agent's message from another window of theirs: the customer answers it while another chat is selected."""
    await mocks.contact_center().send_message(contact_id, text)


async def unread_on_server(mocks: InProcessMocks, contact_id: str) -> int:
    """What the contact center says the agent has not read (it tells the customer "seen" for the rest)."""
    return (await mocks.contact_center().get_conversation(contact_id)).unread


def subtitle_of(widget: Widget) -> str:
    return Content.from_markup(str(widget.border_subtitle or "")).plain  # Textual keeps a title as markup


def composer(pilot: Pilot[None]) -> Composer:
    return pilot.app.screen.query_one("#composer", Composer)


async def test_a_chat_by_keyboard_read_answered_and_the_customer_answers(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "dana@example.com", "chat", "Charged twice this month")
        await wait_until(
            pilot, lambda: "charged twice" in transcript_text(pilot).lower(), "the opening message on screen"
        )
        assert pilot.app.screen.query_one("#conversation").display
        palette = set(palette_titles(pilot.app))
        assert {"Reply", "Reply/note"} <= palette
        assert "Send" not in palette
        await pilot.press("i")
        assert present(pilot.app.focused).id == "composer"
        palette = set(palette_titles(pilot.app))
        assert {"Send", "New line", "Leave", "Reply/note"} <= palette
        assert "Reply" not in palette
        await type_burst(pilot, "Sorry about that. Can you verify your email address?")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "verify your email address" in transcript_text(pilot), "the reply in the transcript"
        )
        assert pilot.app.screen.query_one("#composer", Composer).text == ""
        # The simulated customer reads it and answers with their email.
        answered = lambda: "my email is" in transcript_text(pilot)  # noqa: E731
        await wait_until(pilot, answered, "the customer's answer", mocks=mocks, step_s=STEP_S)
        await wait_until(
            pilot, lambda: "✓✓ read" in transcript_text(pilot), "the read receipt", mocks=mocks, step_s=STEP_S
        )
        # The agent had the conversation in front of them: nothing unread.
        await wait_until(pilot, lambda: desk(pilot).conversations[contact_id].unread == 0, "unread cleared")
        assert transcript_text(pilot).count("verify your email address") == 1


async def test_three_chats_unread_counts_and_drafts_kept_across_switches(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await take(pilot, mocks, "ann@example.com", "chat", "Charged twice this month")
        second = await take(pilot, mocks, "ben@example.com", "chat", "Refund request")
        third = await take(pilot, mocks, "cal@example.com", "chat", "Update my payment method")
        assert desk(pilot).selected_id == third
        # Each opening message was read when its chat was selected on accepting it.
        assert [desk(pilot).conversations[c].unread for c in (first, second, third)] == [0, 0, 0]

        # The first customer answers while the third chat is in front of the agent.
        await agent_writes_elsewhere(mocks, first, "Can you verify your email address?")
        unread = lambda: desk(pilot).conversations[first].unread == 1  # noqa: E731
        await wait_until(pilot, unread, "an unread answer in the first chat", mocks=mocks, step_s=STEP_S)
        await wait_until(
            pilot,
            lambda: re.search(r"ann@exa\S*( ↩)? 1 \|", screen_text(pilot, "#contacts")) is not None,  # ↩: awaiting
            "the unread badge",
        )

        # A draft in the third, another in the second: each is kept across [ and ].
        await pilot.press("i", *"Draft for Cal")
        await pilot.press("escape", "left_square_bracket")
        assert desk(pilot).selected_id == second
        assert composer(pilot).text == ""
        await pilot.press("i", *"Draft for Ben")
        await pilot.press("escape", "right_square_bracket")
        assert composer(pilot).text == "Draft for Cal"
        await pilot.press("left_square_bracket")
        assert composer(pilot).text == "Draft for Ben"
        await pilot.press("left_square_bracket")  # the first chat: its answer is read now
        assert desk(pilot).selected_id == first
        await wait_until(pilot, lambda: "my email is" in transcript_text(pilot), "the first customer's answer")
        await wait_until(pilot, lambda: desk(pilot).conversations[first].unread == 0, "unread cleared on reading")
        await pilot.pause(0.5)  # the drafts settle on disk (the desk's own write-behind)
    # The drafts are on disk beside the wrap-up drafts: a restarted desktop finds them.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(desk(pilot).conversations) == 3, "the chats in hand again")
        assert desk(pilot).conversations.composer == {second: "Draft for Ben", third: "Draft for Cal"}


async def test_an_email_reply_with_its_subject_and_the_quoted_thread(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "erin@example.com", "email", "Charged twice this month")
        text = transcript_text(pilot)
        assert "Subject: Charged twice this month" in text
        assert "│ Support team wrote:" in text  # the thread, quoted
        assert "Re: Charged twice this month" in screen_text(pilot, "#reply-subject")
        await pilot.press("i", *"Hello,", "ctrl+j", *"The second payment is refunded.", "enter")
        await wait_until(
            pilot,
            lambda: any(
                i.role is ParticipantRole.AGENT and i.subject == "Re: Charged twice this month"
                for i in desk(pilot).conversations[contact_id].items
            ),
            "the reply in the thread",
        )
        sent = [i for i in desk(pilot).conversations[contact_id].items if i.role is ParticipantRole.AGENT][-1]
        assert sent.text == "Hello,\nThe second payment is refunded."  # ctrl+j made the line
        await wait_until(
            pilot, lambda: transcript_text(pilot).count("Subject: Re: Charged twice") >= 1, "the reply drawn"
        )


async def test_an_sms_over_one_segment_is_counted_as_two(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "+12125550177", "sms", "Charged twice this month")
        reply = "Thanks for writing in. I can see the two payments on your account and I have refunded the second one; it shows on your statement within 3 to 5 business days. Anything else?"
        assert 160 < len(reply) <= 306
        await pilot.press("i")
        await type_burst(pilot, reply)
        count = screen_text(pilot, "#composer-count")
        assert f"{len(reply)} / 1,600" in count
        assert "2 SMS segments (GSM-7)" in count
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(
                i.segments == 2 for i in desk(pilot).conversations[contact_id].items if i.role is ParticipantRole.AGENT
            ),
            "the SMS sent in two segments",
        )
        await wait_until(pilot, lambda: "(2 SMS segments, GSM-7)" in transcript_text(pilot), "the segments shown")


async def test_the_inactivity_timeout_counts_down_in_red_and_ends_the_chat(mocks: InProcessMocks) -> None:
    await mocks.set_inactivity_timeout("billing", "chat", 4)
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "quiet@example.com", "chat", "Charged twice this month")
        pane = pilot.app.screen.query_one("#conversation")
        await wait_until(pilot, lambda: "ends in" in subtitle_of(pane), "the countdown")
        assert "$error]ends in" in str(pane.border_subtitle), "the last minute is red"
        assert "Ends" in screen_text(pilot, "#contacts")
        ended = lambda: desk(pilot).conversations[contact_id].ended  # noqa: E731
        await wait_until(pilot, ended, "the timeout", mocks=mocks, step_s=STEP_S)
        assert desk(pilot).conversations[contact_id].ended_reason == "customer_inactive"
        await wait_until(pilot, lambda: "the customer was inactive" in subtitle_of(pane), "the end shown")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        assert "no message for" in transcript_text(pilot)


HOSTILE_TEXTS = [
    *PAYLOADS.values(),
    "[b]not bold[/b] [link=https://evil.example]click[/link] $error [@click=app.quit]quit[/]",
    "x" * 10_000,  # a 10 kB line
    "مرحبا، تم خصم المبلغ مرتين ‮reversed‬ שלום",  # RTL, with a bidi override
    "👋🏽 👨‍👩‍👧 ✅ 🇫🇷 — 表情 文字",  # emoji sequences and wide characters
]


async def test_hostile_customer_messages_are_shown_literally(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "hostile@example.com", "chat", "Charged twice this month")
        conversation = desk(pilot).conversations[contact_id]
        last = conversation.items[-1]
        for n, text in enumerate(HOSTILE_TEXTS, start=1):
            item = last.model_copy(
                update={
                    "id": f"m-9{n:05d}",
                    "index": last.index + n,
                    "role": ParticipantRole.CUSTOMER,
                    "kind": "message",
                    "text": text,
                    "display_name": PAYLOADS["click"],
                }
            )
            agent_screen(pilot).controller.receive(MessageEvent(contact_id=contact_id, item=item))
        await pilot.pause(0.3)
        assert pilot.app.is_running
        lines = pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines()
        text = " ".join(line.strip() for line in lines)  # wrapping broke lines at spaces
        for payload in HOSTILE_TEXTS[:-3]:
            assert visible(payload) in text, payload
        assert (
            sum(len(line.strip()) for line in lines if set(line.strip()) == {"x"}) == 10_000
        )  # the long line, all of it
        assert "مرحبا" in text
        assert "👋🏽" in text
        assert visible(PAYLOADS["click"]) in text  # the name as written
        assert not any(CONTROL.search(line) for line in lines)
        # What reaches the terminal: no control character from the customer, the view drawn line by line.
        view = pilot.app.screen.query_one("#transcript", TranscriptView)
        drawn = "".join(segment.text for y in range(view.size.height) for segment in view.render_line(y))
        assert not CONTROL.search(drawn)
        await pilot.press("escape", "i")  # scrolling through it and typing still work
        view.scroll_home(animate=False)
        await pilot.pause(0.1)
        assert pilot.app.is_running


async def test_a_private_note_is_kept_with_the_desk_and_never_sent(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "notes@example.com", "chat", "Charged twice this month")
        await pilot.press("i", "ctrl+t")
        assert "Private note" in screen_text(pilot, "#composer-count")
        await type_burst(pilot, "Customer sounds upset, offer a goodwill credit")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Private note" in transcript_text(pilot), "the note in the transcript")
        assert [n.text for n in desk(pilot).conversations.private_notes(contact_id)] == [
            "Customer sounds upset, offer a goodwill credit"
        ]
        await pilot.press("ctrl+t", *"Hello!", "enter")  # back to replying
        await wait_until(pilot, lambda: "Hello!" in transcript_text(pilot), "the reply")
        on_server = (await mocks.contact_center().list_messages(contact_id)).items
        assert not any("goodwill" in item.text for item in on_server)
        assert any(item.text == "Hello!" for item in on_server)


async def test_older_messages_load_when_scrolled_to_the_top(mocks: InProcessMocks) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "long@example.com", "chat", "Charged twice this month")
        for n in range(70):
            await agent_writes_elsewhere(mocks, contact_id, f"Line {n} of a long chat")
    # A desktop started now reads the newest page only; the rest comes as the agent scrolls up.
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: contact_id in desk(pilot).conversations and desk(pilot).conversations[contact_id].loaded,
            "the chat",
        )
        conversation = desk(pilot).conversations[contact_id]
        # The newest page of 50.
        indexes = [item.index for item in conversation.items]
        assert conversation.has_more
        assert indexes[0] > 0
        assert len(indexes) >= 50
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))  # no gap between page and live
        assert "older messages" in transcript_text(pilot)
        view = pilot.app.screen.query_one("#transcript", TranscriptView)
        await pilot.press("i", "escape")
        view.focus()
        await pilot.press("home")
        await wait_until(pilot, lambda: not desk(pilot).conversations[contact_id].has_more, "the older page")
        assert conversation.items[0].index == 0
        assert "Start of the conversation" in transcript_text(pilot)
        assert transcript_text(pilot).count("Line 0 of a long chat") == 1
        assert view.scroll_y > 0  # the line the agent was reading stays in place: older lines went above it


async def test_a_message_that_arrives_while_the_agent_reads_further_up_stays_unread_until_they_reach_it(
    mocks: InProcessMocks,
) -> None:
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "upstairs@example.com", "chat", "Charged twice this month")
        for n in range(40):
            await agent_writes_elsewhere(mocks, contact_id, f"Line {n} of a long chat")
        await wait_until(pilot, lambda: "Line 39 of a long chat" in transcript_text(pilot), "the long chat")
        await pilot.press("i", "escape")
        view = pilot.app.screen.query_one("#transcript", TranscriptView)
        view.focus()
        await pilot.press("pageup", "pageup")  # reading further up
        assert not view.following
        read_before = await unread_on_server(mocks, contact_id)

        await agent_writes_elsewhere(mocks, contact_id, "Can you verify your email address?")
        answered = lambda: "my email is" in " ".join(customer_messages(pilot, contact_id))  # noqa: E731
        await wait_until(pilot, answered, "the answer", mocks=mocks, step_s=STEP_S)
        await wait_until(pilot, lambda: "new message" in screen_text(pilot, "#typing"), "told there is something below")
        await pilot.pause(0.5)  # what the desk would send, it has sent
        assert await unread_on_server(mocks, contact_id) > read_before  # no read mark went out for it
        assert desk(pilot).conversations[contact_id].unread >= 1

        await pilot.press("end")
        for _ in range(100):  # read once the agent reaches it (the mark goes out from a worker)
            if await unread_on_server(mocks, contact_id) == 0:
                break
            await pilot.pause()
        assert await unread_on_server(mocks, contact_id) == 0, "read once the agent reaches it"
        await wait_until(pilot, lambda: "new message" not in screen_text(pilot, "#typing"), "the note gone")


async def test_ctrl_pageup_and_pagedown_switch_chats_from_inside_the_composer(mocks: InProcessMocks) -> None:
    """`[` and `]` are typed there; ctrl+pageup/pagedown switch as a browser's tabs do, each draft kept."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await take(pilot, mocks, "dee@example.com", "chat", "Charged twice this month")
        second = await take(pilot, mocks, "eve@example.com", "chat", "Charged twice this month")
        assert desk(pilot).selected_id == second
        await pilot.press("i", *"For Eve [see]")
        await pilot.press("ctrl+pageup")
        assert desk(pilot).selected_id == first
        assert pilot.app.focused is composer(pilot)
        assert composer(pilot).text == ""
        await pilot.press(*"For Dee")
        await pilot.press("ctrl+pagedown")
        assert desk(pilot).selected_id == second
        assert composer(pilot).text == "For Eve [see]"
        await pilot.press("ctrl+pagedown")
        assert desk(pilot).selected_id == first
        assert composer(pilot).text == "For Dee"


def kept_for(owner: object, contact_ids: set[str], *, besides: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Which of `owner`'s dicts and sets still hold one of `contact_ids` (by key or member)."""
    kept = {}
    for name, value in vars(owner).items():
        if name in besides or not isinstance(value, dict | set | frozenset):
            continue
        if found := contact_ids & set(value):
            kept[name] = found
    return kept


async def test_chats_switched_between_then_completed_leave_nothing_behind_on_the_desk(mocks: InProcessMocks) -> None:
    """An 8-hour shift is hundreds of contacts: once a contact is completed the desk and its screen keep nothing
    of it (the transcript kept where the agent left each chat switched away from, one entry per chat, all
    shift long), beyond the desk's bounded list of finished ids that stops a late event from bringing one back."""
    async with scene_app(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await take(pilot, mocks, "fay@example.com", "chat", "Charged twice this month")
        second = await take(pilot, mocks, "gus@example.com", "chat", "Refund request")
        await pilot.press("left_square_bracket")  # the first chat again: the second's place is kept meanwhile
        await wait_until(pilot, lambda: desk(pilot).selected_id == first, "the first chat selected")
        # Both end (from another window of the agent's: the desk learns it from its stream), then each wrap-up is
        # saved by keys: a disposition, ctrl+s.
        for contact_id in (first, second):
            await mocks.contact_center().end_contact(contact_id)
        in_wrap_up = lambda: all(desk(pilot).held[c].phase is Phase.WRAP_UP for c in (first, second))  # noqa: E731
        await wait_until(pilot, in_wrap_up, "both in after-contact work")
        for left in (1, 0):
            await pilot.press("w", "enter", "down", "enter", "ctrl+s")

            def left_on_desk(left: int = left) -> bool:
                return len(desk(pilot).held) == left

            await wait_until(pilot, left_on_desk, f"{left} contact(s) left on the desk")
        await pilot.pause()
        done = {first, second}
        screen = agent_screen(pilot)
        assert kept_for(desk(pilot), done, besides=("_finished",)) == {}
        assert kept_for(screen.query_one("#transcript"), done) == {}
        assert kept_for(screen.conversation, done) == {}
        assert kept_for(screen.controller, done) == {}
