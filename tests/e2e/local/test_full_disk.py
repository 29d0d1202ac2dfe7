"""A full disk under the desk's own files (the outbox, the drafts): a real tmpfs of a few MiB, filled to the last
byte (tests/support/small_disk.py). The desk says so as soon as a draft cannot be written, keeps what was typed
on the screen, does not crash on ctrl+s (the wrap-up stays open and says why), and saves the wrap-up by itself
when space returns: nothing typed is lost, and the CRM gets the wrap-up once.

The mocks (the contact center, the CRM) are in-process with their data elsewhere: only the desk's disk is full.
Exclusive: it mounts a filesystem."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from agent_desktop.agent_desk.drafts.drafts import DraftStore, drafts_path_beside
from agent_desktop.domain.models import Interaction, Note
from agent_desktop.outbox.backoff import Backoff
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, EntryState, Outbox
from agent_desktop.ui.textual_compat import notifications
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.demo_people import callers
from tests.support.desk_app import desk_app
from tests.support.in_process.mocks import InProcessMocks
from tests.support.narrowing import present
from tests.support.scenes.pilot_steps import go_available, screen_text, wait_until
from tests.support.small_disk import small_disk

pytestmark = pytest.mark.exclusive

SIZE = (120, 40)
DISK_FULL = "disk full: your notes are kept on screen, not on disk"


def _mocks(tmp_path: Path) -> InProcessMocks:
    return InProcessMocks(
        MockSettings(data_dir=tmp_path / "mocks", seed=42, customers=20, experts=30, simulator=False, fresh=True)
    )


async def _written(
    pilot: Pilot[None], mocks: InProcessMocks, contact_id: str, count: int = 1, timeout_s: float = 15.0
) -> list[Interaction]:
    """The CRM's interactions of the contact, once there are `count` of them (the caller is customer 4)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [i for i in await mocks.crm().list_interactions("cus-000004") if i.contact_id == contact_id]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        await pilot.pause(0.05)


def _everything_shown(pilot: Pilot[None]) -> str:
    """The screen's text and its toasts."""
    toasts = " ".join(str(n.message) for n in notifications(pilot.app))
    return screen_text(pilot, "#wrap-up") + " " + toasts


async def _in_wrap_up(pilot: Pilot[None], mocks: InProcessMocks, subject: str) -> str:
    await go_available(pilot)
    caller = callers(mocks.settings.seed, mocks.settings.customers)[3]
    contact = await mocks.place_call(caller.phone_e164, subject=subject)
    await wait_until(pilot, lambda: subject in screen_text(pilot, "#offer"), "the offer")
    await pilot.press("a")
    await wait_until(pilot, lambda: "Connected" in screen_text(pilot, "#contacts"), "connected")
    await pilot.press("e")
    await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
    await pilot.press("w", "enter", "down", "enter", "tab")
    return contact.id


async def test_a_full_disk_is_said_at_once_and_the_wrap_up_is_saved_when_space_returns(tmp_path: Path) -> None:
    mocks = _mocks(tmp_path)
    with small_disk(tmp_path / "disk") as disk:
        outbox_path = disk.path / "outbox.db"
        try:
            app = desk_app(mocks.backends(outbox_path), clock=mocks.clock.now, disk_retry_s=0.2)
            async with app.run_test(size=SIZE) as pilot:
                contact_id = await _in_wrap_up(pilot, mocks, "Full disk")
                await pilot.press(*"Refund the ")
                disk.fill()
                await pilot.press(*"duplicate charge.")
                await wait_until(pilot, lambda: DISK_FULL in _everything_shown(pilot), "the disk-full warning")
                notes = pilot.app.screen.query_one("#notes", TextArea)
                assert notes.text == "Refund the duplicate charge."

                await pilot.press("ctrl+s")
                await wait_until(
                    pilot, lambda: "disk full" in screen_text(pilot, "#wrap-up-status"), "why it is not saved"
                )
                assert pilot.app.is_running
                assert "Wrap-up" in screen_text(pilot, "#contacts"), "the wrap-up stays open"
                assert notes.text == "Refund the duplicate charge."
                assert await _written(pilot, mocks, contact_id, timeout_s=0) == []

                disk.free()
                await wait_until(
                    pilot,
                    lambda: "Wrap-up" not in screen_text(pilot, "#contacts"),
                    "the contact completed",
                    timeout_s=15,
                )
                [written] = await _written(pilot, mocks, contact_id)
                assert written.notes == "Refund the duplicate charge."
        finally:
            await mocks.aclose()


async def test_what_was_typed_on_a_full_disk_reaches_the_disk_when_space_returns(tmp_path: Path) -> None:
    """Typing stops while the disk is full; space returns: the draft is written without another key (a crash after
    that finds it)."""
    mocks = _mocks(tmp_path)
    with small_disk(tmp_path / "disk") as disk:
        outbox_path = disk.path / "outbox.db"
        try:
            app = desk_app(mocks.backends(outbox_path), clock=mocks.clock.now, disk_retry_s=0.2)
            async with app.run_test(size=SIZE) as pilot:
                contact_id = await _in_wrap_up(pilot, mocks, "Full disk")
                disk.fill()
                await pilot.press(*"Call back Friday")
                await wait_until(pilot, lambda: DISK_FULL in _everything_shown(pilot), "the disk-full warning")
                disk.free()
                store = DraftStore(drafts_path_beside(outbox_path))
                try:
                    await wait_until(
                        pilot,
                        lambda: getattr(store.load().get(contact_id), "notes", None) == "Call back Friday",
                        "the draft on disk",
                        timeout_s=15,
                    )
                finally:
                    store.close()
                assert pilot.app.is_running
        finally:
            await mocks.aclose()


async def test_the_outbox_sender_outlives_a_full_disk_and_the_crm_stores_the_write_once(tmp_path: Path) -> None:
    """The CRM takes a write while the outbox's file cannot record that it did: the sender keeps running (before,
    its `mark_sent` raised out of it and ended the desk), and once there is room the entry is resent under its
    key, stored once, and marked sent."""
    mocks = _mocks(tmp_path)
    with small_disk(tmp_path / "disk") as disk:
        outbox = Outbox(disk.path / "outbox.db")
        calls: list[str] = []
        crm = mocks.crm()
        add_note = crm.add_note

        async def counted(customer_id: str, text: str, contact_id: str | None, idempotency_key: str) -> Note:
            calls.append(idempotency_key)  # the real CRM, its calls counted
            return await add_note(customer_id, text, contact_id, idempotency_key)

        crm.add_note = counted  # type: ignore[method-assign]
        try:
            entry = outbox.add(
                EntryKind.NOTE, {"customer_id": "cus-000001", "text": "Call back Friday", "contact_id": None}
            )
            disk.fill()
            sender = OutboxSender(outbox, crm, retry=Backoff(0.05, 0.1), disk_retry_s=0.2)
            running = asyncio.create_task(sender.run())
            try:
                deadline = time.monotonic() + 10
                while not calls and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.3)
                assert calls, running.done() and running.exception()
                assert not running.done(), running.done() and running.exception()
                assert present(outbox.get(entry.key)).state is EntryState.PENDING
                disk.free()
                while present(outbox.get(entry.key)).state is not EntryState.SENT and time.monotonic() < deadline + 10:
                    await asyncio.sleep(0.05)
                assert present(outbox.get(entry.key)).state is EntryState.SENT
                assert set(calls) == {entry.key}, "every attempt under the entry's key: the CRM stores it once"
            finally:
                running.cancel()
                await asyncio.gather(running, return_exceptions=True)
        finally:
            outbox.close()
            await mocks.aclose()
