"""One rule for every local file and folder the desk opens: the only module of `agent_desktop/` that
opens, creates, reads or parses a local path (tests/unit/architecture/test_local_paths_rule.py holds the rest to it).

What the desk writes (its data folder, the outbox and draft stores with their SQLite side files, desk.log):
- a folder is this user's, a folder (not a symbolic link), and nobody else can write in it; missing folders
  (and missing parents) are created 0700 whatever the umask, and the desk's own default folder is tightened
  to 0700 if an older version left it wider;
- a file is opened without following a symbolic link (O_NOFOLLOW), must be a regular file (never a FIFO or a
  device: those are refused before they are opened, and checked again on the open descriptor), and this
  user's; it is created 0600 and tightened through its descriptor, so a link can never make the desk chmod
  someone else's file or write into it.
What the desk only reads (the configuration, quick responses, the presence directory file): the file reached
must be a regular file owned by this user or root and writable by nobody else (as ssh treats its
configuration); a link the user made to such a file is followed, since what it reaches is what is checked
(on the open descriptor). The file shipped inside the package is trusted as the package's code is. Every read
is bounded (a size cap per kind of file, a FIFO never waited on) and a parsed document nested deeper than
MAX_NESTING levels is refused, so no file can hang the desk, fill its memory or overflow the parser's stack.

A problem is a LocalPathError (an OSError) whose message is one line: the path and what is wrong with it.
SQLite creates its `-wal`, `-shm` and `-journal` files with the main database file's permissions (the unix
VFS copies them), and only in a folder nobody else can write, so they cannot be planted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from io import BufferedWriter, TextIOWrapper

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

# Size caps, per kind of file read whole: a few hundred times what a real one holds.
CONFIG_BYTES = 1 << 20
QUICK_RESPONSES_BYTES = 4 << 20
DIRECTORY_FILE_BYTES = 32 << 20  # tens of thousands of people
MAX_NESTING = 32  # tables and arrays inside each other; the desk's own files use 4

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a FIFO with no writer returns at once (refused by fstat then) instead of waiting forever.
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | _CLOEXEC
_WRITE_FLAGS = os.O_CREAT | os.O_NONBLOCK | os.O_NOCTTY | _NOFOLLOW | _CLOEXEC


class LocalPathError(OSError):
    """A local file or folder the desk will not use; the message is one line: the path and why (`reason`)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@contextmanager
