"""Starting the mocks with a bad data table (`--ccaas-tables`): one line naming the file and the entry, exit 2,
before any server starts; a folder with a good table starts as usual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mock_backends.ccaas.conversations import intents

SHIPPED = Path(intents.__file__).resolve().parent.parent / "data"


def start(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mock_backends", *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def test_a_bad_table_stops_the_mocks_with_one_line_and_exit_2(tmp_path: Path) -> None:
    text = (SHIPPED / "intents.toml").read_text(encoding="utf-8")
    bad = 'text = "Thank you! How long until the {amount} is back on my account?"\n'
    (tmp_path / "intents.toml").write_text(text.replace(bad, ""), encoding="utf-8")
    result = start("--ccaas-tables", str(tmp_path), "--data-dir", str(tmp_path / "db"))
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.splitlines() == [
        f'mock_backends: {tmp_path / "intents.toml"}: intent "billing_dispute": rule "refund": text missing'
    ]
    assert result.stdout == ""  # no server was started
