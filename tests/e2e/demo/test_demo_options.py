"""`agent-desktop demo --announce-monitoring` and `--bot-calls`: each option reaches the mock contact center's
command line, whose policy then tells the agent of a silent monitor too (tests/contract/mocks/test_monitoring_api.py
proves what the mock does with it), or whose virtual agent answers Billing's calls first
(tests/contract/handoff/test_simulated_callers_meet_the_bot.py). No server is started: the processes are stood in for (here rather than in
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
    assert "--virtual-agent-call-queue" not in started[-1], "by default calls reach the agent straight"

    assert cli.main(["demo", "--bot-calls"]) == 0
    assert opened[-1]["bot_calls"] is True
    at = started[-1].index("--virtual-agent-call-queue")
    assert started[-1][at + 1] == "billing"


def test_the_demo_help_names_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["demo", "--announce-monitoring"]).announce_monitoring is True
    assert parser.parse_args(["demo"]).announce_monitoring is False
    # Written down where a user looks: the README's monitoring policy and the supervisor's `j` in docs/keys.md.
    assert "--announce-monitoring" in Path("README.md").read_text()
    assert "--announce-monitoring" in Path("docs/keys.md").read_text()
    assert parser.parse_args(["demo", "--bot-calls"]).bot_calls is True
    assert "--bot-calls" in Path("README.md").read_text()
