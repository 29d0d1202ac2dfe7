"""Installed as a tool: the wheel built from this tree, installed with its `[mocks]` extra in a fresh
virtual environment outside the clone, runs from another folder with nothing of the repository beside it:
`agent-desktop --version` says the project's version and `agent-desktop demo` reaches its first offer on a
pseudo-terminal, on the mock contact center and in Twilio's shape (`--ccaas twilio --crm zendesk`, the README's
"Try it without an account": the Twilio-shaped mock, its event relay and the Zendesk-shaped mock). Everything the
desk and the mocks read at run time (styles, TOML tables) is in the wheel. The other extras' commands:
tests/e2e/config/test_installed_extras.py."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from zipfile import ZipFile

import pytest

from tests.support.installed_wheel import PACKAGES, ROOT, build_wheel, install, installed_environment, run
from tests.support.pty_program import PtyProgram

pytestmark = pytest.mark.pty


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def tool(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of `wheel[mocks]` installed in a fresh virtual environment outside the clone."""
    return install(wheel, tmp_path_factory.mktemp("tool") / "venv", "mocks")


def _data_files_in_the_tree() -> set[str]:
    """Every file of the shipped packages that is not Python source (styles, tables...), tracked by git."""
    listed = run(["git", "ls-files", *PACKAGES], cwd=ROOT).stdout.split()
    return {name for name in listed if not name.endswith(".py")}


def test_the_wheel_holds_every_file_the_packages_read(wheel: Path) -> None:
    with ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = _data_files_in_the_tree()
    assert any(name.endswith(".tcss") for name in data)
    assert any(name.endswith(".toml") for name in data)
    assert sorted(data - names) == [], "package-data (pyproject.toml) leaves these out of the wheel"


def test_installed_outside_the_clone_it_runs_from_any_folder(tool: Path, tmp_path: Path) -> None:
    env = installed_environment(tool, tmp_path)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    shown = run([str(tool / "agent-desktop"), "--version"], cwd=tmp_path, env=env)
    assert shown.stdout.strip() == f"agent-desktop {version}"
    where = run(
        [str(tool / "python"), "-c", "import agent_desktop_mocks as m; print(m.__file__)"], cwd=tmp_path, env=env
    )
    assert where.stdout.strip().startswith(str(tool.parent)), where.stdout
    mocks = subprocess.run(
        [str(tool / "agent-desktop"), "mocks", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert mocks.returncode == 0, mocks.stderr
    assert "--twilio" in mocks.stdout, mocks.stderr

    _first_offer(tool, tmp_path, env, "demo", "--data-dir", str(tmp_path / "demo"))


def test_the_twilio_demo_runs_from_the_mocks_extra(tool: Path, tmp_path: Path) -> None:
    env = installed_environment(tool, tmp_path)
    _first_offer(
        tool, tmp_path, env, "demo", "--ccaas", "twilio", "--crm", "zendesk", "--data-dir", str(tmp_path / "demo")
    )


def _first_offer(tool: Path, tmp_path: Path, env: dict[str, str], *args: str) -> None:
    """`agent-desktop ARGS` on a pseudo-terminal: the desk up, Available, a contact offered, then ctrl+q."""
    demo = PtyProgram([str(tool / "agent-desktop"), *args], env, cwd=tmp_path)
    try:
        demo.wait_for(b"Offline", 60)  # the desk is up against the servers the wheel brought
        demo.type("v")  # Available: the demo floor offers a contact within seconds
        demo.wait_for(b"s left", 60)  # the offer's countdown
        demo.type("\x11")  # ctrl+q
        demo.process.wait(timeout=30)
    finally:
        demo.close()
