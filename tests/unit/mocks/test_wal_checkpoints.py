"""Servers without the CCaaS's scheduler checkpoint their WAL in a worker thread, never inside a commit
(agent_desktop_mocks/common/wal_checkpoints.py): the presence mock under a storm of changes, the fan-out benchmark's server."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils

import agent_desktop_mocks.common.storage as storage
import agent_desktop_mocks.common.wal_checkpoints as wal_checkpoints
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.storage import open_database
from agent_desktop_mocks.common.wal_checkpoints import checkpoints_in_a_worker
from agent_desktop_mocks.presence.app import create_app as create_presence

PAGE = 4096


def _commits(db: sqlite_utils.Database, n: int) -> None:
    for i in range(n):
        db.conn.execute("insert into events values (?, ?)", (i, "x" * 3000))  # about a page a commit
        db.conn.commit()


async def test_no_commit_checkpoints_and_the_worker_lets_the_wal_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path, "server", fresh=True)
    db.conn.execute("create table events (id integer, payload text)")
    wal = tmp_path / "server.db-wal"
    checkpointed = threading.Event()
    checkpoint = storage.checkpoint_wal

    def noted_checkpoint(connection: sqlite3.Connection) -> None:
        checkpoint(connection)
        checkpointed.set()

    monkeypatch.setattr(wal_checkpoints, "checkpoint_wal", noted_checkpoint)
    async with checkpoints_in_a_worker(db, every_s=3600):
        _commits(db, 1500)
        assert wal.stat().st_size > 2000 * PAGE  # twice past SQLite's mark: no commit copied it back
    assert not checkpointed.is_set()
    async with checkpoints_in_a_worker(db, every_s=0.05):
        # The worker's first checkpoint done (waited for, not slept on: a busy machine ran none within 0.5 s): the
        # WAL is copied, its next writes start over.
        assert await asyncio.to_thread(checkpointed.wait, 30), "the worker never checkpointed"
        grown = wal.stat().st_size
        _commits(db, 200)
        assert wal.stat().st_size == grown  # written again from its start, not appended to
    db.conn.close()


async def test_leaving_waits_for_a_running_checkpoint_before_its_connection_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    happened: list[str] = []
    started = threading.Event()
    checkpoint = storage.checkpoint_wal

    def slow_checkpoint(connection: sqlite3.Connection) -> None:
        started.set()
        time.sleep(0.3)
        checkpoint(connection)
        happened.append("checkpoint finished")

    monkeypatch.setattr(wal_checkpoints, "checkpoint_wal", slow_checkpoint)
    db = open_database(tmp_path, "server", fresh=True)
    async with checkpoints_in_a_worker(db, every_s=0.01):
        assert await asyncio.to_thread(started.wait, 10), "no checkpoint ran"
    happened.append("left")
    assert happened == ["checkpoint finished", "left"]
    db.conn.close()


async def test_the_presence_server_does_not_checkpoint_in_a_presence_changes_commit(tmp_path: Path) -> None:
    app = create_presence(MockSettings(data_dir=tmp_path, simulator=False, fresh=True, experts=5))
    db = app.state.directory.db
    assert db.execute("pragma wal_autocheckpoint").fetchone()[0] == 1000  # SQLite's own, until the server runs
    async with app.router.lifespan_context(app):
        assert db.execute("pragma wal_autocheckpoint").fetchone()[0] == 0