def private_umask() -> Iterator[None]:
    """While creating files: nothing for group or others. The umask is per process, so a file another
    thread creates meanwhile is made more private too, never less; the old umask comes back after."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


# --- what the checks say --------------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _owner(uid: int) -> str:
    try:
        import pwd

        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _check_owner_and_mode(path: Path, info: os.stat_result, *, root_ok: bool) -> None:
    owners = (os.getuid(), 0) if root_ok else (os.getuid(),)
    if info.st_uid not in owners:
        raise LocalPathError(path, f"owned by {_owner(info.st_uid)}, not by you; refused")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        who = "everyone" if info.st_mode & stat.S_IWOTH else "its group"
        mode = stat.S_IMODE(info.st_mode)
        raise LocalPathError(path, f"writable by {who} (mode {mode:04o}); refused: chmod go-w {path}")


def _refuse_link(path: Path, error: OSError) -> None:
    """O_NOFOLLOW on a link fails with ELOOP (ENOTDIR for a folder): said as what it is."""
    if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) and path.is_symlink():
        raise LocalPathError(path, "a symbolic link; the desk writes through none, refused") from None


# --- folders --------------------------------------------------------------------------------------------------


def private_folder(folder: Path, *, tighten_existing: bool = False) -> None:
    """`folder` is a folder of this user's that nobody else can write in: created 0700 with its missing
    parents; an existing one is chmod 0700 if `tighten_existing` (the desk's own default folder), else
    refused if group or others can write in it (a folder the user named is theirs to set, but not shared)."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            break
        missing.append(candidate)
    with private_umask():
        for candidate in reversed(missing):
            try:
                os.mkdir(candidate, FOLDER_MODE)
            except FileExistsError:  # made meanwhile: checked below like any other
                pass
            except OSError as error:
                raise LocalPathError(candidate, f"cannot be created ({error.strerror or error})") from None
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        _refuse_link(folder, error)
        if error.errno == errno.ENOTDIR:
            raise LocalPathError(folder, f"{_kind(os.lstat(folder).st_mode)}, not a folder") from None
        raise LocalPathError(folder, f"cannot be opened ({error.strerror or error})") from None
    try:
        info = os.fstat(descriptor)
        if tighten_existing and info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != FOLDER_MODE:
            os.fchmod(descriptor, FOLDER_MODE)  # through the descriptor: the folder checked, never a link's target
            info = os.fstat(descriptor)
        _check_owner_and_mode(folder, info, root_ok=False)
    finally:
        os.close(descriptor)


# --- the remote control's socket ------------------------------------------------------------------------------


def private_socket_place(path: Path, *, own_folder: bool) -> None:
    """Make `path` ready for a Unix socket only this user can reach: its folder this user's and closed to everyone
    else (0700: tightened if it is the desk's own, `own_folder`, else refused if group or others can enter it), and
    no file at `path` but a socket of this user's left by a desk that is gone (removed: the caller found nothing
    answering on it)."""
    private_folder(path.parent, tighten_existing=own_folder)
    info = os.stat(path.parent, follow_symlinks=False)
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        mode = stat.S_IMODE(info.st_mode)
        raise LocalPathError(path.parent, f"others can reach it (mode {mode:04o}); refused: chmod 700 {path.parent}")
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(found.st_mode):
        raise LocalPathError(path, f"{_kind(found.st_mode)}, not a socket; refused")
    if found.st_uid != os.getuid():
        raise LocalPathError(path, f"owned by {_owner(found.st_uid)}, not by you; refused")
    os.unlink(path)


def close_socket_file(path: Path) -> None:
    """The socket a desk listened on made 0600 once bound (its folder is already closed to others)."""
    os.chmod(path, FILE_MODE)


def remove_socket_file(path: Path) -> None:
    """The socket removed as the desk stops (already gone: nothing to do)."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)


# --- files the desk writes ------------------------------------------------------------------------------------


def _open_private(path: Path, flags: int) -> int:
    """A descriptor on `path`, created 0600 if missing: never through a link, only a regular file of this
    user's, tightened to 0600 if wider."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        pass
    else:  # a FIFO or a device is refused before opening it (opening one can wait, or do something)
        if not stat.S_ISREG(info.st_mode):
            raise LocalPathError(path, f"{_kind(info.st_mode)}, not a regular file; refused")
    try:
        with private_umask():
            descriptor = os.open(path, flags | _WRITE_FLAGS, FILE_MODE)
    except OSError as error:
        _refuse_link(path, error)
        raise
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LocalPathError(path, f"{_kind(info.st_mode)}, not a regular file; refused")
        if info.st_uid != os.getuid():
            raise LocalPathError(path, f"owned by {_owner(info.st_uid)}, not by you; refused")
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.fchmod(descriptor, FILE_MODE)
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def private_file(path: Path) -> None:
    """`path` exists, is this user's regular file and is 0600: created empty if missing, tightened if not."""
    os.close(_open_private(path, os.O_RDWR))


@overload
def open_private_append(
    path: Path, *, binary: Literal[False] = False, encoding: str = "utf-8", errors: str = "strict"
) -> TextIOWrapper: ...
@overload
def open_private_append(
    path: Path, *, binary: Literal[True], encoding: str = "utf-8", errors: str = "strict"
) -> BufferedWriter: ...
def open_private_append(
    path: Path, *, binary: bool = False, encoding: str = "utf-8", errors: str = "strict"
) -> IO[Any]:
    """`path` opened to append (desk.log, the demo's mocks.log), by the rule of `private_file`."""
    descriptor = _open_private(path, os.O_WRONLY | os.O_APPEND)
    if binary:
        return os.fdopen(descriptor, "ab")
    return os.fdopen(descriptor, "a", encoding=encoding, errors=errors)


def write_private(path: Path, data: bytes) -> None:
    """`path` written whole with `data`, by the rule of `private_file` (a settings file the desk hands a child)."""
    with os.fdopen(_open_private(path, os.O_WRONLY | os.O_TRUNC), "wb") as file:
        file.write(data)


def write_new_private(path: Path, data: bytes) -> None:
    """A new file of `data`, 0600: never over an existing file, never through a link (a screenshot of the desk)."""
    with private_umask():
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, FILE_MODE)
        except FileExistsError:
            raise LocalPathError(path, "already exists; not written over") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def connect_private_sqlite(path: Path, **kwargs: Any) -> sqlite3.Connection:
    """`sqlite3.connect` on a database file of this user's (and its side files) that only they can read.

    An empty 0600 file is a valid empty database, so creating it first decides its permissions; SQLite
    gives the side files it creates later the same ones. A side file left by an earlier run must pass the
    same checks (a planted `-wal` link would be written through)."""
    private_file(path)
    for suffix in SQLITE_SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if os.path.lexists(side):
            private_file(side)
    with private_umask():
        # a Connection: none of the callers passes a `factory` (with **kwargs connect's overloads cannot tell)
        connection: sqlite3.Connection = sqlite3.connect(path, **kwargs)
        return connection


