"""A write to the desk's own files (the outbox, the drafts, the log) that failed, said in words: a full disk is
"disk full", anything else the filesystem or SQLite refused is "cannot write to disk (why)".

SQLite says a full disk as `sqlite3.OperationalError: database or disk is full` (SQLITE_FULL, also for a quota);
a plain file says it as OSError ENOSPC or EDQUOT. Neither message holds anything the agent typed.
"""

from __future__ import annotations

import errno
import sqlite3

# What a write to a local file raises when the disk (or SQLite on it) refuses it.
LOCAL_WRITE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)

DISK_FULL = "disk full"


def why_not_written(error: BaseException) -> str:
    """One short phrase for the screen: "disk full", or "cannot write to disk (<SQLite's or the OS's words>)"."""
    if isinstance(error, sqlite3.Error):
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(error):
            return DISK_FULL
        return f"cannot write to disk ({str(error)[:120] or type(error).__name__})"
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        return f"cannot write to disk ({error.strerror or type(error).__name__})"
    return f"cannot write to disk ({type(error).__name__})"
