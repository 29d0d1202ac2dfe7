"""A whole chat by keyboard against the real servers: offer, accept, read the opening message,
answer with a quick response whose placeholders are filled, the simulated customer answers, a private
note, end, the wrap-up drafted from the transcript, ctrl+s — and the CRM holds exactly one interaction
with the transcript (card data masked) and the private note."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.widgets import TextArea

from agent_desktop.domain.models import ParticipantRole
from tests.e2e.conversations.test_agent_conversations import customer_messages, ready, servers, take, transcript_text  # noqa: F401
from tests.support.scenes.pilot_steps import agent_screen
from tests.support.scenes.scenes import SIZE, SceneServers, scene_app, screen_text, wait_until

CRM = {"Authorization": "Bearer demo-crm-token"}


async def test_a_whole_chat_by_keyboard_ends_in_the_crm_once_with_its_masked_transcript(servers: SceneServers) -> None:  # noqa: F811
    caller = servers.caller(4)
    first_name = caller.name.split()[0]
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, caller.email)
        await wait_until(pilot, lambda: caller.name in screen_text(pilot, "#customer-summary"), "the screen pop")
        opening = customer_messages(pilot, contact_id)[0]
        await wait_until(pilot, lambda: opening[:30] in transcript_text(pilot), "the opening message on screen")

        await pilot.press("i", "ctrl+r")  # quick responses: the greeting, filled in for this customer, sent at once
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "QuickResponsePicker", "the picker")
        await pilot.press(*"greeting", "ctrl+s")
        greeting = f"Hi {first_name}, this is Alex. How can I help you today?"
        await wait_until(pilot, lambda: greeting in transcript_text(pilot), "the greeting in the transcript")

        await pilot.press(*"Which card was it? Mine shows 4111 1111 1111 1111 on file.", "enter")
        await wait_until(pilot, lambda: len(customer_messages(pilot, contact_id)) >= 2, "the customer's answer")
        sent = [
            i.text for i in agent_screen(pilot).desk.conversations[contact_id].items if i.role is ParticipantRole.AGENT
        ]
        assert any("•••• 1111" in text for text in sent)
        assert not any("4111 1111 1111 1111" in t for t in sent)

        await pilot.press("ctrl+t", *"Wants the refund today", "enter", "ctrl+t", "escape")
        await wait_until(pilot, lambda: "Wants the refund today" in transcript_text(pilot), "the private note")

        await pilot.press("e")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "a question")
        await pilot.press("ctrl+e")  # the customer answered last: end it anyway
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w")
        notes = pilot.app.screen.query_one("#notes", TextArea)
        await wait_until(pilot, lambda: notes.text.startswith("Intent: "), "the drafted summary in the notes")
        assert "read and edit them before ctrl+s" in screen_text(pilot, "#wrap-up-status")
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")

    customer = httpx.get(f"{servers.crm_url}/v1/customers/lookup", params={"email": caller.email}, headers=CRM).json()
    written = httpx.get(f"{servers.crm_url}/v1/interactions", params={"contact_id": contact_id}, headers=CRM).json()
    assert len(written) == 1
    assert written[0]["customer_id"] == customer["customers"][0]["id"]
    whole = httpx.get(f"{servers.crm_url}/v1/interactions/{written[0]['id']}", headers=CRM).json()
    texts = [line["text"] for line in whole["transcript"]]
    assert greeting in texts
    assert opening in texts
    assert not any("4111 1111 1111 1111" in t for t in texts)
    assert whole["private_notes"] == ["Wants the refund today"]
    assert whole["notes"].startswith("Intent: ")  # the drafted summary, as the agent saved it


async def test_a_chat_transferred_with_a_note_arrives_with_its_transcript_and_the_note(
    servers: SceneServers,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The first desktop transfers a chat back to its queue with a note; the second desktop (agent-002, the
    only one signed in then) takes it and reads the whole conversation, the note in the transcript."""
    from agent_desktop.app.backend_factory import build_backends
    from agent_desktop.app.config import BackendConfig
    from agent_desktop.app.demo import demo_settings
    from tests.support.desk_app import desk_app

    caller = servers.caller(6)
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        contact_id = await take(pilot, servers, caller.email)
        opening = customer_messages(pilot, contact_id)[0]
        await pilot.press("t")
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "TransferDialog", "the transfer dialog")
        # n: the note (its letters are the note's, never the dialog's keys); escape: back to the queues; enter.
        await pilot.press("n", *"Refund approved, card 4111 1111 1111 1111 on file", "escape", "enter")
        await wait_until(pilot, lambda: contact_id not in agent_screen(pilot).desk.held, "the chat transferred away")

    settings = demo_settings(servers.ccaas_url, servers.crm_url, servers.presence_url, outbox_path=tmp_path / "b.db")
    settings = settings.model_copy(
        update={"agent_id": "agent-002", "ccaas": BackendConfig(base_url=servers.ccaas_url, token="agent-002-token")}
    )
    receiver = desk_app(build_backends(settings))
    async with receiver.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: agent_screen(pilot).desk.offer is not None, "the transferred chat offered")
        await pilot.press("a")
        await wait_until(pilot, lambda: contact_id in agent_screen(pilot).desk.conversations, "the chat in hand")
        await wait_until(pilot, lambda: "Refund approved" in transcript_text(pilot), "the note in the transcript")
        text = transcript_text(pilot)
        assert opening[:30] in text
        assert "transferred the conversation to" in text
        assert "4111 1111 1111 1111" not in text
        assert "•••• 1111" in text  # the note was masked before it left
