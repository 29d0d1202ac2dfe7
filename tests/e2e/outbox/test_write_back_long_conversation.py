"""A conversation longer than the CRM takes still reaches it, through the real servers.

A 2 MiB, 5,000-message chat is wrapped up: the CRM holds its disposition, notes and private note once,
with the transcript's start and end and one line saying how many messages were left out and that the
contact center keeps them. And when the CRM refuses a write all the same (its real limits lower than the
desktop was told), the outbox view cuts the transcript and sends it: once, under a key of its own.

The long conversation is written by the mock contact center's own conversation service, on its event loop
(`RunningServers.call`): 5,000 messages through `POST /messages` take about 20 s on this machine, through
the service a fraction of one. The offer, accept, transcript pages, end, wrap-up and CRM write are the
real HTTP APIs and the desktop driven by keys.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.customers.crm_limits import MOCK_CRM_LIMITS
from agent_desktop.outbox.payloads import InteractionWrite
from agent_desktop.outbox.store import Outbox
from agent_desktop.ui.agent.outbox.outbox_view import OutboxView
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import DEMO_SUPERVISOR_TOKEN
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import agent_screen, desk_app_of
from tests.support.scenes.scenes import (
    OFFER_CALLER,
    SIZE,
    accept,
    end_and_fill_wrap_up,
    go_available,
    screen_text,
    wait_until,
)
from tests.support.write_back_rig import AUTH, Rig, write_back_rig

# Beside the other tests in the parallel run: the mock's clock runs at a tenth (SLOW_MOCK), so no timer of
# the contact center runs out under load, and the waits for the 2 MiB wrap-up are bounds of 120 s (about 14 s
# of CPU here; at load 11, run alone then, it once needed over 60). Was `heavy` (run alone after the rest):
# 52 s of the exclusive phase's 75.
SLOW_MOCK = 0.1  # the mock's clock at a tenth: its 60 s ACW ran out mid-flow on a loaded machine
LONG_WAIT_S = 120.0

NOTES = "Refund of the duplicate charge approved."
PRIVATE = "Asked for a supervisor twice"
SUPERVISOR = {"Authorization": f"Bearer {DEMO_SUPERVISOR_TOKEN}"}
SENTENCE = "I was charged twice for November and the second payment has not come back yet. "
MARKER = re.compile(
    r"^\[… ([\d,]+) messages \((?:at least )?[\d.]+ (?:bytes|KiB|MiB)\) not written here: the full transcript "
    r"stays in the contact center, conversation (\S+)\]$"
)


def write_long_chat(rig: Rig, contact_id: str, messages: int) -> tuple[str, int]:
    """`messages` lines of about 500 bytes, customer and agent in turn, appended to the contact's conversation
    by the contact center's own service; returns the customer's opening message and the bytes written."""
    service = rig.ccaas.state.conversations.service

    def write() -> tuple[str, int]:
        record = service.store.get(contact_id)
        opening = service.store.last_message(contact_id, "customer")
        start = record.last_message_at
        written = 0
        with service.transaction():
            for index in range(messages):
                customer = index % 2 == 0
                text = f"line {index}: " + SENTENCE * 6
                service.add_item(
                    record,
                    "customer" if customer else "agent",
                    record.customer_name if customer else "Sam Rivera",
                    text,
                    participant_id=None if customer else "agent-002",
                    at=start + timedelta(milliseconds=index),
                )
                written += len(text.encode())
            service.store.save(record)
        return opening.text, written

    answer: tuple[str, int] = rig.others.call(write)
    return answer


def crm_get(rig: Rig, path: str, **params: str | int) -> dict[str, Any] | list[Any]:
    answer: dict[str, Any] | list[Any] = httpx.get(
        f"{rig.crm_url}{path}", params=params, headers=AUTH, timeout=10
    ).json()
    return answer


def ccaas_get(rig: Rig, path: str, **params: str | int) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(
        f"{rig.servers.ccaas_url}{path}", params=params, headers=SUPERVISOR, timeout=10
    ).json()
    return answer


def desk(pilot: Pilot[None]) -> Desk:
    return agent_screen(pilot).desk


def desk_crm(pilot: Pilot[None]) -> HttpCrm:
    """The desk's CRM client, whose limits a test tells it."""
    return of_kind(of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.crm, HttpCrm)


async def take_long_chat(pilot: Pilot[None], rig: Rig, messages: int) -> tuple[str, str, int]:
    """The caller's chat waits in the queue while it grows to `messages` more lines; the agent takes it."""
    caller = rig.servers.caller(OFFER_CALLER)
    contact_id = rig.servers.place_call(caller.email, channel="chat", subject="Charged twice for November")["id"]
    opening, written = write_long_chat(rig, contact_id, messages)
    await go_available(pilot)
    await wait_until(pilot, lambda: desk(pilot).offer is not None, "the offer")
    await accept(pilot)
    await pilot.press("i", "ctrl+t", *PRIVATE, "enter", "ctrl+t", "escape")  # a private note on the conversation
    await wait_until(pilot, lambda: bool(desk(pilot).conversations.private_notes(contact_id)), "the private note")
    return contact_id, opening, written


