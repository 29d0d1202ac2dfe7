"""The Idempotency-Keys of the desk's own writes (a callback, a flag's line) on disk beside the drafts
(agent_desktop/agent_desk/retry_keys.py): a restart keeps the key of a write whose answer never came, and keeps the
rules it had in memory — let go once answered or refused, the 50 newest kept."""

from __future__ import annotations

from pathlib import Path

from agent_desktop.agent_desk.drafts.drafts import DraftStore
from agent_desktop.agent_desk.retry_keys import KEPT, RetryKeys
from agent_desktop.domain.errors import BackendError

LOST = BackendError("contact center", "cannot reach contact center (timed out)")
REFUSED = BackendError("contact center", "422 refused", 422)


def restarted(path: Path, store: DraftStore) -> DraftStore:
    """The desk quit (its store closed) and started again on the same file."""
    store.close()
    return DraftStore(path)


async def test_a_restart_keeps_the_key_and_route_of_an_unanswered_write_and_lets_answered_ones_go(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox-drafts.db"
    store = DraftStore(path)
    keys = RetryKeys("flag", store)
    lost, answered, refused, in_flight = (("c-1", text) for text in ("lost", "answered", "refused", "in flight"))
    lost_key, _ = await keys.request_for(lost, "flag-1")
    await keys.failed(lost, lost_key, "flag-1", LOST)
    answered_key, _ = await keys.request_for(answered, None)
    await keys.answered(answered, answered_key)
    refused_key, _ = await keys.request_for(refused, None)
    await keys.failed(refused, refused_key, None, REFUSED)
    in_flight_key, _ = await keys.request_for(in_flight, None)  # the desk quits before its answer

    store = restarted(path, store)
    keys = RetryKeys("flag", store)
    assert await keys.request_for(lost, None) == (lost_key, "flag-1"), "the first try's key, along its route"
    assert await keys.request_for(in_flight, "flag-2") == (in_flight_key, None)
    assert (await keys.request_for(answered, None))[0] != answered_key, "answered: the same words are a new write"
    assert (await keys.request_for(refused, None))[0] != refused_key
    assert await RetryKeys("callback", store).request_for(lost, None) != (lost_key, "flag-1"), "kinds apart"
    assert b"lost" not in path.read_bytes(), "what identifies a write is kept as a digest, not its words"


async def test_only_the_newest_unanswered_keys_are_kept_through_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "outbox-drafts.db"
    store = DraftStore(path)
    keys = RetryKeys("callback", store)
    sent = []
    for n in range(KEPT + 1):
        write = ("c-1", f"note {n}")
        key, _ = await keys.request_for(write, None)
        await keys.failed(write, key, None, LOST)
        sent.append((write, key))
    keys = RetryKeys("callback", restarted(path, store))
    (oldest, oldest_key), (newest, newest_key) = sent[0], sent[-1]
    assert (await keys.request_for(newest, None))[0] == newest_key
    assert (await keys.request_for(oldest, None))[0] != oldest_key, "the oldest let go first"


async def test_a_disk_that_refuses_the_keys_holds_no_write_up(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "outbox-drafts.db")
    store.close()  # every use of it now raises sqlite3.ProgrammingError
    keys = RetryKeys("flag", store)
    write = ("c-1", "Help")
    key, _ = await keys.request_for(write, None)
    await keys.failed(write, key, None, LOST)
    assert await keys.request_for(write, None) == (key, None), "kept in memory, as before"
