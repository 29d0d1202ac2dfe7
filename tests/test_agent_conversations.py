"""The conversation workspace against the real mock servers on loopback, driven by keys: a chat read and
answered, three chats with unread counts and drafts kept across switches, an email reply, an SMS over one
segment, the inactivity timeout, hostile customer text, and the link cut mid-conversation."""

from __future__ import annotations

import httpx
import pytest

from desktop.backends.models import ParticipantRole
from mock_backends.common.settings import DEMO_SUPERVISOR_TOKEN
from scripts.scenes import SIZE, go_available, scene_app, scene_servers, screen_text, wait_until



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
        await pilot.press("i")
        assert pilot.app.focused.id == "composer"
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