async def wrap_up(pilot: Pilot[None]) -> None:
    await end_and_fill_wrap_up(pilot, NOTES)
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved", timeout_s=LONG_WAIT_S)


def the_one_interaction(rig: Rig, contact_id: str) -> dict[str, Any]:
    stored = rig.stored_for_contact(contact_id)
    assert len(stored) == 1, f"written once, not {len(stored)} times"
    return of_kind(crm_get(rig, f"/v1/interactions/{stored[0]['id']}"), dict)


def assert_whole_story(rig: Rig, written: dict[str, Any], contact_id: str, opening: str) -> int:
    """The CRM's interaction: disposition, notes, private note, the start, the end, and the marker counting
    every line of the contact center's transcript it does not hold. Returns how many lines the marker counts."""
    assert written["disposition"]
    assert NOTES in written["notes"]
    assert written["private_notes"] == [PRIVATE]
    lines = written["transcript"]
    assert lines[0]["text"] == opening, "the start of the conversation"
    newest = ccaas_get(rig, f"/v1/contacts/{contact_id}/messages", limit=1)["items"][0]
    assert lines[-1]["text"] == newest["text"], "the end of the conversation"
    markers = [MARKER.match(line["text"]) for line in lines]
    found = [m for m in markers if m]
    assert len(found) == 1, [line["text"][:80] for line in lines[:3]]
    assert found[0].group(2) == contact_id, [line["text"][:80] for line in lines[:3]]
    left_out = int(found[0].group(1).replace(",", ""))
    total = ccaas_get(rig, f"/v1/contacts/{contact_id}/conversation")["item_count"]
    assert left_out + len(lines) - 1 == total, "the marker counts exactly what the CRM does not hold"
    return left_out


async def test_a_two_mib_five_thousand_message_chat_reaches_the_crm_once_with_its_notes_and_the_marker(
    tmp_path: Path,
) -> None:
    with write_back_rig(tmp_path, time_scale=SLOW_MOCK) as rig:
        async with rig.app().run_test(size=SIZE) as pilot:
            contact_id, opening, size = await take_long_chat(pilot, rig, 5_000)
            assert size > 2 * 1024 * 1024
            await wrap_up(pilot)
            await wait_until(
                pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the write", timeout_s=LONG_WAIT_S
            )
            told = [n.message for n in notifications(pilot.app) if "Too long for the CRM" in str(n.message)]
            assert told, "the agent is told the CRM gets the start and the end"
            assert "not written here" in str(told[-1]), "the agent is told the CRM gets the start and the end"
        written = the_one_interaction(rig, contact_id)
        left_out = assert_whole_story(rig, written, contact_id, opening)
        assert left_out > 2_000
        assert rig.attempts() == [1], "sent once, accepted at once"
        assert rig.pending() == 0, "sent once, accepted at once"


async def test_a_write_the_crm_refuses_anyway_is_cut_from_the_outbox_view_and_lands_once(tmp_path: Path) -> None:
    with write_back_rig(tmp_path, time_scale=SLOW_MOCK) as rig:
        async with rig.app().run_test(size=SIZE) as pilot:
            # The desktop was told the CRM takes 4 MiB: it writes the 1.4 MiB chat whole, and the CRM says 413.
            desk_crm(pilot).limits = dataclasses.replace(MOCK_CRM_LIMITS, max_body_bytes=4 << 20)
            contact_id, opening, _ = await take_long_chat(pilot, rig, 3_000)
            await wrap_up(pilot)
            await wait_until(
                pilot, lambda: "1 failed" in screen_text(pilot, "#outbox-status"), "the refusal", timeout_s=LONG_WAIT_S
            )
            assert rig.stored_for_contact(contact_id) == []
            desk_crm(pilot).limits = MOCK_CRM_LIMITS

            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, OutboxView), "the outbox view")
            await pilot.pause(0.1)
            detail = screen_text(pilot, "#outbox-detail")
            assert "413" in detail, detail
            assert "c cuts the transcript to half" in detail, detail
            assert "w sends it without the transcript" in detail
            await pilot.press("c")
            await wait_until(
                pilot,
                lambda: "1 sent" in screen_text(pilot, "#outbox-status"),
                "the cut write sent",
                timeout_s=LONG_WAIT_S,
            )
        written = the_one_interaction(rig, contact_id)
        assert_whole_story(rig, written, contact_id, opening)
        outbox = Outbox(rig.outbox_path)
        try:
            (entry,) = outbox.recent()
            assert entry.attempts == 2, "refused once (a 413 the desktop reads, not a reset connection), then taken"
            assert of_kind(entry.payload, InteractionWrite).idempotency_key == f"{entry.key}:cut-1", (
                "the cut write is sent under a key of its own"
            )
        finally:
            outbox.close()
