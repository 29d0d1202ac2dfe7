"""The desktop killed (SIGKILL) after saving a wrap-up, before or while sending it: the next start sends it,
and the CRM stores it exactly once.

The child process runs the desktop's own save path (`enqueue_wrap_up` into the outbox file, then the
`OutboxSender`) and is killed; then the real app starts on the same outbox file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.scenes.scenes import SIZE, screen_text, wait_until
from tests.support.write_back_rig import CUSTOMER_ID, write_back_rig

CHILD = """
import asyncio, os, signal, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agent_desktop.adapters.http.crm import HttpCrm
from agent_desktop.domain.models import Channel, Contact, ContactState
from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import Outbox
from agent_desktop.outbox.wrap_up import enqueue_wrap_up

outbox_path, crm_url, customer_id, when = sys.argv[1:5]
now = datetime.now(UTC)
contact = Contact(
    id="c-killed", channel=Channel.VOICE, queue_id="billing", queue_name="Billing", from_address="+15125550100",
    state=ContactState.AFTER_CONTACT_WORK, entered_queue_at=now - timedelta(minutes=5),
    offered_at=now - timedelta(minutes=4), answered_at=now - timedelta(minutes=4), ended_at=now,
    transfer_path=["sales", "billing"],
)
outbox = Outbox(Path(outbox_path))
enqueue_wrap_up(outbox, contact, "agent-001", "Resolved", "Saved, then the desktop died.", customer_id)
print("saved", flush=True)
if when == "before-sending":
    os.kill(os.getpid(), signal.SIGKILL)
asyncio.run(OutboxSender(outbox, HttpCrm(crm_url, "demo-crm-token")).send_due())
print("sent", flush=True)
"""


@pytest.mark.parametrize("when", ["before-sending", "while-sending"])
async def test_a_wrap_up_saved_before_the_desktop_was_killed_arrives_once(tmp_path: Path, when: str) -> None:
    with write_back_rig(tmp_path) as rig:
        if when == "while-sending":
            # The CRM stores the write but holds its answer: the desktop dies not knowing it was stored.
            rig.faults(delay_s=30, delay_phase="after", count=1, methods=["POST"])
        rig.outbox_path.parent.mkdir(parents=True)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(rig.outbox_path), rig.crm_url, CUSTOMER_ID, when],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "saved"
            if when == "while-sending":
                deadline = time.monotonic() + 30
                while not rig.stored_for_contact("c-killed"):
                    assert time.monotonic() < deadline, "the CRM never got the write"
                    time.sleep(0.05)
                child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=30) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
        assert rig.pending() == 1, "the write survived the kill, still to be confirmed"

        async with rig.app().run_test(size=SIZE) as pilot:
            await wait_until(
                pilot,
                lambda: "1 sent" in screen_text(pilot, "#outbox-status"),
                "the next start to send it",
                timeout_s=30,
            )
            assert "0 pending" in screen_text(pilot, "#outbox-status")

        stored = rig.stored_for_contact("c-killed")
        assert len(stored) == 1, stored
        assert stored[0]["transfer_path"] == ["sales", "billing"]
        assert stored[0]["notes"] == "Saved, then the desktop died."
        assert rig.pending() == 0
