"""The conversation workspace against the real mock servers on loopback, driven by keys: a chat read and
answered, three chats with unread counts and drafts kept across switches, an email reply, an SMS over one
segment, the inactivity timeout, hostile customer text, and the link cut mid-conversation."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from textual.content import Content

from desktop.backend_factory import build_backends
from desktop.backends.models import MessageEvent, ParticipantRole
from desktop.demo import demo_settings
from desktop.ui.app import AgentDesktopApp
from mock_backends.common.settings import DEMO_SUPERVISOR_TOKEN, MockSettings
from scripts.scenes import SIZE, SceneServers, go_available, scene_app, scene_servers, screen_text, wait_until
from tests.hostile_models import CONTROL, PAYLOADS, visible
from tests.test_link_loss import CuttableLink, start



SPEED = 20  # the simulated customers answer in a fraction of a second


@pytest.fixture
def servers(tmp_path):
    with scene_servers(tmp_path / "mocks", frozen=False, speed=SPEED) as running:
        yield running


def transcript_text(pilot) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript").plain_lines())


def desk(pilot):
    return pilot.app.screen.desk


def held_id(pilot, address: str) -> str | None:
    return next((cid for cid, held in desk(pilot).held.items() if held.contact.from_address == address), None)


async def take(pilot, servers, address: str, channel: str = "chat", subject: str = "Charged twice this month") -> str:
    """A customer writes in; the agent accepts with `a` and the conversation opens with their first message."""
    servers.place_call(address, channel=channel, subject=subject)
    await wait_until(pilot, lambda: "a accept" in screen_text(pilot, "#offer").lower() or desk(pilot).offer is not None, "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: held_id(pilot, address) is not None, "the contact in hand")
    contact_id = held_id(pilot, address)
    await wait_until(
        pilot,
        lambda: any(i.role is ParticipantRole.CUSTOMER for i in desk(pilot).conversations[contact_id].items),
        "the customer's opening message",
    )
    return contact_id


async def ready(pilot) -> None:
    await wait_until(pilot, lambda: bool(desk(pilot).queues), "the queues")
    await go_available(pilot)


def customer_messages(pilot, contact_id: str) -> list[str]:
    items = desk(pilot).conversations[contact_id].items
    return [i.text for i in items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]


async def test_a_chat_by_keyboard_read_answered_and_the_customer_answers(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "dana@example.com")
        await wait_until(pilot, lambda: "charged twice" in transcript_text(pilot).lower(), "the opening message on screen")
        assert pilot.app.screen.query_one("#conversation").display
        palette = {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}
        assert {"Reply", "Reply/note"} <= palette and "Send" not in palette
        await pilot.press("i")
        assert pilot.app.focused.id == "composer"
        palette = {command.title for command in pilot.app.get_system_commands(pilot.app.screen)}
        assert {"Send", "New line", "Leave", "Reply/note"} <= palette and "Reply" not in palette
        await pilot.press(*"Sorry about that. Can you verify your email address?")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "verify your email address" in transcript_text(pilot), "the reply in the transcript")
        assert pilot.app.screen.query_one("#composer").text == ""
        # The simulated customer reads it and answers with their email.
        await wait_until(pilot, lambda: "my email is" in transcript_text(pilot), "the customer's answer", timeout_s=20)
        await wait_until(pilot, lambda: "✓✓ read" in transcript_text(pilot), "the read receipt")
        # The agent had the conversation in front of them: nothing unread.
        await wait_until(pilot, lambda: desk(pilot).conversations[contact_id].unread == 0, "unread cleared")
        assert transcript_text(pilot).count("verify your email address") == 1


AGENT = {"Authorization": "Bearer demo-agent-token"}
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}


def agent_writes_elsewhere(servers, contact_id: str, text: str) -> None:
    """The agent's message from another window of theirs: the customer answers it while another chat is selected."""
    response = httpx.post(f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", json={"text": text}, headers=AGENT, timeout=5)
    assert response.status_code == 201, response.text


def server_text(servers, contact_id: str) -> str:
    """The conversation's transcript as the contact center holds it (what the desktop cannot see during a cut)."""
    response = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", params={"limit": 200}, headers=AGENT, timeout=5)
    return "\n".join(item["text"] for item in response.json()["items"])


def subtitle_of(widget) -> str:
    return Content.from_markup(str(widget.border_subtitle or "")).plain  # Textual keeps a title as markup


def composer(pilot):
    return pilot.app.screen.query_one("#composer")


async def test_three_chats_unread_counts_and_drafts_kept_across_switches(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await take(pilot, servers, "ann@example.com", subject="Charged twice this month")
        second = await take(pilot, servers, "ben@example.com", subject="Refund request")
        third = await take(pilot, servers, "cal@example.com", subject="Update my payment method")
        assert desk(pilot).selected_id == third
        # Each opening message was read when its chat was selected on accepting it.
        assert [desk(pilot).conversations[c].unread for c in (first, second, third)] == [0, 0, 0]

        # The first customer answers while the third chat is in front of the agent.
        agent_writes_elsewhere(servers, first, "Can you verify your email address?")
        await wait_until(pilot, lambda: desk(pilot).conversations[first].unread == 1, "an unread answer in the first chat", timeout_s=20)
        await wait_until(pilot, lambda: re.search(r"ann@exa\S* 1 \|", screen_text(pilot, "#contacts")) is not None, "the unread badge")

        # A draft in the third, another in the second: each is kept across [ and ].
        await pilot.press("i", *"Draft for Cal")
        await pilot.press("escape", "left_square_bracket")
        assert desk(pilot).selected_id == second and composer(pilot).text == ""
        await pilot.press("i", *"Draft for Ben")
        await pilot.press("escape", "right_square_bracket")
        assert composer(pilot).text == "Draft for Cal"
        await pilot.press("left_square_bracket")
        assert composer(pilot).text == "Draft for Ben"
        await pilot.press("left_square_bracket")  # the first chat: its answer is read now
        assert desk(pilot).selected_id == first
        await wait_until(pilot, lambda: "my email is" in transcript_text(pilot), "the first customer's answer")
        await wait_until(pilot, lambda: desk(pilot).conversations[first].unread == 0, "unread cleared on reading")
        await pilot.pause(0.5)  # the drafts settle on disk
    # The drafts are on disk beside the wrap-up drafts: a restarted desktop finds them.
    again = scene_app(servers, frozen=False)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(desk(pilot).conversations) == 3, "the chats in hand again")
        assert desk(pilot).composer == {second: "Draft for Ben", third: "Draft for Cal"}


async def test_an_email_reply_with_its_subject_and_the_quoted_thread(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "erin@example.com", channel="email")
        text = transcript_text(pilot)
        assert "Subject: Charged twice this month" in text
        assert "│ Support team wrote:" in text  # the thread, quoted
        assert "Re: Charged twice this month" in screen_text(pilot, "#reply-subject")
        await pilot.press("i", *"Hello,", "ctrl+j", *"The second payment is refunded.", "enter")
        await wait_until(
            pilot,
            lambda: any(i.role is ParticipantRole.AGENT and i.subject == "Re: Charged twice this month"
                        for i in desk(pilot).conversations[contact_id].items),
            "the reply in the thread",
        )  # fmt: skip
        sent = [i for i in desk(pilot).conversations[contact_id].items if i.role is ParticipantRole.AGENT][-1]
        assert sent.text == "Hello,\nThe second payment is refunded."  # ctrl+j made the line
        await wait_until(pilot, lambda: transcript_text(pilot).count("Subject: Re: Charged twice") >= 1, "the reply drawn")


async def test_an_sms_over_one_segment_is_counted_as_two(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "+12125550177", channel="sms")
        reply = "Thanks for writing in. I can see the two payments on your account and I have refunded the second one; it shows on your statement within 3 to 5 business days. Anything else?"
        assert 160 < len(reply) <= 306
        await pilot.press("i", *reply)
        count = screen_text(pilot, "#composer-count")
        assert f"{len(reply)} / 1,600" in count and "2 SMS segments (GSM-7)" in count
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: any(i.segments == 2 for i in desk(pilot).conversations[contact_id].items if i.role is ParticipantRole.AGENT),
            "the SMS sent in two segments",
        )
        await wait_until(pilot, lambda: "(2 SMS segments, GSM-7)" in transcript_text(pilot), "the segments shown")


