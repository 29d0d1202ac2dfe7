"""The desk's files are only its user's: every file in its data folder 0600, the folder 0700,
under the usual umask 022; and text the agent replaced is nowhere on disk, `-wal` and `-journal` included."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.drafts import Draft, DraftStore, drafts_path_beside
from agent_desktop.app.runtime import DeskRuntime
from agent_desktop.local.desk_log import DESK_LOGGER, start_desk_log
from agent_desktop.local.paths import private_folder
from agent_desktop.outbox.payloads import NoteWrite
from agent_desktop.outbox.store import EntryKind, Outbox
from agent_desktop.transcripts.conversation import PrivateNote
from tests.e2e.conversations.test_agent_conversations import ready, servers, take  # noqa: F401
from tests.support.narrowing import of_kind
from tests.support.scenes.pilot_steps import desk_app_of
from tests.support.scenes.scenes import SIZE, SceneServers, scene_app, screen_text, wait_until

SECRET = "AAAA-secret-1"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def desk_log() -> Iterator[Callable[[Path], None]]:
    """start_desk_log for this test only: the desk's logger as it was afterwards."""
    logger = logging.getLogger(DESK_LOGGER)
    handlers: list[logging.Handler] = []
    level, propagate = logger.level, logger.propagate
    yield lambda folder: handlers.append(start_desk_log(folder))
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)
    logger.propagate = propagate


