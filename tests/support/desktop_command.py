"""Running the real `agent-desktop` command from tests: a clean DESKTOP_* environment, no home configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

AGENT_DESKTOP = str(Path(sys.executable).with_name("agent-desktop"))


def desktop_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This process's environment without DESKTOP_* variables, with config, data and log folders under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTOP_")}
    return (
        env
        | {
            "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
            "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
            "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
        }
        | extra
    )


def run_agent_desktop(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run it to the end (stdin closed, so a desktop that opens instead of stopping hangs until the timeout)."""
    return subprocess.run(
        [AGENT_DESKTOP, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=desktop_environment(tmp_path, **(env or {})),
        stdin=subprocess.DEVNULL,
    )
