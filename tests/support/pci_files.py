"""Whether any file of a server or a desk shows a card number: every byte read, SQLite's `-wal`, `-shm` and
`-journal` included, JSON's `\\uXXXX` escapes undone (digits in other scripts are stored so). Shared by the
tests that send card data through the real servers.

A control character other than a tab or a line break ends a run: no text a person typed holds one (the servers
refuse NUL), while SQLite's own bytes are full of them, and a reader of digits that let them through read a
`-shm` (page 49, byte 0x31, "1", written eleven times) or a B-tree page as "1 1 1 1 …" — the test card
4111 1111 1111 1111, or a card of thirteen zeros, once runs went on through lone letters.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from agent_desktop_pci import MOST_DIGITS_SHOWN
from agent_desktop_pci.digit_runs import RUN
from tests.support.pci_cards import gives_away


def _unescaped(blob: bytes) -> str:
    text = blob.decode("utf-8", errors="replace")
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


# The servers' files are shared by the examples and mostly unchanged from one to the next: each distinct
# content is read into its runs once. A run of fewer than eleven characters holds fewer than eleven digits,
# so it cannot give eleven away (`gives_away`'s window); it is left out of the list, not of the reading.
_RUNS_OF_CONTENT: dict[bytes, list[str]] = {}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _long_runs(blob: bytes) -> list[str]:
    key = hashlib.blake2b(blob, digest_size=32).digest()
    if key not in _RUNS_OF_CONTENT:
        _RUNS_OF_CONTENT[key] = [
            run.group()
            for chunk in _CONTROL.split(_unescaped(blob))
            for run in RUN.finditer(chunk)
            if len(run.group()) > MOST_DIGITS_SHOWN
        ]
    return _RUNS_OF_CONTENT[key]


def files_giving_away(digits: str, *folders: Path) -> list[str]:
    """The files under `folders` that show eleven digits of `digits` in a row."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and any(gives_away(digits, run) for run in _long_runs(path.read_bytes())):
                found.append(str(path))
    return found
