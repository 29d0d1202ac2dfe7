"""Folders for data a test module builds at import or once per process (a seeded template, a schema run's mock).

They sit in one temporary folder of the test process, removed when it exits: `tempfile.mkdtemp` alone left a
folder in /tmp per template and per module on every run (hundreds after a day's work).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

_root = tempfile.TemporaryDirectory(prefix="agent-desktop-tests-")


def scratch_folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_root.name))
