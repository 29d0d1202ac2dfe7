"""A blind transfer's record (issue 43) on a disk that refuses it (issue 41): the contact has left the agent's
hands, so nothing else on the desk holds what the agent typed in the transfer's note. It is said in words at
once, kept, and written to the outbox by itself when the disk has room again, once (the wrap-up's
`_wait_for_disk`, for the transfer). The disk is a fault-injecting layer under the outbox: SQLite's own
SQLITE_FULL, raised while the test says the disk is full."""

from __future__ import annotations

import asyncio
import sqlite3

from agent_desktop.agent_desk.controller import DeskController
from agent_desktop.agent_desk.desk import Desk
from agent_desktop.domain.models import ContactState
from agent_desktop.outbox.store import EntryKind, Outbox
from agent_desktop_mocks.ccaas.settings import DEMO_AGENT_ID, MockSettings
from tests.support.desk_events import contact
from tests.support.in_process.mocks import InProcessMocks


class FullDiskOutbox(Outbox):
    """The real outbox, whose writes fail as SQLite's do on a full disk while `full` is set."""

    full = False

    def add(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.full:
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
            raise error
        return super().add(*args, **kwargs)


async def test_a_transfer_recorded_on_a_full_disk_is_said_and_recorded_once_when_space_returns(tmp_path):
    mocks = InProcessMocks(
        MockSettings(data_dir=tmp_path / "mocks", seed=7, customers=20, experts=5, simulator=False, fresh=True)
    )
    desk = Desk(DEMO_AGENT_ID)
    outbox = FullDiskOutbox(tmp_path / "outbox.db")
    written: list[int] = []
    outbox.when_written(lambda: written.append(1))  # what wakes the outbox's sender
    controller = DeskController(
        desk, mocks.contact_center(), mocks.crm(), mocks.presence(), outbox, disk_retry_s=0.01
    )  # fmt: skip
    gone = contact("c-7", ContactState.COMPLETED)
    try:
        outbox.full = True
        await controller.wrap_up.record_transfer(gone, "Sales", "Wants the [blue] plan", None)
        [notice] = desk.take_changes().notices
        assert notice.severity == "error", notice
        assert "Transferred to Sales, but not yet recorded for the CRM: disk full" in notice.text
        assert "recorded by itself when the disk has room" in notice.text
        await asyncio.sleep(0.05)  # tried again meanwhile, and refused again: said once, not once a try
        assert desk.take_changes().notices == [] and written == []

        outbox.full = False
        for _ in range(200):
            if written:
                break
            await asyncio.sleep(0.01)
        [entry] = [e for e in outbox.recent() if e.kind is EntryKind.INTERACTION]
        assert entry.contact_id == "c-7"
        assert "Note for the next agent: Wants the [blue] plan" in entry.payload.interaction.notes
        assert "the transfer to Sales is recorded" in desk.take_changes().notices[0].text
        await asyncio.sleep(0.05)
        assert len(outbox.recent()) == 1 and controller.wrap_up.transfers_waiting_for_disk == {}
    finally:
        await controller.aclose()
        outbox.close()
        await mocks.aclose()