async def test_the_inactivity_timeout_counts_down_in_red_and_ends_the_chat(servers):
    response = httpx.patch(
        f"{servers.ccaas_url}/v1/queues/billing/conversation-settings", json={"inactivity_timeout_s": {"chat": 4}},
        headers=SUPERVISOR, timeout=5,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "quiet@example.com")
        pane = pilot.app.screen.query_one("#conversation")
        await wait_until(pilot, lambda: "ends in" in subtitle_of(pane), "the countdown")
        assert "$error]ends in" in str(pane.border_subtitle), "the last minute is red"
        assert "Ends" in screen_text(pilot, "#contacts")
        await wait_until(pilot, lambda: desk(pilot).conversations[contact_id].ended, "the timeout", timeout_s=15)
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


async def test_hostile_customer_messages_are_shown_literally(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "hostile@example.com")
        conversation = desk(pilot).conversations[contact_id]
        last = conversation.items[-1]
        for n, text in enumerate(HOSTILE_TEXTS, start=1):
            item = last.model_copy(
                update={"id": f"m-9{n:05d}", "index": last.index + n, "role": ParticipantRole.CUSTOMER, "kind": "message",
                        "text": text, "display_name": PAYLOADS["click"]}
            )  # fmt: skip
            pilot.app.screen.controller.receive(MessageEvent(contact_id=contact_id, item=item))
        await pilot.pause(0.3)
        assert pilot.app.is_running
        lines = pilot.app.screen.query_one("#transcript").plain_lines()
        text = " ".join(line.strip() for line in lines)  # wrapping broke lines at spaces
        for payload in HOSTILE_TEXTS[:-3]:
            assert visible(payload) in text, payload
        assert sum(len(line.strip()) for line in lines if set(line.strip()) == {"x"}) == 10_000  # the long line, all of it
        assert "مرحبا" in text and "👋🏽" in text
        assert visible(PAYLOADS["click"]) in text  # the name as written
        assert not any(CONTROL.search(line) for line in lines)
        # What reaches the terminal: no control character from the customer, the view drawn line by line.
        view = pilot.app.screen.query_one("#transcript")
        drawn = "".join(segment.text for y in range(view.size.height) for segment in view.render_line(y))
        assert not CONTROL.search(drawn)
        await pilot.press("escape", "i")  # scrolling through it and typing still work
        view.scroll_home(animate=False)
        await pilot.pause(0.1)
        assert pilot.app.is_running


