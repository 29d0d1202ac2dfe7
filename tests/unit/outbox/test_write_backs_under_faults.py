"""Nothing the agent writes back is lost or sent twice, whatever the backends, the disk, a restart or the clock do
(tests/support/write_back_search.py): hypothesis draws the plan; wrap-ups, transfer records and follow-ups reach
their backend exactly once or stay in the outbox saying why, and the desk's own calls (callbacks, flags,
acknowledgements) are stored once done, and never twice: a retry after a lost answer goes out under the first
try's Idempotency-Key."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.support.hypothesis_profiles import examples
from tests.support.write_back_faults import Fault
from tests.support.write_back_search import Disk, Faults, Handle, Plan, Restart, WriteBackRun, check, plans


@settings(max_examples=examples(100))
@given(plan=plans())
def test_what_the_agent_writes_back_arrives_once_through_faults(plan: Plan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(played_and_checked(WriteBackRun(Path(folder), plan)))


async def played_and_checked(run: WriteBackRun) -> None:
    try:
        check(run, await run.play())
    finally:
        await run.close()


async def test_a_callback_and_a_flag_whose_answers_were_lost_are_stored_once_when_sent_again(tmp_path: Path) -> None:
    """The contact center stored each, its answer never came, the desk said so and the agent sent each again at
    once: before, the flag's line and the callback were stored twice (no idempotency key)."""
    lost = Faults(crm=Fault.NONE, center=Fault.LOST_ANSWER)
    talk = Handle(transfer=False, flag=True, callback=True, follow_up=False, evaluated=False)
    run = WriteBackRun(tmp_path, Plan(0.0, [lost, talk, Handle(True, True, True, False, False)]))
    try:
        ledger = await run.play()
        check(run, ledger)
        retried = [w for w in ledger.writes if w.kind in ("callback", "flag")]
        assert len(retried) == 4
        assert all(run.stored(w) == 1 for w in retried)
        assert run.switch.lost["schedule_callback"] == 4, "each sent twice, each answer lost"
    finally:
        await run.close()


async def test_a_callback_and_a_flag_sent_again_after_a_restart_of_the_desk_are_stored_once(tmp_path: Path) -> None:
    """Their answers lost, the agent quits the desk, starts it again and sends each again: the retry goes out under
    the first try's Idempotency-Key, kept on disk beside the drafts. Before, the keys were kept in memory only, and
    the restarted desk sent each under a new key: the contact center stored the callback and the flag twice."""
    lost = Faults(crm=Fault.NONE, center=Fault.LOST_ANSWER)
    talk = Handle(transfer=False, flag=True, callback=True, follow_up=False, evaluated=False, restart_before_retry=True)
    run = WriteBackRun(tmp_path, Plan(0.0, [lost, talk, Faults(crm=Fault.NONE, center=Fault.NONE), talk]))
    try:
        ledger = await run.play()
        check(run, ledger)
        retried = [w for w in ledger.writes if w.kind in ("callback", "flag")]
        assert [w.kind for w in retried] == ["flag", "callback", "flag", "callback"]
        assert [run.stored(w) for w in retried] == [1, 1, 1, 1]
        assert run.switch.lost["schedule_callback"] == 2, "each sent twice"
        assert run.switch.lost["raise_flag"] == 2, "each sent twice"
        assert retried[2].done, "taken at the first try once the answers came"
        assert retried[3].done, "taken at the first try once the answers came"
    finally:
        await run.close()


LINKED = Handle(transfer=False, flag=False, callback=False, follow_up=False, evaluated=False, link=True)
LINKED_AWAY = Handle(transfer=True, flag=False, callback=False, follow_up=False, evaluated=False, link=True)


@pytest.mark.parametrize(
    "plan",
    [
        Plan(0.0, [Disk(full=True), LINKED], link_with_wrap_up=False),  # refused by the disk: said, not a crash
        Plan(0.0, [LINKED, LINKED_AWAY], link_with_wrap_up=True),  # held, then with the wrap-up / the transfer
        Plan(0.0, [Disk(full=True), LINKED_AWAY, Restart(), LINKED], link_with_wrap_up=True),
    ],
    ids=["disk-full", "held-with-the-wrap-up", "held-through-a-restart"],
)
async def test_a_case_link_reaches_the_crm_once_or_is_said(tmp_path: Path, plan: Plan) -> None:
    """A contact put on the caller's open case is linked in the CRM once, by its own write or with the wrap-up
    (Zendesk's one update), or the desk said it was not kept. Before, a link on a full disk raised out
    of the dialog's worker."""
    run = WriteBackRun(tmp_path, plan)
    try:
        ledger = await run.play()
        check(run, ledger)
        assert any(w.kind == "case link" for w in ledger.writes), "a caller with an open case linked"
    finally:
        await run.close()
