"""Every way text leaves the desk is masked, through the real servers: wrap-up notes, CRM notes and
case subjects (the outbox, one place) and escalation messages to experts (the presence client)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up
from tests.e2e.outbox.test_outbox import contact
from tests.support.scenes.expert_scenes import experts_table_text, focus_expert
from tests.support.scenes.pilot_steps import agent_screen, type_burst
from tests.support.scenes.scenes import SIZE, agent_flow_until, scene_app, scene_servers, screen_text, wait_until
from tests.unit.pci.test_pci import surviving_card_numbers

CRM = {"Authorization": "Bearer demo-crm-token"}
PRESENCE = {"Authorization": "Bearer demo-presence-token"}
# What the attempt to break it typed: separators, a number over two lines, worded codes.
CARD_TEXT = (
    "Visa 4111.1111.1111.1111, MC 5555/5555/5555/4444, Amex 3782_822463_10005,\n"
    "Disc 6011 1111\r\n1111 1117, sec code: 123, code 456. Order 12345678901234 kept."
)


def assert_masked(text: str) -> None:
    assert surviving_card_numbers(text) == [], text
    rest = text.replace("12345678901234", "")
    assert "123" not in rest, text
    assert "456" not in rest, text
    assert "Order 12345678901234 kept" in text, "a reference that is not a card is kept"


async def test_notes_case_subjects_and_wrap_ups_reach_the_crm_masked(tmp_path: Path, crm_url: str) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    enqueue_wrap_up(outbox, contact("c-1", "+1 312 555 0077"), "agent-001", "Resolved", CARD_TEXT, "cus-000001")
    outbox.add(EntryKind.NOTE, {"customer_id": "cus-000001", "text": CARD_TEXT}, contact_id="c-1", label="note")
    subject = "Refund to 4111.1111.1111.1111 sec code: 123"
    payload = {"customer_id": "cus-000001", "subject": subject, "contact_id": "c-1"}
    outbox.add(EntryKind.CASE_CREATE, payload, contact_id="c-1", label=f"new case: {subject}")
    assert await OutboxSender(outbox, crm).send_due() == 3
    assert outbox.counts().sent == 3
    with httpx.Client(base_url=crm_url, headers=CRM) as client:
        (interaction,) = [
            i for i in client.get("/v1/customers/cus-000001/interactions").json() if i["contact_id"] == "c-1"
        ]
        (note,) = client.get("/v1/customers/cus-000001/notes").json()
        (case,) = [c for c in client.get("/v1/customers/cus-000001/cases").json() if "Refund" in c["subject"]]
    assert_masked(interaction["notes"])
    assert_masked(note["text"])
    assert surviving_card_numbers(case["subject"]) == []
    assert "123" not in case["subject"]
    stored = (tmp_path / "outbox.db").read_bytes().decode("latin-1")
    assert "4111.1111" not in stored, "nor does the outbox file hold them"
    assert "1111 1117" not in stored, "nor does the outbox file hold them"
    assert "1111.1111" not in outbox.recent()[0].label + outbox.recent()[1].label + outbox.recent()[2].label
    await crm.aclose()
    outbox.close()


async def test_an_escalation_message_and_a_wrap_up_typed_in_the_desktop_are_stored_masked(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await agent_flow_until(pilot, servers, "connected")
            experts = httpx.get(f"{servers.presence_url}/v1/people", headers=PRESENCE).json()
            free = next(p for p in experts if p["presence"]["availability"] == "Available")
            await focus_expert(pilot, free["name"])
            await wait_until(pilot, lambda: free["name"] in experts_table_text(pilot), "the expert")
            await pilot.press("m")
            await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EscalationDialog", "the dialog")
            await type_text(pilot, CARD_TEXT)
            await pilot.press("ctrl+s")

            def conversation() -> list[dict[str, Any]]:
                url = f"{servers.presence_url}/v1/people/{free['id']}/messages"
                answer: list[dict[str, Any]] = httpx.get(url, headers=PRESENCE).json()
                return answer

            await wait_until(pilot, lambda: len(conversation()) >= 1, "the message stored by the presence server")
            assert_masked(conversation()[0]["text"])

            contact_id = agent_screen(pilot).desk.selected_id
            await pilot.press("escape", "e")
            await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
            await pilot.press("w", "enter", "down", "enter", "tab")
            await type_text(pilot, CARD_TEXT)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")
        customer_id = f"cus-{servers.caller(3).index + 1:06d}"
        stored = httpx.get(f"{servers.crm_url}/v1/customers/{customer_id}/interactions", headers=CRM).json()
        (written,) = [i for i in stored if i["contact_id"] == contact_id]
        assert_masked(written["notes"])


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type as a person would, as one burst of keys through the app's own handling (`type_burst`): a line
    break is the enter key (a CR before it is dropped)."""
    await type_burst(pilot, text.replace("\r\n", "\n"))


async def test_a_chats_transcript_and_private_notes_reach_the_crm_masked_once(tmp_path: Path, crm_url: str) -> None:
    """The transcript and the private notes go with the interaction, masked, exactly once."""
    from datetime import UTC, datetime

    from agent_desktop.domain.models import TranscriptLine

    at = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    lines = [
        TranscriptLine(role="customer", name="Dana", text=f"My card: {CARD_TEXT}", at=at),
        TranscriptLine(role="agent", name="Alex", text="Thanks, I have refunded it.", at=at),
    ]
    outbox = Outbox(tmp_path / "outbox.db")
    crm = HttpCrm(crm_url, "demo-crm-token")
    chat = contact("c-9", "dana@example.com").model_copy(update={"channel": "chat"})
    for _ in range(2):  # saved twice (a double ctrl+s): one entry
        enqueue_wrap_up(
            outbox,
            chat,
            "agent-001",
            "Resolved",
            "Refunded",
            "cus-000001",
            transcript=lines,
            private_notes=[f"She read out {CARD_TEXT}"],
        )
    assert await OutboxSender(outbox, crm).send_due() == 1
    with httpx.Client(base_url=crm_url, headers=CRM) as client:
        (listed,) = [i for i in client.get("/v1/customers/cus-000001/interactions").json() if i["contact_id"] == "c-9"]
        assert (listed["transcript"], listed["transcript_count"]) == ([], 2)  # a list says how long it is
        whole = client.get(f"/v1/interactions/{listed['id']}").json()
    assert [line["role"] for line in whole["transcript"]] == ["customer", "agent"]
    assert_masked(whole["transcript"][0]["text"])
    assert_masked(whole["private_notes"][0])
    assert (await crm.interaction(listed["id"])).transcript[1].text == "Thanks, I have refunded it."
    stored = (tmp_path / "outbox.db").read_bytes().decode("latin-1")
    assert "4111.1111" not in stored
    assert "1111 1117" not in stored
    await crm.aclose()
    outbox.close()