def modes(folder: Path) -> dict[str, str]:
    """Every entry in the folder (and the folder itself, as "."), with its permission bits."""
    found = {".": oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = oct(stat.S_IMODE(path.stat().st_mode))
    return found


def assert_private(folder: Path) -> dict[str, str]:
    found = modes(folder)
    wide = {name: mode for name, mode in found.items() if mode != ("0o700" if (folder / name).is_dir() else "0o600")}
    assert not wide, f"readable by others: {wide} (all: {found})"
    return found


def every_byte(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def open_every_store(folder: Path) -> tuple[Outbox, DraftStore, ConversationDraftStore]:
    outbox = Outbox(folder / "outbox.db")
    return (
        outbox,
        DraftStore(drafts_path_beside(outbox.path)),
        ConversationDraftStore(conversation_drafts_path_beside(outbox.path)),
    )


def test_every_store_and_the_log_are_0600_in_a_0700_folder_under_umask_022(
    tmp_path: Path, umask_022: None, desk_log: Callable[[Path], None]
) -> None:
    folder = tmp_path / "data" / "agent-desktop"
    outbox, drafts, conversations = open_every_store(folder)
    desk_log(folder)
    entry = outbox.add(EntryKind.NOTE, {"customer_id": "cus-1", "text": "Called about a refund"}, contact_id="c-1")
    drafts.save("c-1", Draft("Resolved", "Refunded the late fee"))
    conversations.save_draft("c-1", "Let me check that")
    conversations.add_note("c-1", PrivateNote("Wants it today", datetime.now(UTC)))
    logging.getLogger("agent_desktop.adapters.wire.stream").warning("an event it could not read")
    with_side_files = assert_private(folder)  # while open: the outbox's -wal and -shm exist now
    assert {"outbox.db-wal", "outbox.db-shm", "outbox-drafts.db", "outbox-conversations.db", "desk.log"} <= set(
        with_side_files
    )
    outbox.mark_sent(entry.key, "int-1")
    drafts.save("c-1", Draft("Resolved", "Refunded the late fee, twice"))
    for store in (outbox, drafts, conversations):
        store.close()
    assert_private(folder)


def test_files_an_older_desktop_left_readable_are_tightened_when_opened(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "agent-desktop"
    folder.mkdir()
    for name in ("outbox.db", "outbox-drafts.db"):  # as the older desktop left them: 0644, with a WAL
        db = sqlite3.connect(folder / name)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("create table t (x)")
        db.execute("insert into t values ('x')")
        db.commit()
        for path in folder.iterdir():
            path.chmod(0o644)
        db.close()
    (folder / "outbox.db-wal").write_bytes(b"")
    (folder / "outbox.db-wal").chmod(0o644)
    Outbox(folder / "outbox.db").close()
    DraftStore(folder / "outbox-drafts.db").close()
    assert {name: mode for name, mode in modes(folder).items() if name != "."} == dict.fromkeys(
        os.listdir(folder), "0o600"
    )
    private_folder(folder, tighten_existing=True)  # the desk's own folder (the default one) is tightened too
    assert modes(folder)["."] == "0o700"


def test_a_replaced_draft_note_or_payload_is_in_no_file_of_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "agent-desktop"
    outbox, drafts, conversations = open_every_store(folder)
    drafts.save("c-1", Draft("Resolved", f"Card {SECRET} refunded"))
    conversations.save_draft("c-1", f"Your reference is {SECRET}")
    conversations.add_note("c-2", PrivateNote(f"Said {SECRET} on the phone", datetime.now(UTC)))
    entry = outbox.add(EntryKind.NOTE, {"customer_id": "cus-1", "text": f"Note {SECRET}"}, contact_id="c-1")
    assert SECRET.encode() in every_byte(folder)  # the test can see it while it is the current text

    drafts.save("c-1", Draft("Resolved", "BBBB"))
    conversations.save_draft("c-1", "BBBB")
    conversations.forget("c-2")
    outbox.update_payload(entry.key, NoteWrite(customer_id="cus-1", text="BBBB"))
    assert SECRET.encode() not in every_byte(folder), "an older version is still on disk while the stores are open"
    for store in (outbox, drafts, conversations):
        store.close()
    assert SECRET.encode() not in every_byte(folder)
    assert DraftStore(drafts_path_beside(outbox.path)).load()["c-1"].notes == "BBBB"


def test_a_draft_store_left_in_wal_mode_keeps_no_older_draft_once_opened(tmp_path: Path) -> None:
    path = tmp_path / "outbox-conversations.db"
    old = sqlite3.connect(path)  # an older desktop: WAL, the old draft in the -wal file
    old.execute("PRAGMA journal_mode=WAL")
    old.execute(
        "create table composer_drafts (contact_id text primary key, text text not null, saved_at real not null)"
    )
    old.execute("insert into composer_drafts values ('c-1', ?, 0)", [f"Ref {SECRET}"])
    old.commit()
    old.close()  # (closing the last connection checkpoints the -wal into the database file)
    store = ConversationDraftStore(path)
    store.save_draft("c-1", "BBBB")
    assert not (tmp_path / "outbox-conversations.db-wal").exists()
    assert SECRET.encode() not in every_byte(tmp_path)
    store.close()


async def test_the_running_desk_writes_only_private_files(
    servers: SceneServers,  # noqa: F811
    umask_022: None,
    desk_log: Callable[[Path], None],
) -> None:
    """The real desk through a chat (a composer draft, a private note, a wrap-up saved and sent to the CRM)."""
    folder = servers.settings.data_dir / "desk"
    app = scene_app(servers, frozen=False)
    async with app.run_test(size=SIZE) as pilot:
        desk_log(folder)
        await ready(pilot)
        await take(pilot, servers, servers.caller(4).email)
        await pilot.press("i", *"One moment please")
        await wait_until(
            pilot, lambda: "One moment please" in every_byte(folder).decode(errors="replace"), "the draft saved"
        )
        await pilot.press("ctrl+t", *"Wants the refund today", "enter", "ctrl+t", "escape")
        await pilot.press("e")
        # the customer wrote last (the opening message): ending the chat is confirmed first
        await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "EndConversationDialog", "the question")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: "Wrap-up" in screen_text(pilot, "#contacts"), "after-contact work")
        await pilot.press("w", "enter", "down", "enter", "ctrl+s")
        await wait_until(pilot, lambda: screen_text(pilot, "#contacts") == "", "the wrap-up saved")
        await wait_until(
            pilot,
            lambda: of_kind(desk_app_of(pilot).runtime, DeskRuntime).backends.outbox.counts().sent == 1,
            "the interaction in the CRM",
        )
        logging.getLogger("agent_desktop.adapters.wire.stream").warning("an event it could not read")
        found = assert_private(folder)
        assert {"outbox.db", "outbox.db-wal", "outbox-drafts.db", "outbox-conversations.db", "desk.log"} <= set(found)
    assert_private(folder)
