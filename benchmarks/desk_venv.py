"""A virtual environment holding what a user's install of the desk holds, and nothing of the dev tools: the desk
from this clone (editable, so it runs the code as it is now) and its runtime dependencies, no extra. What runs
in it imports what a user's desk imports: in the dev environment click is there (the dev tools bring it), and
with click `import httpx` imports httpx's own command line, which no user's desk carries.

Built once per cache folder with uv, at the versions of the environment that builds it, and kept while
pyproject.toml, the clone's place and those versions stay the same."""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.utils import canonicalize_name
from platformdirs import user_cache_path

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 600  # a first build may fetch some 40 distributions
BENCH_CACHE = user_cache_path("agent-desktop-bench", appauthor=False)


def _pins() -> str:
    """This environment's distributions as constraints (`name==version`), the desk itself left out."""
    pins = {
        f"{canonicalize_name(dist.metadata['Name'])}=={dist.version}"
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] and canonicalize_name(dist.metadata["Name"]) != "agent-desktop"
    }
    return "\n".join(sorted(pins)) + "\n"


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is needed to build the desk's own environment (`make` installs it in .venv)")
    return found


def desk_python(cache: Path = BENCH_CACHE) -> Path:
    """The python of the desk-only environment under `cache`, built on first use (one builder at a time)."""
    pins = _pins()
    key = hashlib.sha256(
        b"\0".join([(ROOT / "pyproject.toml").read_bytes(), str(ROOT).encode(), sys.version.encode(), pins.encode()])
    ).hexdigest()[:16]
    venv = cache / f"desk-venv-{key}"
    python = venv / "bin" / "python"
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "desk-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test worker or benchmark may be building the same one
        if (venv / "complete").is_file():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        uv = _uv()
        _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        constraints = venv / "constraints.txt"
        constraints.write_text(pins)
        _run(
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--python",
                str(python),
                "--constraint",
                str(constraints),
                "-e",
                str(ROOT),
            ]
        )
        (venv / "complete").touch()
    return python


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
