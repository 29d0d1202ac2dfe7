"""Files only this user can read: the desk's data folder 0700 and every file in it 0600, whatever the umask.

The desk's files hold transcripts, private notes, names and addresses. A folder is created 0700 (its missing
parents too); an existing folder is tightened only when it is the desk's own (a folder the user named, such
as their home, is theirs to set). Files are created 0600 with `os.open` and a private umask, and an existing
file left wider by an older desktop is tightened when it is opened. SQLite creates its `-wal`, `-shm` and
`-journal` files with the main database file's permissions (the unix VFS copies them; checked by
tests/e2e/test_private_files.py under umask 022), and side files that already exist are tightened here.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@contextmanager
def private_umask() -> Iterator[None]:
    """While creating files: nothing for group or others. The umask is per process, so a file another
    thread creates meanwhile is made more private too, never less; the old umask comes back after."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def private_folder(folder: Path, *, tighten_existing: bool = False) -> None:
    """Create `folder` (and missing parents) 0700; an existing one is chmod 0700 if `tighten_existing`."""
    if not folder.exists():
        with private_umask():
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        return
    info = folder.stat()
    if tighten_existing and stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != FOLDER_MODE:
        folder.chmod(FOLDER_MODE)


def private_file(path: Path) -> None:
    """`path` exists and is 0600: created empty if missing, tightened if not."""
    with private_umask():
        fd = os.open(path, os.O_CREAT | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def connect_private_sqlite(path: Path, **kwargs: object) -> sqlite3.Connection:
    """`sqlite3.connect` on a database file (and any side files it has) that only this user can read.

    An empty 0600 file is a valid empty database, so creating it first decides its permissions; SQLite
    gives the side files it creates later the same ones."""
    private_file(path)
    for suffix in SQLITE_SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists() and stat.S_IMODE(side.stat().st_mode) != FILE_MODE:
            side.chmod(FILE_MODE)
    with private_umask():
        return sqlite3.connect(path, **kwargs)  # type: ignore[arg-type]

