"""The project as a user installs it: its wheel, built from a copy of what it ships (the build writes nothing into
the clone), installed with an extra into a fresh virtual environment outside the clone, and its commands run there
with nothing of the repository on their path. uv (the venv's, as the Makefile installs it) when there is one: a
third of pip's time, from the same cache `make test`'s set-up filled; else pip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent_desktop", "agent_desktop_mocks", "agent_desktop_pci", "agent_desktop_relay")
SHIPPED = ("pyproject.toml", "README.md", "LICENSE", *PACKAGES)
UV = Path(sys.executable).with_name("uv")
INSTALL_TIMEOUT_S = 600  # a cold cache fetches some 50 distributions from the package index


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`command` to its end (bounded), which must succeed: its output, or a failure quoting the end of it."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    found: subprocess.CompletedProcess[str] = done
    return found


def build_wheel(source: Path, dist: Path) -> Path:
    """The project's wheel in `dist`, built from a copy of what it ships made in `source`."""
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    if UV.exists():
        run([str(UV), "build", "--quiet", "--wheel", "--out-dir", str(dist), str(source)])
    else:
        run([sys.executable, "-m", "pip", "--quiet", "wheel", "--no-deps", "--wheel-dir", str(dist), str(source)])
    (built,) = dist.glob("agent_desktop-*.whl")
    return built


def install(wheel: Path, venv: Path, extra: str = "") -> Path:
    """`wheel[extra]` (the desk alone for "") in a fresh virtual environment at `venv`; its bin folder."""
    python = venv / "bin" / "python"
    wanted = f"{wheel}[{extra}]" if extra else str(wheel)
    if UV.exists():
        run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)])
        run([str(UV), "pip", "install", "--quiet", "--python", str(python), wanted])
    else:
        run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        run([sys.executable, "-m", "pip", "--quiet", "--python", str(python), "install", wanted])
    return venv / "bin"


def installed_environment(bin_folder: Path, tmp_path: Path) -> dict[str, str]:
    """This process's environment as a user's shell would have it for the installed tool: its bin folder first on
    PATH, no PYTHONPATH or VIRTUAL_ENV pointing into the clone, no DESKTOP_* variables, and the desk's config,
    data and log folders under `tmp_path`. Byte-code caches are written, as a user's are (pip compiles at install,
    uv does not): these machines' PYTHONDONTWRITEBYTECODE made each command compile what it imports again."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE") and not name.startswith("DESKTOP_")
    }
    return env | {
        "PATH": f"{bin_folder}{os.pathsep}{env.get('PATH', '')}",
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
    }


def wait_answered(url: str, process: subprocess.Popen[bytes], timeout_s: float, log: Path) -> httpx.Response:
    """The first answer below 500 from `url`, while `process` (which serves it) runs; a failure quoting its `log` if
    it exits or `timeout_s` passes first."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode} before {url} answered:\n{log.read_text()[-3000:]}")
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code < 500:
                return response
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer within {timeout_s:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a service manager stops it, then SIGKILL after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
