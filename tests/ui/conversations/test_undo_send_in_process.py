"""An email or SMS waits a few seconds before it leaves, with an undo (as a mail client's "Undo send"), on the
in-process mocks with the desk's clock stepped: a stray `e` then enter in an email reply no longer reaches the
customer. The transcript counts it down with its key, the footer offers the key, ctrl+z puts the text back in the
composer whole; left alone it leaves when the time is up, with another conversation in front too; ending the
contact or quitting sends it first. A chat stays instant."""

from __future__ import annotations

from textual.pilot import Pilot

from agent_desktop.domain.vocabulary import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.app import AgentDesktopApp
from agent_desktop.ui.shared.transcript_view import TranscriptView
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.in_process.scenes import SIZE, go_available, loaded, take, wait_until
from tests.support.scenes.pilot_steps import agent_screen, screen_text

UNDO_S = 5


def app_on(mocks: InProcessMocks, undo_send_s: float = UNDO_S) -> AgentDesktopApp:
    return desk_app(mocks.backends(), clock=mocks.clock.now, undo_send_s=undo_send_s, status_clock_s=0.1)


def transcript_text(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


AUTOMATIC = "Thank you for contacting us."  # the email's automatic acknowledgement, sent as the team


async def agent_messages_on_server(mocks: InProcessMocks, contact_id: str) -> list[str]:
    """What the contact center has of the agent's messages (the automatic acknowledgement aside): what reached
    the customer."""
    page = await mocks.contact_center().list_messages(contact_id)
    agent = [i.text for i in page.items if i.role is ParticipantRole.AGENT and i.kind == "message"]
    return [text for text in agent if not text.startswith(AUTOMATIC)]


async def ready(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    await go_available(pilot)


async def test_a_stray_enter_in_an_email_waits_and_ctrl_z_puts_the_text_back(mocks: InProcessMocks) -> None:
    async with app_on(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "erin@example.com", "email", "Charged twice this month")
        await pilot.press("i", "e", "enter")  # `e` out of voice habit, then enter
        await wait_until(pilot, lambda: "sending in 5 s — ^z undo" in transcript_text(pilot), "the countdown")
        assert await agent_messages_on_server(mocks, contact_id) == [], "nothing has left yet"
        assert pilot.app.screen.query_one("#composer", Composer).text == ""
        await wait_until(pilot, lambda: "Undo send" in screen_text(pilot, "KeyFooter"), "the key in the footer")
        mocks.time.advance(2)
        await wait_until(pilot, lambda: "sending in 3 s" in transcript_text(pilot), "counting down")

        await pilot.press(*"Dear Erin")  # typed meanwhile: kept after the text taken back
        await pilot.press("ctrl+z")
        composer = pilot.app.screen.query_one("#composer", Composer)
        await wait_until(pilot, lambda: composer.text == "e\nDear Erin", "the text back in the composer, whole")
        assert pilot.app.focused is composer
        assert "sending in" not in transcript_text(pilot)
        await wait_until(pilot, lambda: "Undo send" not in screen_text(pilot, "KeyFooter"), "the key gone")
        mocks.time.advance(UNDO_S + 1)
        await pilot.pause(0.3)  # ticks of the desk's clock past the time it would have left
        assert await agent_messages_on_server(mocks, contact_id) == [], "undone: never sent"
        assert agent_screen(pilot).desk.conversations.composer[contact_id] == "e\nDear Erin"


async def test_an_sms_leaves_when_its_time_is_up_with_another_conversation_in_front(mocks: InProcessMocks) -> None:
    async with app_on(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        sms = await take(pilot, mocks, "+12125550177", "sms", "Charged twice this month")
        chat = await take(pilot, mocks, "dana@example.com", "chat", "Refund request")
        await pilot.press("left_square_bracket")  # the SMS
        assert agent_screen(pilot).desk.selected_id == sms
        await pilot.press("i", *"Refunded today.", "enter")
        await wait_until(pilot, lambda: "sending in 5 s" in transcript_text(pilot), "the SMS waiting")
        await pilot.press("ctrl+pagedown")  # the chat in front now, from the composer
        assert agent_screen(pilot).desk.selected_id == chat
        await pilot.press(*"Looking into it.", "enter")  # still in the composer; a chat leaves at once
        await wait_until(pilot, lambda: "Looking into it." in transcript_text(pilot), "the chat reply")
        assert await agent_messages_on_server(mocks, chat) == ["Looking into it."]
        assert await agent_messages_on_server(mocks, sms) == []
        mocks.time.advance(UNDO_S)
        sent: list[str] = []

        async def sms_sent() -> bool:
            sent[:] = await agent_messages_on_server(mocks, sms)
            return bool(sent)

        for _ in range(100):  # bounded: the desk's tick sends it within a tick of its time
            if await sms_sent():
                break
            await pilot.pause(0.05)
        assert sent == ["Refunded today."]
        await pilot.press("ctrl+pageup")
        await wait_until(pilot, lambda: "Refunded today." in transcript_text(pilot), "the SMS in its transcript")
        assert "sending in" not in transcript_text(pilot)


async def test_ending_the_email_sends_what_waits_first(mocks: InProcessMocks) -> None:
    async with app_on(mocks).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "erin@example.com", "email", "Charged twice this month")
        await pilot.press("i", *"The refund is on its way.", "enter", "escape")
        await wait_until(pilot, lambda: "sending in" in transcript_text(pilot), "the email waiting")
        await pilot.press("e")  # the customer wrote last (the reply has not left): the desk asks first
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "the question")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        assert await agent_messages_on_server(mocks, contact_id) == ["The refund is on its way."]


async def test_quitting_sends_what_waits(mocks: InProcessMocks) -> None:
    app = app_on(mocks)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "erin@example.com", "email", "Charged twice this month")
        await pilot.press("i", *"The refund is on its way.", "enter")
        await wait_until(pilot, lambda: "sending in" in transcript_text(pilot), "the email waiting")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QuitDialog", "the quit question")
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the desk to quit")
    assert await agent_messages_on_server(mocks, contact_id) == ["The refund is on its way."]


async def test_undo_time_zero_sends_an_email_at_once(mocks: InProcessMocks) -> None:
    async with app_on(mocks, undo_send_s=0).run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, mocks, "erin@example.com", "email", "Charged twice this month")
        await pilot.press("i", *"At once.", "enter")
        await wait_until(pilot, lambda: "At once." in transcript_text(pilot), "the reply sent")
        assert await agent_messages_on_server(mocks, contact_id) == ["At once."]
        assert "sending in" not in transcript_text(pilot)
