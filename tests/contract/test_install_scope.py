"""What installing the desk brings: the wheel built from this tree, read as pip reads it and resolved by pip in
a fresh virtual environment outside the clone. The desk alone gets no mock server's packages (FastAPI,
uvicorn, Faker...); `agent-desktop[mocks]` gets them, and `[relay]` the Twilio relay's server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from email.parser import Parser
from pathlib import Path
from zipfile import ZipFile

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "agent_desktop",
    "agent_desktop_mocks",
    "agent_desktop_pci",
    "agent_desktop_relay",
)
# What the mock servers stand on and the desk does not use (the `mocks` extra, pyproject.toml).
MOCK_DISTRIBUTIONS = {"fastapi", "starlette", "uvicorn", "uvloop", "httptools", "sqlite-utils", "faker", "orjson"}
DESK_DISTRIBUTIONS = {"textual", "httpx", "httpx-sse", "pydantic", "pydantic-settings", "platformdirs", "slixmpp"}
PIP_TIMEOUT_S = 300  # a resolution fetches the index pages of some 50 distributions


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
    _pip("wheel", "--no-deps", "--wheel-dir", str(dist), str(source))
    (built,) = dist.glob("agent_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with nothing installed in it (no pip either: this environment's pip resolves for it)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=PIP_TIMEOUT_S)
    return venv / "bin" / "python"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--quiet", *args], capture_output=True, text=True, timeout=PIP_TIMEOUT_S
    )
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


def _requirements(wheel: Path, extra: str) -> set[str]:
    """The distributions the wheel's METADATA requires with `extra` asked for ("" for none), by their names."""
    with ZipFile(wheel) as archive:
        (name,) = (entry for entry in archive.namelist() if entry.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode())
    wanted = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
            wanted.add(canonicalize_name(requirement.name))
    return wanted


def _would_install(python: Path, target: str, report: Path) -> set[str]:
    """What `pip install target` would install into the environment of `python`: pip's own dry-run report."""
    _pip("--python", str(python), "install", "--dry-run", "--report", str(report), target)
    return {canonicalize_name(item["metadata"]["name"]) for item in json.loads(report.read_text())["install"]}


def test_the_wheel_requires_no_mock_server_without_the_extra(wheel: Path) -> None:
    plain = _requirements(wheel, "")
    assert plain >= DESK_DISTRIBUTIONS
    assert not plain & MOCK_DISTRIBUTIONS
    assert _requirements(wheel, "mocks") >= MOCK_DISTRIBUTIONS - {"starlette"}  # starlette comes with fastapi
    assert _requirements(wheel, "relay") >= {"fastapi", "uvicorn"}
    assert "agent-desktop" in _requirements(wheel, "test")  # `test` pulls the mocks and the relay by their extras
    with ZipFile(wheel) as archive:
        assert any(entry.endswith(".dist-info/licenses/LICENSE") for entry in archive.namelist())


def test_a_fresh_environment_gets_the_mocks_only_with_the_extra(
    wheel: Path, fresh_python: Path, tmp_path: Path
) -> None:
    desk = _would_install(fresh_python, str(wheel), tmp_path / "desk.json")
    assert desk >= DESK_DISTRIBUTIONS
    assert not desk & MOCK_DISTRIBUTIONS, f"the desk alone would install {sorted(desk & MOCK_DISTRIBUTIONS)}"

    with_mocks = _would_install(fresh_python, f"{wheel}[mocks]", tmp_path / "mocks.json")
    assert with_mocks >= desk | {"fastapi", "uvicorn", "faker", "sqlite-utils", "orjson"}
