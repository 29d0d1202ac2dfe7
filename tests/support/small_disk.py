"""A real small filesystem for the full-disk tests: a tmpfs of a few MiB mounted on a temporary folder (root
only: the tests run as root here and in CI), filled to the last byte on demand and emptied again.

SQLite on it fails as on a full disk anywhere (`database or disk is full`, SQLITE_FULL), with no layer of
ours in between. Where mounting is not permitted (no root, a container without CAP_SYS_ADMIN), the test is
skipped and says why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

FILLER = ".filler"


class SmallDisk:
    """A mounted tmpfs at `path`; `fill()` takes every free byte, `free()` gives them back."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fill(self) -> None:
        """Write until the filesystem refuses (ENOSPC): nothing more fits, not even a page of a journal."""
        with open(self.path / FILLER, "ab", buffering=0) as filler:
            block = b"\0" * 65536
            while True:
                try:
                    filler.write(block)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    if len(block) == 1:
                        return
                    block = block[: len(block) // 2]

    def free(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.path / FILLER).unlink()

    @property
    def full(self) -> bool:
        stats = os.statvfs(self.path)
        return stats.f_bavail == 0


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "4m") -> Iterator[SmallDisk]:
    """A tmpfs of `size` mounted on `folder` (made if missing) for the block; unmounted after, whatever happened."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        timeout=10,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield SmallDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)
