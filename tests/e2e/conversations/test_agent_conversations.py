"""The conversation workspace against the real mock servers on loopback: the link cut mid-conversation (a
real socket cut and reconnect) loses and doubles nothing. The workspace's keys and screens (a chat read and
answered, three chats, an email reply, an SMS, the inactivity timeout, hostile text, notes, older pages) are
proven on the in-process mocks: tests/ui/conversations/test_agent_conversations_in_process.py. Other tests over the
servers take their `servers` fixture and helpers from here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from agent_desktop.agent_desk.desk import Desk
from agent_desktop.app.backend_factory import build_backends
from agent_desktop.app.demo import demo_settings
from agent_desktop.domain.models import ParticipantRole
from agent_desktop.ui.agent.conversations.composer import Composer
from agent_desktop.ui.shared.transcript_view import TranscriptView
from agent_desktop_mocks.ccaas.settings import MockSettings
from tests.e2e.backends.test_link_loss import CuttableLink, start
from tests.support.desk_app import desk_app
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import agent_screen, back_to_contacts
from tests.support.scenes.scenes import SIZE, SceneServers, go_available, scene_servers, screen_text, wait_until

SPEED = 20  # the simulated customers answer in a fraction of a second


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[SceneServers]:
    """The scene's servers on loopback (tests/e2e/conversations/test_chat_end_to_end.py and others take this fixture from here)."""
    with scene_servers(tmp_path / "mocks", frozen=False, speed=SPEED) as running:
        yield running


def transcript_text(pilot: Pilot[None]) -> str:
    return "\n".join(pilot.app.screen.query_one("#transcript", TranscriptView).plain_lines())


def desk(pilot: Pilot[None]) -> Desk:
    return agent_screen(pilot).desk


def held_id(pilot: Pilot[None], address: str) -> str | None:
    return next((cid for cid, held in desk(pilot).held.items() if held.contact.from_address == address), None)


async def take(
    pilot: Pilot[None],
    servers: SceneServers,
    address: str,
    channel: str = "chat",
    subject: str = "Charged twice this month",
) -> str:
    """A customer writes in; the agent accepts with `a` and the conversation opens with their first message."""
    servers.place_call(address, channel=channel, subject=subject)
    await wait_until(
        pilot, lambda: "a accept" in screen_text(pilot, "#offer").lower() or desk(pilot).offer is not None, "the offer"
    )
    await pilot.press("a")
    await wait_until(pilot, lambda: held_id(pilot, address) is not None, "the contact in hand")
    await back_to_contacts(pilot)
    contact_id = present(held_id(pilot, address))
    await wait_until(
        pilot,
        lambda: any(i.role is ParticipantRole.CUSTOMER for i in desk(pilot).conversations[contact_id].items),
        "the customer's opening message",
    )
    return contact_id


async def ready(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: bool(desk(pilot).queues), "the queues")
    await go_available(pilot)


def customer_messages(pilot: Pilot[None], contact_id: str) -> list[str]:
    items = desk(pilot).conversations[contact_id].items
    return [i.text for i in items if i.role is ParticipantRole.CUSTOMER and i.kind == "message"]


def composer(pilot: Pilot[None]) -> Composer:
    return pilot.app.screen.query_one("#composer", Composer)


AGENT = {"Authorization": "Bearer demo-agent-token"}


def agent_writes_elsewhere(servers: SceneServers, contact_id: str, text: str) -> None:
    """The agent's message from another window of theirs: the customer answers it while another chat is selected."""
    response = httpx.post(
        f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", json={"text": text}, headers=AGENT, timeout=5
    )
    assert response.status_code == 201, response.text


def server_text(servers: SceneServers, contact_id: str) -> str:
    """The conversation's transcript as the contact center holds it (what the desktop cannot see during a cut)."""
    response = httpx.get(
        f"{servers.ccaas_url}/v1/contacts/{contact_id}/messages", params={"limit": 200}, headers=AGENT, timeout=5
    )
    return "\n".join(item["text"] for item in response.json()["items"])


async def test_the_link_cut_mid_conversation_loses_and_doubles_nothing(tmp_path: Path) -> None:
    settings = MockSettings(
        data_dir=tmp_path / "mocks", seed=42, customers=300, experts=10, simulator=False, speed=SPEED, fresh=True
    )
    running = start(settings)
    ccaas_url, crm_url, presence_url = running.urls
    servers = SceneServers(ccaas_url, crm_url, presence_url, settings)
    link = CuttableLink(int(ccaas_url.rsplit(":", 1)[1]))
    try:
        app = desk_app(build_backends(demo_settings(await link.start(), crm_url, presence_url)))
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            contact_id = await take(pilot, servers, "cut@example.com")
            await pilot.press("i", *"Can you verify your email address?", "enter")
            await wait_until(pilot, lambda: "my email is" in transcript_text(pilot), "the first answer", timeout_s=20)

            link.cut()
            await wait_until(pilot, lambda: "— reconnecting" in screen_text(pilot, "#agent-status"), "the lost link")
            # The conversation goes on without the desktop: the agent writes from another window, the customer answers.
            agent_writes_elsewhere(servers, contact_id, "Which card was it on?")
            await wait_until(
                pilot,
                lambda: "It was on my card" in server_text(servers, contact_id),
                "the customer's answer meanwhile",
            )
            link.restore()
            await wait_until(
                pilot, lambda: "reconnecting" not in screen_text(pilot, "#agent-status"), "reconnected", timeout_s=20
            )
            await wait_until(
                pilot,
                lambda: "It was on my card" in transcript_text(pilot),
                "the answer given during the cut",
                timeout_s=20,
            )
            await pilot.pause(0.5)

            on_server = httpx.get(
                f"{ccaas_url}/v1/contacts/{contact_id}/messages", params={"limit": 200}, headers=AGENT, timeout=5
            ).json()
            held = desk(pilot).conversations[contact_id].items
            assert [i.id for i in held] == [i["id"] for i in on_server["items"]]  # nothing lost, nothing twice
            text = transcript_text(pilot)
            assert text.count("Which card was it on?") == 1
            assert text.count("verify your email address") == 1
    finally:
        await link.close()
        running.stop()