async def test_the_link_cut_mid_conversation_loses_and_doubles_nothing(tmp_path):
    settings = MockSettings(
        data_dir=tmp_path / "mocks", seed=42, customers=300, experts=10, simulator=False, speed=SPEED, fresh=True
    )
    running = start(settings)
    ccaas_url, crm_url, presence_url = running.urls
    servers = SceneServers(ccaas_url, crm_url, presence_url, settings)
    link = CuttableLink(int(ccaas_url.rsplit(":", 1)[1]))
    try:
        app = AgentDesktopApp(build_backends(demo_settings(await link.start(), crm_url, presence_url)))
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            contact_id = await take(pilot, servers, "cut@example.com")
            await pilot.press("i", *"Can you verify your email address?", "enter")
            await wait_until(pilot, lambda: "my email is" in transcript_text(pilot), "the first answer", timeout_s=20)

            link.cut()
            await wait_until(pilot, lambda: "— reconnecting" in screen_text(pilot, "#agent-status"), "the lost link")
            # The conversation goes on without the desktop: the agent writes from another window, the customer answers.
            agent_writes_elsewhere(servers, contact_id, "Which card was it on?")
            await wait_until(pilot, lambda: "It was on my card" in server_text(servers, contact_id), "the customer's answer meanwhile")
            link.restore()
            await wait_until(pilot, lambda: "reconnecting" not in screen_text(pilot, "#agent-status"), "reconnected", timeout_s=20)
            await wait_until(pilot, lambda: "It was on my card" in transcript_text(pilot), "the answer given during the cut", timeout_s=20)
            await pilot.pause(0.5)

            on_server = httpx.get(f"{ccaas_url}/v1/contacts/{contact_id}/messages", params={"limit": 200}, headers=AGENT, timeout=5).json()
            held = desk(pilot).conversations[contact_id].items
            assert [i.id for i in held] == [i["id"] for i in on_server["items"]]  # nothing lost, nothing twice
            text = transcript_text(pilot)
            assert text.count("Which card was it on?") == 1 and text.count("verify your email address") == 1
    finally:
        await link.close()
        running.stop()


