"""`agent-desktop mocks`: the mock servers, every option passed on to `python -m agent_desktop_mocks`."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys


def mocks(args: argparse.Namespace) -> int:
    """The mock servers in a process of their own, their exit code this command's. ctrl+c in a terminal reaches
    both processes (one process group): the servers stop and exit 0, and this one waits for them instead of dying
    of it with a traceback."""
    servers = subprocess.Popen([sys.executable, "-m", "agent_desktop_mocks", *args.server_options])
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # after the start: the servers keep theirs
    try:
        return servers.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
