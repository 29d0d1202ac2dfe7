"""Installed as a tool (issue 48): the wheel built from this tree, installed with its `[mocks]` extra in a fresh
virtual environment outside the clone, runs from another folder with nothing of the repository beside it:
`agent-desktop --version` says the project's version and `agent-desktop demo` reaches its first offer on a
pseudo-terminal. Everything the desk and the mocks read at run time (styles, TOML tables) is in the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from zipfile import ZipFile

import pytest

from tests.support.desktop_command import desktop_environment
from tests.support.pty_program import PtyProgram

pytestmark = pytest.mark.pty

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_pci", "agent_desktop_relay")
SHIPPED = ("pyproject.toml", "README.md", "LICENSE", *PACKAGES)  # as tests/contract/test_install_scope.py builds it
UV = Path(sys.executable).with_name("uv")  # the Makefile installs uv in the venv: a third of pip's time
INSTALL_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy of what it ships (the build writes nothing into the clone)."""
    source, dist = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    _run([sys.executable, "-m", "pip", "--quiet", "wheel", "--no-deps", "--wheel-dir", str(dist), str(source)])
    (built,) = dist.glob("agent_desktop-*.whl")
    return built


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done


def _install(wheel: Path, venv: Path) -> Path:
    """`wheel[mocks]` in a fresh virtual environment at `venv`; its bin folder."""
    python = venv / "bin" / "python"
    if UV.exists():
        _run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)])
        _run([str(UV), "pip", "install", "--quiet", "--python", str(python), f"{wheel}[mocks]"])
    else:
        _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        _run([sys.executable, "-m", "pip", "--quiet", "--python", str(python), "install", f"{wheel}[mocks]"])
    return venv / "bin"


def _data_files_in_the_tree() -> set[str]:
    """Every file of the shipped packages that is not Python source (styles, tables...), tracked by git."""
    listed = _run(["git", "ls-files", *PACKAGES], cwd=ROOT).stdout.split()
    return {name for name in listed if not name.endswith(".py")}


def test_the_wheel_holds_every_file_the_packages_read(wheel: Path) -> None:
    with ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = _data_files_in_the_tree()
    assert any(name.endswith(".tcss") for name in data) and any(name.endswith(".toml") for name in data)
    assert sorted(data - names) == [], "package-data (pyproject.toml) leaves these out of the wheel"


def test_installed_outside_the_clone_it_runs_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    bin_folder = _install(wheel, tmp_path / "tool")
    env = {
        name: value
        for name, value in desktop_environment(tmp_path).items()
        if name not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    shown = _run([str(bin_folder / "agent-desktop"), "--version"], cwd=tmp_path, env=env)
    assert shown.stdout.strip() == f"agent-desktop {version}"
    where = _run(
        [str(bin_folder / "python"), "-c", "import agent_desktop_mocks as m; print(m.__file__)"], cwd=tmp_path, env=env
    )
    assert where.stdout.strip().startswith(str(tmp_path / "tool")), where.stdout

    demo = PtyProgram(
        [str(bin_folder / "agent-desktop"), "demo", "--data-dir", str(tmp_path / "demo")], env, cwd=tmp_path
    )
    try:
        demo.wait_for(b"Offline", 60)  # the desk is up against the mocks the wheel brought
        demo.type("v")  # Available: the demo floor offers a contact within seconds
        demo.wait_for(b"s left", 60)  # the offer's countdown
        demo.type("\x11")  # ctrl+q
        demo.process.wait(timeout=30)
    finally:
        demo.close()
