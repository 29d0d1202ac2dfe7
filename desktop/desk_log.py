"""The desk's own log: `desk.log` beside the outbox, 0600, never the terminal (the screen owns it).

What goes there is what the desk noticed and the agent need not act on now, such as an event from a
backend it could not read. Only kinds and reasons are logged, never backend text (it may hold card
data): see desktop/backends/event_json.py. Kept to two files of at most LOG_BYTES.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from desktop.local_paths import open_private_append, private_folder

LOG_NAME = "desk.log"
LOG_BYTES = 1_000_000


class _PrivateLogFile(RotatingFileHandler):
    """A rotating file handler whose files (the first and each one after a rollover) are opened by the local
    paths' rule: 0600, the user's own, never through a link."""

    def _open(self):  # type: ignore[no-untyped-def]
        return open_private_append(Path(self.baseFilename), encoding=self.encoding or "utf-8", errors=self.errors or "strict")


def start_desk_log(folder: Path) -> logging.Handler:
    """Send the `desktop` loggers (info and up) to `folder`/desk.log, and nowhere else; the handler
    is returned so a test can remove it."""
    private_folder(folder)
    path = folder / LOG_NAME
    handler = _PrivateLogFile(path, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8", errors="backslashreplace")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("desktop")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # not to the root logger, whose last resort prints to stderr
    return handler