def move_aside(path: Path) -> Path:
    """Rename a file the desk cannot read (a corrupt store) and its SQLite side files out of the way, keeping
    them for whoever wants to look; the new name of the main file."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    number = 1
    while os.path.lexists(target):
        number += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{number}")
    for suffix in ("", *SQLITE_SIDE_FILES):
        side = path.with_name(path.name + suffix)
        if os.path.lexists(side):
            os.replace(side, target.with_name(target.name + suffix))
    return target


# --- files the desk reads -------------------------------------------------------------------------------------


def read_bytes(path: Path, *, limit: int, package_data: bool = False) -> bytes:
    """The whole of a file the desk only reads: a regular file of this user's or root's that nobody else can
    write (`package_data`: shipped with the desk, trusted as its code is), at most `limit` bytes."""
    try:
        info = os.stat(path)  # a link is followed: what it reaches is checked, on the open descriptor below
    except FileNotFoundError:
        raise LocalPathError(path, "not found") from None
    except OSError as error:
        raise LocalPathError(path, f"cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise LocalPathError(path, f"{_kind(info.st_mode)}, not a regular file; refused")
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise LocalPathError(path, f"cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LocalPathError(path, f"{_kind(info.st_mode)}, not a regular file; refused")
        if not package_data:
            _check_owner_and_mode(path, info, root_ok=True)
        too_big = LocalPathError(path, f"larger than {_size(limit)}; refused")
        if info.st_size > limit:
            raise too_big
        chunks: list[bytes] = []
        read = 0
        while read <= limit:  # the file may grow after fstat: read no more than the cap allows
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - read))
            if not chunk:
                break
            chunks.append(chunk)
            read += len(chunk)
        if read > limit:
            raise too_big
        return b"".join(chunks)
    except LocalPathError:
        raise
    except OSError as error:
        raise LocalPathError(path, f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(descriptor)


def read_text(path: Path, *, limit: int, package_data: bool = False) -> str:
    """`read_bytes` decoded as UTF-8."""
    data = read_bytes(path, limit=limit, package_data=package_data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LocalPathError(path, f"not UTF-8 text (byte {error.start})") from None


def read_tail(path: Path, limit: int) -> str:
    """The last `limit` bytes of a log of the desk's own (the demo's mocks.log, for an error message)."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            raise LocalPathError(path, f"{_kind(info.st_mode)}, not a regular file; refused")
        descriptor = os.open(path, _READ_FLAGS | _NOFOLLOW)
    except LocalPathError:
        raise
    except OSError as error:
        raise LocalPathError(path, f"cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise LocalPathError(path, "not a file of yours; refused")
        return os.pread(descriptor, limit, max(0, info.st_size - limit)).decode(errors="replace")
    finally:
        os.close(descriptor)


class DocumentError(ValueError):
    """A file read well whose content is not the document expected; the message is one line."""


def read_toml(path: Path, *, limit: int, package_data: bool = False) -> dict[str, Any]:
    """A TOML file read by the rule: LocalPathError for the file, DocumentError for what is in it."""
    text = read_text(path, limit=limit, package_data=package_data)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DocumentError(f"not valid TOML ({error})") from None
    except RecursionError:  # tomllib's parser recurses once per nested array or inline table
        raise DocumentError(f"nested deeper than {MAX_NESTING} levels") from None
    check_nesting(document)
    return document


def read_json(path: Path, *, limit: int) -> Any:
    """A JSON file read by the rule: LocalPathError for the file, DocumentError for what is in it."""
    text = read_text(path, limit=limit)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(f"not valid JSON ({' '.join(str(error).split())})") from None
    except RecursionError:
        raise DocumentError(f"nested deeper than {MAX_NESTING} levels") from None
    check_nesting(document)
    return document


def check_nesting(document: Any) -> None:
    """DocumentError if tables or arrays sit more than MAX_NESTING deep (dotted keys nest without the parser
    recursing, and what validates the document afterwards recurses). Walked without recursion."""
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise DocumentError(f"nested deeper than {MAX_NESTING} levels")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit} bytes"
