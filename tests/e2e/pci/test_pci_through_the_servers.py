"""No card number is recoverable anywhere a conversation goes, through the real servers.

Hypothesis writes a valid card number with separators from whole Unicode categories and digits in any
form, split over one to three messages of the customer or the agent, in a chat or an email (its subject
too), in the composer's draft saved key by key, in the agent's notes and private notes; the customer's
side is posted to the real contact center, the agent's goes through the desk's controller and HTTP
client, the wrap-up through the outbox to the real CRM. Then every byte of every file of the CRM, the
contact center and the desk (SQLite files and their `-wal`, `-shm`, `-journal`) and every line the
transcript view lays out are read: none shows more than ten digits of the number in a row.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agent_desktop.adapters.http.contact_center import HttpContactCenter
from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore
from agent_desktop.agent_desk.drafts.drafts import Draft, DraftStore
from agent_desktop.domain.models import ContactEvent
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from agent_desktop.ui.shared.transcript_view import _lay_out
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_TOKEN, DEMO_SUPERVISOR_TOKEN, MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.support.hypothesis_profiles import examples
from tests.support.pci_cards import gives_away, split_card
from tests.support.pci_files import files_giving_away

AGENT = "agent-001"


@pytest.fixture(scope="module")
def center_and_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A contact center and a CRM shared by the examples (each example has its own contact)."""
    folder = tmp_path_factory.mktemp("servers")
    from agent_desktop_mocks.ccaas.api.app import create_app as ccaas
    from agent_desktop_mocks.crm.app import create_app as crm

    settings = MockSettings(data_dir=folder, seed=7, customers=20, experts=5, simulator=False, fresh=True)
    running = serve_in_thread([ccaas(settings), crm(settings)])
    try:
        yield running.urls[0], running.urls[1], folder
    finally:
        running.stop()


@pytest.fixture(scope="module")
def desk_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where each example's desk keeps its files: in memory (tmpfs) where there is one. The drafts are saved
    key by key with SQLite's full sync, disk flushes per key (about 2,100 saves a run), whose wait follows
    whatever else the machine writes; what is checked is the bytes written, the same on any file system."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("desks")
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="pci-desks-") as folder:
        yield Path(folder)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(card=split_card(), agent_writes=st.booleans(), channel=st.sampled_from(["chat", "email"]))
@example(card=("4111111111111111", ["my card is 4111 1111", "1111 1111 thanks"]), agent_writes=False, channel="chat")
@example(card=("4111111111111111", ["card 4111·1111·1111·111", "1 done"]), agent_writes=True, channel="email")
def test_no_card_number_is_recoverable_from_the_crm_the_contact_center_the_desks_files_or_the_screen(
    center_and_crm: tuple[str, str, Path],
    desk_folders: Path,
    card: tuple[str, list[str]],
    agent_writes: bool,
    channel: str,
) -> None:
    digits, messages = card
    ccaas_url, crm_url, server_folder = center_and_crm
    desk_folder = Path(tempfile.mkdtemp(dir=desk_folders, prefix="desk-"))
    shown = asyncio.run(_a_conversation(ccaas_url, crm_url, desk_folder, messages, agent_writes, channel))
    assert not [line for line in shown if gives_away(digits, line)], shown
    assert files_giving_away(digits, server_folder, desk_folder) == []


async def _a_conversation(
    ccaas_url: str, crm_url: str, folder: Path, messages: list[str], agent_writes: bool, channel: str
) -> list[str]:
    """The contact from offer to wrap-up; returns the transcript's lines as the screen lays them out."""
    whole = " ".join(messages)
    supervisor = httpx.AsyncClient(base_url=ccaas_url, headers={"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"})
    agent = httpx.AsyncClient(base_url=ccaas_url, headers={"Authorization": f"Bearer {DEMO_AGENT_TOKEN}"})
    center = HttpContactCenter(ccaas_url, DEMO_AGENT_TOKEN, AGENT)
    crm = HttpCrm(crm_url, "demo-crm-token")
    outbox = Outbox(folder / "outbox.db")
    drafts = DraftStore(folder / "outbox-drafts.db")
    composer = ConversationDraftStore(folder / "outbox-conversations.db")
    desk = Desk(AGENT)
    controller = DeskController(desk, center, crm, None, outbox, drafts=drafts, conversation_drafts=composer)  # type: ignore[arg-type]
    try:
        (await agent.put(f"/v1/agents/{AGENT}/state", json={"state": "available"})).raise_for_status()
        body = {
            "queue_id": "billing",
            "channel": channel,
            "from_address": "dana@example.com",
            "subject": f"Refund {whole}",
        }
        contact_id = (await supervisor.post("/v1/contacts", json=body)).raise_for_status().json()["id"]
        offer = (await agent.get(f"/v1/agents/{AGENT}/offers")).json()[0]
        (await agent.post(f"/v1/offers/{offer['id']}/accept")).raise_for_status()
        contact = next(c for c in await center.list_contacts() if c.id == contact_id)
        controller.receive(ContactEvent(contact=contact))
        await controller.conversation.load_conversation(contact_id)
        for text in messages:
            if agent_writes:
                typed = ""
                for char in text:  # the composer's draft follows every key
                    typed += char
                    composer.save_draft(contact_id, typed)
                subject = f"Re: {desk.conversations[contact_id].subject}" if channel == "email" else None
                assert await controller.conversation.send_text(contact_id, text, subject=subject) is not None
                composer.save_draft(contact_id, "")
            else:
                response = await supervisor.post(f"/v1/contacts/{contact_id}/customer-messages", json={"text": text})
                assert response.status_code == 201, response.text
        await controller.conversation.load_conversation(contact_id)  # what the stream brings, read as after a reconnect
        conversation = desk.conversations[contact_id]
        conversation.add_note(f"She read out {whole}", contact.entered_queue_at)
        composer.add_note(contact_id, conversation.notes[-1])
        shown = [
            "".join(segment.text for segment in line)
            for item in conversation.items
            for line in _lay_out(item, 60, channel == "email")
        ]
        (await agent.post(f"/v1/contacts/{contact_id}/end")).raise_for_status()
        notes = ""
        for char in f"Customer gave {whole}":  # the wrap-up draft follows every key too
            notes += char
            drafts.save(contact_id, Draft("Resolved", notes))
        lines, private = desk.conversations.for_the_crm(contact_id)
        enqueue_wrap_up(outbox, contact, AGENT, "Resolved", notes, None, transcript=lines, private_notes=private)
        assert await OutboxSender(outbox, crm).send_due() == 1
        (await agent.post(f"/v1/contacts/{contact_id}/complete", json={"disposition": "Resolved"})).raise_for_status()
        return shown
    finally:
        await controller.aclose()
        for store in (outbox, drafts, composer):
            store.close()
        for client in (supervisor, agent):
            await client.aclose()
        await center.aclose()
        await crm.aclose()
