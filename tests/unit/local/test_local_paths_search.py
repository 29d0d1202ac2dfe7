"""A search over data folders the desk may find: made by this user or another, any mode, itself a
link or not, and each of the desk's files absent, a link to one of the user's own files, a dangling link, a
FIFO, another user's file, a folder or garbage. Whatever hypothesis builds, the desk's real stores and log
(the outbox, the two draft stores, desk.log) never change a file outside the folder, never hang, and either
open with every file private or refuse in one line naming the path. We run as root: another user's files are
made with os.chown (uid 65534)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from hypothesis import given, settings
from hypothesis import strategies as st

from agent_desktop.agent_desk.drafts.conversation_drafts import ConversationDraftStore, conversation_drafts_path_beside
from agent_desktop.agent_desk.drafts.drafts import DraftStore, drafts_path_beside
from agent_desktop.agent_desk.private_sqlite import open_or_set_aside
from agent_desktop.local.desk_log import DESK_LOGGER, start_desk_log
from agent_desktop.local.paths import LocalPathError
from agent_desktop.outbox.store import Outbox, OutboxUnavailable
from tests.support.hypothesis_profiles import examples

NOBODY = 65534
OUTBOX_FILES = ("outbox.db", "outbox.db-wal", "outbox.db-shm", "outbox.db-journal")
NAMES = (*OUTBOX_FILES, "outbox-drafts.db", "outbox-drafts.db-journal", "outbox-conversations.db", "desk.log")
PLANTS = ("absent", "link-to-victim", "dangling-link", "fifo", "theirs", "folder", "garbage")

folders = st.fixed_dictionaries(
    {
        "owner": st.sampled_from(["me", "nobody"]),
        "mode": st.sampled_from([0o700, 0o755, 0o775, 0o777, 0o1777]),
        "linked": st.booleans(),
        "plants": st.dictionaries(st.sampled_from(NAMES), st.sampled_from(PLANTS), max_size=4),
    }
)


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> NoReturn:
    raise Hang("the desk waited on a file")


def _plant(path: Path, plant: str, victim: Path) -> None:
    if plant == "link-to-victim":
        path.symlink_to(victim)
    elif plant == "dangling-link":
        path.symlink_to(victim.with_name("not-there-yet"))
    elif plant == "fifo":
        os.mkfifo(path)
    elif plant == "theirs":
        path.write_bytes(b"")
        path.chmod(0o666)
        os.chown(path, NOBODY, NOBODY)
    elif plant == "folder":
        path.mkdir()
    elif plant == "garbage":
        path.write_bytes(b"not a database\n" * 200)
        path.chmod(0o600)


def _folder_is_fine(plan: dict[str, Any]) -> bool:
    return plan["owner"] == "me" and not plan["linked"] and plan["mode"] & 0o022 == 0


def _outbox_files_fine(plants: dict[str, str]) -> bool:
    return all(plants.get(name, "absent") == "absent" for name in OUTBOX_FILES)


def _one_line_naming(error: Exception, folder: Path) -> None:
    text = str(error)
    assert "\n" not in text, text
    assert str(folder) in text, text


@settings(max_examples=examples(200))
@given(folders)
def test_whatever_the_data_folder_holds_the_desk_changes_nothing_outside_it_and_never_hangs(
    plan: dict[str, Any],
) -> None:
    root = Path(tempfile.mkdtemp(prefix="local-paths-"))
    handlers: list[logging.Handler] = []
    opened: list[Outbox | DraftStore | ConversationDraftStore] = []
    old_alarm = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    try:
        victim = root / "home" / "notes.txt"
        victim.parent.mkdir()
        victim.write_text("the user's own notes\n")
        victim.chmod(0o644)
        before = (victim.read_bytes(), stat.S_IMODE(victim.stat().st_mode), sorted(os.listdir(victim.parent)))

        real = root / "made-first" / "agent-desktop"
        real.mkdir(parents=True)
        for name, plant in plan["plants"].items():
            _plant(real / name, plant, victim)
        real.chmod(plan["mode"])
        if plan["owner"] == "nobody":
            os.chown(real, NOBODY, NOBODY)
        folder = real
        if plan["linked"]:
            folder = root / "data" / "agent-desktop"
            folder.parent.mkdir()
            folder.symlink_to(real)

        outbox_path = folder / "outbox.db"
        try:
            outbox = Outbox(outbox_path)
        except OutboxUnavailable as error:
            _one_line_naming(error, folder)
            assert not (_folder_is_fine(plan) and _outbox_files_fine(plan["plants"])), f"refused: {error}"
        else:
            opened.append(outbox)
            assert _folder_is_fine(plan), "opened in a folder someone else can write in, or through a link"
            drafts, _, _ = open_or_set_aside(
                DraftStore, drafts_path_beside(outbox_path), DraftStore.load, "wrap-up drafts"
            )
            opened.append(drafts)
            conversations, _, _ = open_or_set_aside(
                ConversationDraftStore,
                conversation_drafts_path_beside(outbox_path),
                ConversationDraftStore.load,
                "notes",
            )
            opened.append(conversations)
            left = set()  # what was refused stays as it was found
            try:
                handlers.append(start_desk_log(folder))
            except LocalPathError as error:  # the command says it in one line and exits 2
                _one_line_naming(error, folder)
                assert plan["plants"].get("desk.log", "absent") != "absent"
                left.add("desk.log")
            else:
                logging.getLogger(f"{DESK_LOGGER}.test").warning("a line")
            for path in folder.iterdir():
                if ".unreadable-" in path.name or path.name in left:
                    continue  # what was set aside is kept as it was found
                info = path.lstat()
                assert stat.S_ISREG(info.st_mode), path
                assert info.st_uid == os.getuid(), path
                assert stat.S_IMODE(info.st_mode) == 0o600, (path, oct(info.st_mode))
        assert (victim.read_bytes(), stat.S_IMODE(victim.stat().st_mode), sorted(os.listdir(victim.parent))) == before
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_alarm)
        for store in opened:
            store.close()
        logger = logging.getLogger(DESK_LOGGER)
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.propagate, logger.level = True, logging.NOTSET  # as before start_desk_log
        shutil.rmtree(root, ignore_errors=True)
