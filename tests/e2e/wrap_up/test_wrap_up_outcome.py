"""What the wrap-up says after ctrl+s is true: the toast names the CRM write's state
at the moment it is shown, and the idle wrap-up form keeps nothing of the contact just saved."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Select, TextArea

from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.domain.models import Contact
from agent_desktop.outbox.outcome import wrap_up_outcome
from agent_desktop.outbox.store import EntryKind, EntryState, OutboxEntry
from agent_desktop.ui.textual_compat import notifications
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import desk_app_of
from tests.support.scenes.scenes import (
    SIZE,
    accept,
    end_and_fill_wrap_up,
    go_available,
    receive_offer,
    scene_app,
    scene_servers,
    screen_text,
    wait_until,
)


def entry(state: EntryState, attempts: int = 0, last_error: str | None = None) -> OutboxEntry:
    return OutboxEntry(
        key="interaction-c-1-x",
        kind=EntryKind.INTERACTION,
        contact_id="c-1",
        payload={},  # type: ignore[arg-type]  # none of the kinds: the outcome reads the entry's state alone
        state=state,
        attempts=attempts,
        next_attempt_at=0,
        last_error=last_error,
        created_at=datetime.now(UTC),
        sent_at=None,
        result_id="int-000042" if state is EntryState.SENT else None,
        label="anonymous · Resolved",
    )


@pytest.mark.parametrize(
    ("state", "attempts", "error", "words", "severity"),
    [
        (EntryState.SENT, 1, None, "written to the CRM", "information"),
        (EntryState.PENDING, 0, None, "on its way to the CRM", "information"),
        (EntryState.PENDING, 2, "503 unavailable", "has not taken it yet", "warning"),
        (EntryState.FAILED, 1, "422 no customer", "the CRM refused it: 422 no customer", "error"),
    ],
)
def test_the_outcome_says_what_is_true_of_the_write_now(
    state: EntryState, attempts: int, error: str | None, words: str, severity: str
) -> None:
    message, level = wrap_up_outcome(entry(state, attempts, error))
    assert words in message
    assert level == severity
    assert ("pending" in message) is False
    if state is EntryState.FAILED:
        assert "o " in message, "and says how to fix it"
        assert "send it again" in message, "and says how to fix it"


async def test_the_toast_does_not_say_pending_once_sent_and_the_idle_form_is_empty(tmp_path: Path) -> None:
    with scene_servers(tmp_path, frozen=False, customers=20) as servers:
        async with scene_app(servers, frozen=False).run_test(size=SIZE) as pilot:
            await go_available(pilot)
            await receive_offer(pilot, servers)
            await accept(pilot)
            center = of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.contact_center
            complete = center.complete_contact

            outbox = of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.outbox

            async def slow_complete(contact_id: str, disposition: str) -> Contact:
                # A contact center slower to answer than the CRM: it answers once the wrap-up (in the outbox
                # before the contact is completed) is written. An event, not a time: a loaded machine took more
                # than the half-second this waited before for the CRM's write.
                deadline = time.monotonic() + 10
                while (await asyncio.to_thread(outbox.counts)).sent < 1 and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
                return await complete(contact_id, disposition)

            center.complete_contact = slow_complete  # type: ignore[method-assign]  # completes once the CRM has it
            await end_and_fill_wrap_up(pilot, "Refunded.")
            assert pilot.app.screen.query_one("#disposition", Select).value is not Select.NULL
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the contact to be completed")
            await wait_until(pilot, lambda: "1 sent" in screen_text(pilot, "#outbox-status"), "the CRM write")

            def toasts() -> list[str]:
                return [n.message for n in notifications(pilot.app) if n.title == "Wrap-up"]

            await wait_until(pilot, lambda: bool(toasts()), "the wrap-up toast")
            shown = toasts()
            assert shown, shown
            assert "pending" not in shown[-1], shown
            assert "written to the CRM" in shown[-1], shown

            form_select = pilot.app.screen.query_one("#disposition", Select)
            assert form_select.value is Select.NULL, "the idle form shows no disposition of the contact saved"
            assert pilot.app.screen.query_one("#notes", TextArea).text == ""
