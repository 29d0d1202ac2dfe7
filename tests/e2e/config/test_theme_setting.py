"""A theme that is none stops each desk command with one line and exit code 2, before anything starts:
from the flag, the file or DESKTOP_THEME, the demo included (its servers never start)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.desktop_command import run_agent_desktop


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["demo", "--theme", "solarised"], {}),
        (["demo"], {"DESKTOP_THEME": "solarised"}),
        (["run"], {"DESKTOP_THEME": "solarised"}),
        (["supervisor", "--theme", "solarised"], {}),
    ],
    ids=["demo-flag", "demo-env", "run-env", "supervisor-flag"],
)
def test_a_theme_that_is_none_stops_the_command(tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    done = run_agent_desktop(tmp_path, *args, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("agent-desktop: config: theme: no theme 'solarised'; one of ")
    assert done.stderr.count("\n") == 1
    assert "Starting" not in done.stderr
