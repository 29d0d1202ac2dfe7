"""A program on a pseudo-terminal, its raw output kept: the real `agent-desktop` as a terminal runs it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path


class PtyProgram:
    """A program on a 120x40 pseudo-terminal; `output` is every byte it wrote."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True, cwd=cwd
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_for(self, what: bytes, timeout_s: float = 20) -> None:
        deadline = time.monotonic() + timeout_s
        while what not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{what!r} never shown; output ends {bytes(self.output[-600:])!r}")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        os.close(self.master)
