"""What each conversation keeps of its own while another is in front of the agent: the composer's mode
(reply or private note), where the transcript was scrolled to, and the draft; an email opens at the
customer's latest message; the transcript scrolls from inside the composer. Against the real mock servers."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import NOTE, REPLY
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.e2e.conversations.test_agent_conversations import (  # noqa: F401  (servers: the fixture)
    agent_writes_elsewhere,
    composer,
    desk,
    ready,
    servers,
    take,
    transcript_text,
)
from tests.support.scenes.scenes import SceneServers, scene_app, screen_text, wait_until

NARROW = (80, 24)


def view(pilot: Pilot[None]) -> TranscriptView:
    return pilot.app.screen.query_one("#transcript", TranscriptView)


async def test_a_private_note_in_one_chat_leaves_the_other_replying(servers: SceneServers) -> None:
    async with scene_app(servers, frozen=False).run_test(size=NARROW) as pilot:
        await ready(pilot)
        first = await take(pilot, servers, "anna@example.com")
        second = await take(pilot, servers, "bert@example.com", channel="email")
        await pilot.press("left_square_bracket")
        assert desk(pilot).selected_id == first
        await pilot.press("i", "ctrl+t", *"Goodwill credit?")
        assert composer(pilot).mode == NOTE
        assert "Private note" in screen_text(pilot, "#composer-count")

        await pilot.press("ctrl+pagedown")
        assert desk(pilot).selected_id == second
        assert composer(pilot).mode == REPLY
        assert "Private note" not in screen_text(pilot, "#composer-count")
        assert not composer(pilot).has_class("-note")

        await pilot.press("ctrl+pageup")  # back: still a note, with its draft
        assert composer(pilot).mode == NOTE
        assert composer(pilot).text == "Goodwill credit?"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Goodwill credit?" in transcript_text(pilot), "the note kept")
        assert [n.text for n in desk(pilot).conversations.private_notes(first)] == ["Goodwill credit?"]


async def test_an_email_opens_at_the_customers_latest_message(servers: SceneServers) -> None:
    async with scene_app(servers, frozen=False).run_test(size=NARROW) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, "erin@example.com", channel="email")
        await pilot.pause(0.3)
        items = desk(pilot).conversations[contact_id].items
        latest = [i for i in items if i.role is ParticipantRole.CUSTOMER][-1]
        lines = view(pilot).plain_lines()
        first_line = max(n for n, line in enumerate(lines) if line.startswith(latest.display_name))
        assert first_line > 0
        assert latest.text.splitlines()[0].strip() in lines[first_line + 2]  # (its subject first)
        top = round(view(pilot).scroll_y)
        assert top <= first_line < top + view(pilot).scrollable_content_region.height, (top, first_line)
        assert desk(pilot).conversations[contact_id].unread == 0  # in front of the agent: read


async def test_each_conversation_keeps_where_it_was_scrolled_and_the_composer_scrolls_it(servers: SceneServers) -> None:
    async with scene_app(servers, frozen=False).run_test(size=NARROW) as pilot:
        await ready(pilot)
        first = await take(pilot, servers, "long@example.com")
        for n in range(30):
            agent_writes_elsewhere(servers, first, f"Line {n} of a long chat")
        await wait_until(pilot, lambda: "Line 29 of a long chat" in transcript_text(pilot), "the long chat")
        await pilot.press("i", *"typing")
        at_end = view(pilot).scroll_y
        await pilot.press("shift+pageup", "shift+pageup")  # from inside the composer
        assert pilot.app.focused is composer(pilot)
        assert composer(pilot).text == "typing"
        assert view(pilot).scroll_y < at_end
        assert not view(pilot)._follow
        await pilot.press("shift+pagedown")
        await pilot.press("ctrl+up")
        reading = view(pilot).scroll_y
        assert reading < at_end

        await pilot.press("escape")
        await take(pilot, servers, "short@example.com")
        assert desk(pilot).selected_id != first
        await pilot.press("left_square_bracket")
        assert desk(pilot).selected_id == first
        await pilot.pause(0.2)
        assert view(pilot).scroll_y == reading  # where the agent left it
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down", "ctrl+down")
        assert view(pilot).scroll_y == view(pilot).max_scroll_y
