"""`agent-desktop demo --announce-monitoring`: the option reaches the mock contact center's command
line, whose policy then tells the agent of a silent monitor too (tests/contract/mocks/test_monitoring_api.py
proves what the mock does with it). No server is started: the processes are stood in for (here rather than in
tests/unit because it goes through demo_servers, which the tier check keeps out of the unit tier)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_desktop.app import cli, demo
from agent_desktop.app.commands import demo as demo_command
from agent_desktop.app.demo import DemoServers


def test_the_demo_passes_announce_monitoring_to_the_mock_contact_center(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[list[str]] = []

    def start(command: list[str], log_path: Path, env: dict[str, str] | None = None) -> object:
        started.append(command)
        return object()

    monkeypatch.setattr(demo, "_start", start)
    monkeypatch.setattr(demo, "wait_healthy", lambda *args, **kwargs: None)
    monkeypatch.setattr(demo, "_stop", lambda process: None)

    opened: list[dict[str, Any]] = []
    real = demo.demo_servers

    @contextlib.contextmanager
    def servers(**options: Any) -> Iterator[DemoServers]:
        opened.append(options)
        with real(**{**options, "data_dir": tmp_path}) as served:
            yield served

    monkeypatch.setattr(demo, "demo_servers", servers)
    monkeypatch.setattr(demo_command, "open_desktop", lambda settings, desks: 0)
    assert cli.main(["demo", "--announce-monitoring"]) == 0
    assert opened[-1]["announce_monitoring"] is True
    assert "--announce-monitoring" in started[-1]

    assert cli.main(["demo"]) == 0  # off by default, as on most platforms
    assert opened[-1]["announce_monitoring"] is False
    assert "--announce-monitoring" not in started[-1]


def test_the_demo_help_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["demo", "--announce-monitoring"]).announce_monitoring is True
    assert parser.parse_args(["demo"]).announce_monitoring is False
    # Written down where a user looks: the README's monitoring policy and the supervisor's `j` in docs/keys.md.
    assert "--announce-monitoring" in Path("README.md").read_text()
    assert "--announce-monitoring" in Path("docs/keys.md").read_text()
