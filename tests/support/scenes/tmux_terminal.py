"""Driving a program in a real terminal (tmux), as a user would: send keys, read the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

# The installed command, beside the running interpreter (the project's .venv).
AGENT_DESKTOP = str(Path(sys.executable).parent / "agent-desktop")


def processes_using(folder: Path) -> str:
    """The command lines of processes that mention `folder` (e.g. mock servers still serving from it)."""
    result = subprocess.run(["pgrep", "-af", str(folder)], capture_output=True, text=True)
    return "\n".join(line for line in result.stdout.splitlines() if "pgrep" not in line)


class TmuxTerminal:
    """One program in a private tmux server (its own socket), 120×40 by default."""

    def __init__(
        self,
        command: list[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        size: tuple[int, int] = (120, 40),
        session: str = "agent_desktop",
    ) -> None:
        self.socket = f"agent-desktop-{uuid.uuid4().hex[:8]}"
        self.session = session
        self.command = command
        self.cwd = cwd
        # Where each key went (agent_desktop/ui/terminal/input_log.py), shown when a screen does not come.
        self.input_log = Path(tempfile.gettempdir()) / f"{self.socket}-input.log"
        # The size in the environment too, over whatever the caller passed: Python's `shutil.get_terminal_size`, which
        # Textual's driver uses, reads COLUMNS and LINES before the pty. Run with the other tmux tests (a clean-clone
        # suite, and `-m tmux` here), four tests' desks laid out at 80 columns in a 120-column pane: the environment
        # they copy from this process held an 80-column size by then (not traced to the test that left it).
        self.env = {
            **os.environ,
            "TERM": "xterm-256color",
            "AGENT_DESKTOP_INPUT_LOG": str(self.input_log),
            **(env or {}),
            "COLUMNS": str(size[0]),  # over any the caller's environment copied from this process
            "LINES": str(size[1]),
        }
        self.size = size

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check, env=self.env
        )

    def start(self) -> TmuxTerminal:
        width, height = self.size
        # remain-on-exit keeps the pane readable after the program quits.
        shell_command = " ".join(shlex.quote(part) for part in self.command)
        self._tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(width),
            "-y",
            str(height),
            "-c",
            str(self.cwd or os.getcwd()),
            shell_command,
        )
        self._tmux("set-option", "-t", self.session, "remain-on-exit", "on")
        return self

    def text(self) -> str:
        result = self._tmux("capture-pane", "-p", "-t", self.session, check=False)
        return result.stdout

    def raw(self) -> str:
        """The screen as tmux holds it, with its escape sequences (`capture-pane -e`): every character the
        program put there, visible or not."""
        return self._tmux("capture-pane", "-p", "-e", "-t", self.session, check=False).stdout

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (column, line; 0-based): what a screen reader follows."""
        shown = self._tmux("display-message", "-p", "-t", self.session, "#{cursor_x},#{cursor_y}").stdout
        x, y = shown.strip().split(",")
        return int(x), int(y)

    def cursor_line(self) -> str:
        """The screen's line the cursor is on, from the cursor's column."""
        x, y = self.cursor()
        lines = self.text().splitlines()
        return lines[y][x:] if y < len(lines) else ""

    def send(self, *keys: str) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", self.session, key)
            time.sleep(0.05)

    def send_together(self, *keys: str) -> None:
        """`keys` in one write to the terminal, as a fast typist's burst reaches the program."""
        self._tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, needle: str, timeout_s: float = 20.0, interval_s: float = 0.02) -> float:
        """Seconds until `needle` is on screen; raises with the screen if it never is."""
        start = time.monotonic()
        while True:
            if needle in self.text():
                return time.monotonic() - start
            if time.monotonic() - start > timeout_s:
                raise TimeoutError(f"{needle!r} not on screen after {timeout_s} s:\n{self.text()}{self.stacks()}")
            time.sleep(interval_s)

    def wait_for_any(self, *needles: str, timeout_s: float = 20.0, interval_s: float = 0.02) -> str:
        """The first of `needles` on screen (a state the demo's simulator may move past at once: Available
        can be followed by an offer before the next capture)."""
        start = time.monotonic()
        while True:
            screen = self.text()
            for needle in needles:
                if needle in screen:
                    return needle
            if time.monotonic() - start > timeout_s:
                raise TimeoutError(f"none of {needles!r} on screen after {timeout_s} s:\n{screen}{self.stacks()}")
            time.sleep(interval_s)

    def stacks(self) -> str:
        """For a failure's message: the last keys as the program got them (agent_desktop/ui/terminal/input_log.py) and, when
        py-spy is on the PATH (a developer's machine; CI has none), where its Python processes are: a screen that
        stopped changing says nothing of why."""
        keys = self.input_log.read_text(encoding="utf-8").splitlines()[-150:] if self.input_log.exists() else []
        found_keys = "\n--- the last keys, as the program got them:\n" + "\n".join(keys)
        spy = shutil.which("py-spy")
        if spy is None:
            return found_keys
        found = subprocess.run(["pgrep", "-f", shlex.join(self.command)[:60]], capture_output=True, text=True)
        dumps = []
        for pid in found.stdout.split():
            dump = subprocess.run([spy, "dump", "--pid", pid], capture_output=True, text=True, timeout=30)
            dumps.append(f"--- py-spy dump {pid}\n{dump.stdout}{dump.stderr}")
        return found_keys + "\n" + "\n".join(dumps)

    def program_running(self) -> bool:
        result = self._tmux("list-panes", "-t", self.session, "-F", "#{pane_dead}", check=False)
        return result.returncode == 0 and result.stdout.strip() == "0"

    def wait_exit(self, timeout_s: float = 15.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.program_running():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the program did not exit:\n{self.text()}")
            time.sleep(0.05)

    def pane_pid(self) -> int:
        """The process tmux started in the pane (the command, or the shell running it)."""
        return int(self._tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").stdout.split()[0])

    def kill_session(self) -> None:
        """As closing the terminal: tmux hangs up the pane's pseudo-terminal."""
        self._tmux("kill-session", "-t", self.session)

    def close(self) -> None:
        """Stop the tmux server and wait (5 s at most) until its process is gone: its command line names the
        program's arguments (a data folder), and a test that looks for processes left behind right after saw it
        on a loaded machine, still exiting. The input log is removed."""
        self._tmux("kill-server", check=False)
        deadline = time.monotonic() + 5.0
        while (
            time.monotonic() < deadline
            and subprocess.run(["pgrep", "-f", f"tmux -L {self.socket} "], capture_output=True).returncode == 0
        ):
            time.sleep(0.05)
        self.input_log.unlink(missing_ok=True)

    def __enter__(self) -> TmuxTerminal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
