"""What installing the desk brings: the wheel built from this tree, its METADATA read as an installer reads it,
and resolved for a fresh virtual environment outside the clone. The desk alone gets no mock server's packages
(FastAPI, uvicorn, Faker...); `agent-desktop[mocks]` gets them, and `[relay]` the Twilio relay's server.

The wheel is built and resolved with uv, the installer `make test` sets the project up with (the venv's `uv`):
the same PEP 517 build and the same PEP 508 markers as pip's, in about a tenth of pip's CPU (pip's build and
two dry-run resolutions were 17 s of the suite's CPU, the most of any file in the contract tier)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from email.parser import Parser
from pathlib import Path
from zipfile import ZipFile

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "agent_desktop",
    "agent_desktop_mocks",
    "agent_desktop_pci",
    "agent_desktop_relay",
)
# What the mock servers stand on and the desk does not use (the `mocks` extra, pyproject.toml), the Twilio event
# relay that `demo --ccaas twilio` starts included.
MOCK_DISTRIBUTIONS = {
    "fastapi",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "sqlite-utils",
    "faker",
    "orjson",
    "twilio",
}
DESK_DISTRIBUTIONS = {"textual", "httpx", "httpx-sse", "pydantic", "pydantic-settings", "platformdirs", "slixmpp"}
UV = Path(sys.executable).with_name("uv")
TIMEOUT_S = 300  # a resolution may fetch the index pages of some 50 distributions


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
    _uv("build", "--wheel", "--out-dir", str(dist), str(source))
    (built,) = dist.glob("agent_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with nothing installed in it (no pip either: uv resolves for it)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=TIMEOUT_S)
    return venv / "bin" / "python"


def _uv(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(UV), *args], input=stdin, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 0, f"uv {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


def _requirements(wheel: Path, extra: str) -> set[str]:
    """The distributions the wheel's METADATA requires with `extra` asked for ("" for none), by their names."""
    with ZipFile(wheel) as archive:
        (name,) = (entry for entry in archive.namelist() if entry.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode())
    wanted: set[str] = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
            wanted.add(canonicalize_name(requirement.name))
    return wanted


def _would_install(python: Path, wheel: Path, extra: str = "") -> set[str]:
    """What installing the wheel (with `extra`) would install into the empty environment of `python`: the
    resolution uv writes as a requirements file (`name==version` a line), the project itself included."""
    wanted = f"agent-desktop{f'[{extra}]' if extra else ''} @ {wheel.as_uri()}"
    pinned = _uv(
        "pip", "compile", "--quiet", "--no-header", "--no-annotate", "--python", str(python), "-", stdin=wanted
    )
    return {canonicalize_name(line.split("==")[0]) for line in pinned.splitlines() if "==" in line}


def test_the_wheel_requires_no_mock_server_without_the_extra(wheel: Path) -> None:
    plain = _requirements(wheel, "")
    assert plain >= DESK_DISTRIBUTIONS
    assert not plain & MOCK_DISTRIBUTIONS
    assert _requirements(wheel, "mocks") >= MOCK_DISTRIBUTIONS - {"starlette", "twilio"}  # starlette: with fastapi
    assert "agent-desktop" in _requirements(wheel, "mocks")  # the relay's extra, for `demo --ccaas twilio`
    assert _requirements(wheel, "relay") >= {"fastapi", "uvicorn", "twilio"}
    assert "agent-desktop" in _requirements(wheel, "test")  # `test` pulls the mocks and the relay by their extras
    with ZipFile(wheel) as archive:
        assert any(entry.endswith(".dist-info/licenses/LICENSE") for entry in archive.namelist())


def test_a_fresh_environment_gets_the_mocks_only_with_the_extra(wheel: Path, fresh_python: Path) -> None:
    desk = _would_install(fresh_python, wheel)
    assert desk >= DESK_DISTRIBUTIONS
    assert not desk & MOCK_DISTRIBUTIONS, f"the desk alone would install {sorted(desk & MOCK_DISTRIBUTIONS)}"

    with_mocks = _would_install(fresh_python, wheel, "mocks")
    assert with_mocks >= desk | {"fastapi", "uvicorn", "faker", "sqlite-utils", "orjson", "twilio"}