async def test_a_private_note_is_kept_with_the_desk_and_never_sent(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "notes@example.com")
        await pilot.press("i", "ctrl+t")
        assert "Private note" in screen_text(pilot, "#composer-count")
        await pilot.press(*"Customer sounds upset, offer a goodwill credit", "enter")
        await wait_until(pilot, lambda: "Private note" in transcript_text(pilot), "the note in the transcript")
        assert [n.text for n in desk(pilot).private_notes(contact_id)] == ["Customer sounds upset, offer a goodwill credit"]
        await pilot.press("ctrl+t", *"Hello!", "enter")  # back to replying
        await wait_until(pilot, lambda: "Hello!" in transcript_text(pilot), "the reply")
        on_server = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", headers=AGENT, timeout=5).json()["items"]
        assert not any("goodwill" in item["text"] for item in on_server)
        assert any(item["text"] == "Hello!" for item in on_server)


async def test_older_messages_load_when_scrolled_to_the_top(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "long@example.com")
        for n in range(70):
            agent_writes_elsewhere(servers, contact_id, f"Line {n} of a long chat")
    # A desktop started now reads the newest page only; the rest comes as the agent scrolls up.
    again = scene_app(servers, frozen=False)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: contact_id in desk(pilot).conversations and desk(pilot).conversations[contact_id].loaded, "the chat")
        conversation = desk(pilot).conversations[contact_id]
        # The newest page of 50 (the simulated customer may have answered one more line since).
        indexes = [item.index for item in conversation.items]
        assert conversation.has_more and indexes[0] > 0 and len(indexes) >= 50
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))  # no gap between page and live
        assert "older messages" in transcript_text(pilot)
        view = pilot.app.screen.query_one("#transcript")
        await pilot.press("i", "escape")
        view.focus()
        await pilot.press("home")
        await wait_until(pilot, lambda: not desk(pilot).conversations[contact_id].has_more, "the older page")
        assert conversation.items[0].index == 0
        assert "Start of the conversation" in transcript_text(pilot)
        assert transcript_text(pilot).count("Line 0 of a long chat") == 1
        assert view.scroll_y > 0  # the line the agent was reading stays in place: older lines went above it


def unread_on_server(servers, contact_id: str) -> int:
    """What the contact center says the agent has not read (it tells the customer "seen" for the rest)."""
    response = httpx.get(f"{servers.ccaas_url}/v1/contacts/{contact_id}/conversation", headers=AGENT, timeout=5)
    return response.json()["unread"]


async def test_a_message_that_arrives_while_the_agent_reads_further_up_stays_unread_until_they_reach_it(servers):
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "upstairs@example.com")
        for n in range(40):
            agent_writes_elsewhere(servers, contact_id, f"Line {n} of a long chat")
        await wait_until(pilot, lambda: "Line 39 of a long chat" in transcript_text(pilot), "the long chat")
        await pilot.press("i", "escape")
        view = pilot.app.screen.query_one("#transcript")
        view.focus()
        await pilot.press("pageup", "pageup")  # reading further up
        assert not view.following
        read_before = unread_on_server(servers, contact_id)

        agent_writes_elsewhere(servers, contact_id, "Can you verify your email address?")
        await wait_until(pilot, lambda: "my email is" in " ".join(customer_messages(pilot, contact_id)), "the answer", timeout_s=20)
        await wait_until(pilot, lambda: "new message" in screen_text(pilot, "#typing"), "told there is something below")
        await pilot.pause(0.5)
        assert unread_on_server(servers, contact_id) > read_before  # no read mark went out for it
        assert desk(pilot).conversations[contact_id].unread >= 1

        await pilot.press("end")
        await wait_until(pilot, lambda: unread_on_server(servers, contact_id) == 0, "read once the agent reaches it")
        await wait_until(pilot, lambda: "new message" not in screen_text(pilot, "#typing"), "the note gone")


async def test_ctrl_pageup_and_pagedown_switch_chats_from_inside_the_composer(servers):
    """`[` and `]` are typed there; ctrl+pageup/pagedown switch as a browser's tabs do, each draft kept."""
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = await take(pilot, servers, "dee@example.com")
        second = await take(pilot, servers, "eve@example.com")
        assert desk(pilot).selected_id == second
        await pilot.press("i", *"For Eve [see]")
        await pilot.press("ctrl+pageup")
        assert desk(pilot).selected_id == first
        assert pilot.app.focused is composer(pilot) and composer(pilot).text == ""
        await pilot.press(*"For Dee")
        await pilot.press("ctrl+pagedown")
        assert desk(pilot).selected_id == second and composer(pilot).text == "For Eve [see]"
        await pilot.press("ctrl+pagedown")
        assert desk(pilot).selected_id == first and composer(pilot).text == "For Dee"
