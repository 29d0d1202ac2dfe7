"""An outbox entry of a kind this desk does not know (written by a newer desk sharing the file, as the supervisor's
'supervision' records once were by a branch's desk on this machine, and the older desk stopped at start on
`ValueError: 'supervision' is not a valid EntryKind`): left where it is, not sent, listed or counted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from agent_desktop.outbox.sender import OutboxSender
from agent_desktop.outbox.store import EntryKind, Outbox


def test_an_entry_of_an_unknown_kind_is_left_alone_and_the_rest_still_goes(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    mine = outbox.add(EntryKind.NOTE, {"customer_id": "c-1", "text": "Called back"}, contact_id="c-1")
    with sqlite3.connect(path) as other:  # a newer desk's write
        other.execute(
            "insert into outbox (key, kind, contact_id, payload, created_at) values (?, ?, ?, ?, ?)",
            ["later-1", "a_kind_from_the_future", "c-2", "{}", "2026-11-23T19:00:00+00:00"],
        )
    assert [e.key for e in outbox.due()] == [mine.key]
    assert [e.key for e in outbox.recent()] == [mine.key]
    assert outbox.counts().pending == 1
    outbox.mark_sent(mine.key, "n-1")
    assert outbox.next_due_at() is None, "nothing of its own left to send"
    outbox.close()
    with sqlite3.connect(path) as other:
        assert other.execute("select kind from outbox where key = 'later-1'").fetchone() == ("a_kind_from_the_future",)


def test_every_kind_of_write_has_its_writer(tmp_path: Path) -> None:
    """The sender sends by kind (no chain of type checks to fall through): a kind added to the store without its
    writer fails here, not at its first send."""
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    try:
        assert set(OutboxSender(outbox, crm=object()).writers) == set(EntryKind)  # type: ignore[arg-type]
    finally:
        outbox.close()
