"""The controller's conversation use cases against the real mock CCaaS: "typing" sent once on the first
key and stopped after a pause (a message sent ends it by itself), an agent's card number masked before it leaves the desk, the
conversation (re)read and merged with what the stream brought."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

import agent_desktop.agent_desk.conversations.conversation_use_cases as conversation_module
from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import ContactEvent, ParticipantRole
from agent_desktop.outbox.store import Outbox
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN

AGENT = {"Authorization": "Bearer demo-agent-token"}


class WatchedContactCenter(HttpContactCenter):
    """The real HTTP client, noting each typing call the server accepted."""

    def __init__(self, base_url: str, token: str, agent_id: str) -> None:
        super().__init__(base_url, token, agent_id)
        self.typing: list[bool] = []

    async def set_typing(self, contact_id: str, typing: bool) -> None:
        await super().set_typing(contact_id, typing)
        self.typing.append(typing)


def chat_in_hand(url: str) -> str:
    with httpx.Client(base_url=url, headers=AGENT, timeout=5) as agent:
        agent.put("/v1/agents/agent-001/state", json={"state": "available"}).raise_for_status()
        body = {
            "queue_id": "billing",
            "channel": "chat",
            "from_address": "dana@example.com",
            "subject": "Charged twice",
        }
        created = httpx.post(
            f"{url}/v1/contacts", json=body, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}, timeout=5
        )
        created.raise_for_status()
        offer = agent.get("/v1/agents/agent-001/offers").json()[0]
        agent.post(f"/v1/offers/{offer['id']}/accept").raise_for_status()
        answer: str = created.json()["id"]
        return answer


async def test_typing_is_debounced_and_a_card_number_is_masked_before_sending(
    ccaas_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversation_module, "TYPING_IDLE_S", 0.3)
    contact_id = chat_in_hand(ccaas_url)
    center = WatchedContactCenter(ccaas_url, "demo-agent-token", "agent-001")
    desk = Desk("agent-001")
    controller = DeskController(desk, center, None, None, Outbox(tmp_path / "outbox.db"))  # type: ignore[arg-type]
    try:
        (contact,) = await center.list_contacts()
        controller.receive(ContactEvent(contact=contact))  # as the stream brings it
        for _ in range(100):
            if desk.conversations[contact_id].loaded:
                break
            await asyncio.sleep(0.02)
        conversation = desk.conversations[contact_id]
        assert any(i.role is ParticipantRole.CUSTOMER for i in conversation.items)  # the opening message

        for _ in range(5):  # five keys in quick succession: one "typing"
            controller.conversation.typed(contact_id)
            await asyncio.sleep(0.05)
        for _ in range(100):  # a pause (TYPING_IDLE_S): "stopped"
            if len(center.typing) >= 2:
                break
            await asyncio.sleep(0.05)
        assert center.typing == [True, False]

        controller.conversation.typed(contact_id)
        await asyncio.sleep(0.05)
        item = await controller.conversation.send_text(contact_id, "Paid with 4111 1111 1111 1111, CVV 123")
        await asyncio.sleep(0.1)
        assert center.typing == [True, False, True]  # the message ends it there: no request to stop it
        assert item is not None
        assert "4111 1111 1111 1111" not in item.text
        assert "123" not in item.text
        on_server = httpx.get(f"{ccaas_url}/v1/contacts/{contact_id}/messages", headers=AGENT, timeout=5).json()[
            "items"
        ]
        assert "4111 1111 1111 1111" not in on_server[-1]["text"]
        assert on_server[-1]["text"].endswith("[security code removed]")
        assert [i.id for i in conversation.items].count(item.id) == 1

        # Read again (as after a reconnect): merged, nothing twice.
        before = [i.id for i in conversation.items]
        await controller.conversation.load_conversation(contact_id)
        assert [i.id for i in conversation.items][: len(before)] == before
        assert len({i.id for i in conversation.items}) == len(conversation.items)
    finally:
        await controller.aclose()
        await center.aclose()
