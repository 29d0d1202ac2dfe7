"""The memory benchmark's shift (benchmarks/shift.py) says why it stopped, and measures the desk's process as
`agent-desktop` sets it up: a figure is only as good as what it measures."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NoReturn

import pytest

from benchmarks import bench_desktop
from benchmarks.desk_venv import desk_python

ROOT = Path(__file__).resolve().parents[3]
SERVERS = SimpleNamespace(
    ccaas_url="http://127.0.0.1:1", crm_url="http://127.0.0.1:2", presence_url="http://127.0.0.1:3"
)


@pytest.fixture(autouse=True)
def no_desk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shift's command names the desk's own python; these tests stop before running it, so none is built."""
    monkeypatch.setattr(bench_desktop, "desk_python", lambda: Path("/nowhere/bin/python"))


def test_a_shift_that_stops_is_reported_with_what_it_said(monkeypatch: pytest.MonkeyPatch) -> None:
    said = "AssertionError: timed out waiting for Available again; the screen showed: Missed"

    def stopped(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert kwargs["timeout"] is not None, "every wait of the bench is bounded"
        return subprocess.CompletedProcess(command, 1, stdout="", stderr=f"Traceback ...\n{said}\n")

    monkeypatch.setattr(subprocess, "run", stopped)
    with pytest.raises(RuntimeError, match="stopped with exit 1") as raised:
        bench_desktop.bench_shift_memory(SERVERS)
    assert said in str(raised.value)


def test_a_shift_that_never_ends_is_reported_with_what_it_said(monkeypatch: pytest.MonkeyPatch) -> None:
    def hung(command: list[str], **kwargs: Any) -> NoReturn:
        raise subprocess.TimeoutExpired(command, kwargs["timeout"], stderr=b"still waiting for an offer")

    monkeypatch.setattr(subprocess, "run", hung)
    with pytest.raises(RuntimeError, match="did not end") as raised:
        bench_desktop.bench_shift_memory(SERVERS, 50)
    assert "still waiting for an offer" in str(raised.value)


def test_the_shift_process_carries_what_a_users_desk_carries(
    monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    """A desk's own install has no click, so httpx never imports its own command line (click, pygments); the
    shift runs in the desk's own environment (benchmarks/desk_venv.py), without it, though the dev tools bring
    click to this one."""
    python = desk_python(pytestconfig.cache.mkdir("desk-venv"))
    probe = "import sys, benchmarks.shift; print('httpx' in sys.modules, any(sys.modules.get(m) for m in ('httpx._main', 'click')))"
    result = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True
    )
    assert result.stdout.split() == ["True", "False"], result.stdout + result.stderr

    monkeypatch.setattr(bench_desktop, "desk_python", lambda: python)
    commands: list[list[str]] = []

    def ran(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        return subprocess.CompletedProcess(command, 1, stdout="", stderr="stopped")

    monkeypatch.setattr(subprocess, "run", ran)
    with pytest.raises(RuntimeError):
        bench_desktop.bench_shift_memory(SERVERS)
    assert commands[0][:3] == [str(python), "-m", "benchmarks.shift"]
