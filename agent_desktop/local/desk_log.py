"""The desk's own log: `desk.log` in the user log folder (or `log_file`), 0600, never the terminal (the screen owns it).

What goes there is what the desk noticed and the agent need not act on now, such as an event from a
backend it could not read. Only kinds and reasons are logged, never backend text (it may hold card
data): see agent_desktop/adapters/wire/event_json.py. Kept to two files of at most LOG_BYTES.

A crash is logged here too (`log_crash`): the kind of each error in the chain and its frames (file, line, function,
the line of code), never its message nor any frame's local variables, which hold what the agent typed.
"""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desktop.local.paths import open_private_append, private_folder
from agent_desktop.local.places import log_folder

if TYPE_CHECKING:
    from io import TextIOWrapper

LOG_NAME = "desk.log"
LOG_BYTES = 1_000_000
DESK_LOGGER = __name__.partition(".")[0]  # the package's: every module's `getLogger(__name__)` is under it
crash_log = logging.getLogger(f"{DESK_LOGGER}.crash")


class _PrivateLogFile(RotatingFileHandler):
    """A rotating file handler whose files (the first and each one after a rollover) are opened by the local
    paths' rule: 0600, the user's own, never through a link."""

    def _open(self) -> TextIOWrapper:
        return open_private_append(
            Path(self.baseFilename), encoding=self.encoding or "utf-8", errors=self.errors or "strict"
        )


def start_desk_log(folder: Path, *, name: str = LOG_NAME, level: int | str = logging.INFO) -> logging.Handler:
    """Send what the desk's modules log (DESK_LOGGER and below, `level` and up) to `folder`/`name`, and nowhere
    else; the handler is returned so a test can remove it. The desk's own default folder is tightened to 0700 if
    left wider."""
    private_folder(folder, tighten_existing=folder == log_folder())
    path = folder / name
    handler = _PrivateLogFile(path, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8", errors="backslashreplace")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(DESK_LOGGER)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # not to the root logger, whose last resort prints to stderr
    return handler


def desk_log_path(folder: Path) -> Path:
    """Where `start_desk_log(folder)` writes."""
    return folder / LOG_NAME


def current_log_path() -> Path | None:
    """Where the desk logs now (the last `start_desk_log`), or None before it started."""
    files = [h for h in logging.getLogger(DESK_LOGGER).handlers if isinstance(h, _PrivateLogFile)]
    return Path(files[-1].baseFilename) if files else None


def frames_only(error: BaseException) -> str:
    """`error` and the errors it was raised from or during, each as its kind and its frames: no message (it may
    quote a backend's or the agent's text), no local variables."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(
            f"{type(current).__module__}.{type(current).__qualname__}\n"
            + "".join(traceback.format_tb(current.__traceback__))
        )
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if current is not None:
            parts.append("raised while handling, or from:")
    return "\n".join(parts)


def log_crash(error: BaseException) -> None:
    """The desk stopped on `error`: its kinds and frames into desk.log (frames only)."""
    crash_log.critical("the desk stopped on an error it did not expect:\n%s", frames_only(error))
