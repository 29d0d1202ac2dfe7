"""Where a key went, for a test that lost one: with `AGENT_DESKTOP_INPUT_LOG` set to a file, the terminal's
driver writes each key it parsed and the app writes what its bindings made of it, one line each. Off (nothing
written, nothing kept) unless the variable is set; a desk never sets it. tests/support/scenes/tmux_terminal.py
sets it and shows the file's end when a screen does not come: the demo test's "y on End while the customer
waits? had no effect" (2 of 5 full runs, never alone) left an idle desk and no trace of why."""

from __future__ import annotations

import os
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_desktop.local.paths import open_private_append

if TYPE_CHECKING:
    from textual.screen import Screen

_PATH = os.environ.get("AGENT_DESKTOP_INPUT_LOG")
LOGGING = _PATH is not None  # callers test it before building a line: every key passes here
_lock = threading.Lock()


def log_input(where: str, what: str) -> None:
    """One line: the time, the thread's part (`driver`, `app`), what happened."""
    if _PATH is None:
        return
    line = f"{time.monotonic():.3f} {where} {what}\n"
    with _lock, open_private_append(Path(_PATH)) as file:
        file.write(line)


def callers(depth: int = 12) -> str:
    """Where the call came from, compactly (file:line function, innermost last), for a line of the log."""
    frames = traceback.extract_stack()[:-2][-depth:]
    return " < ".join(f"{os.path.basename(f.filename)}:{f.lineno} {f.name}" for f in reversed(frames))


def watch_focus(screen: Screen[Any]) -> None:
    """Log each move of `screen`'s focus, and who moved it."""
    screen.watch(screen, "focused", lambda widget: log_input("focus", f"{widget!r} by {callers()}"), init=False)
