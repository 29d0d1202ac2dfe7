"""`make lint` and `make typecheck` fail on what they are there to catch: a small module of ours, copied to a
temporary folder, passes each tool with the project's configuration as it is, and fails it with one planted
violation (an unformatted line, an unused import, a type error)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "pyproject.toml"
MODULE = ROOT / "agent_desktop_pci" / "lazy_pattern.py"  # small, typed, standard library only

RUFF_FORMAT = ["ruff", "format", "--check", "--config", str(CONFIG)]
RUFF_CHECK = ["ruff", "check", "--no-cache", "--config", str(CONFIG)]
# (the tool, what it must report, the line planted before `import re`, in import order so nothing else fires)
PLANTS = {
    "unformatted line": (RUFF_FORMAT, "would be reformatted", "FLAGS = {  'a' :1 }\n"),
    "unused import": (RUFF_CHECK, "F401", "import json\n"),
}


def _run(tool: list[str], path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if tool[0] == "mypy":
        tool = [*tool, "--cache-dir", str(tmp_path / ".mypy_cache")]
    return subprocess.run(
        [sys.executable, "-m", *tool, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "lazy_pattern.py"
    shutil.copyfile(MODULE, path)
    return path


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_ruff_fails_on_a_planted_violation(tmp_path: Path, plant: str) -> None:
    tool, reported, line = PLANTS[plant]
    path = _copy(tmp_path)
    clean = _run(tool, path, tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    path.write_text(path.read_text().replace("import re\n", line + "import re\n", 1))
    planted = _run(tool, path, tmp_path)
    output = planted.stdout + planted.stderr
    assert planted.returncode != 0, f"ruff let the {plant} through:\n{output}"
    assert reported in output, f"ruff let the {plant} through:\n{output}"


def test_mypy_fails_on_a_planted_type_error(tmp_path: Path) -> None:
    tool = ["mypy", "--config-file", str(CONFIG)]
    path = _copy(tmp_path)
    clean = _run(tool, path, tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    path.write_text(path.read_text() + '\n\nFLAGS: int = "not a number"\n')
    planted = _run(tool, path, tmp_path)
    assert planted.returncode != 0, planted.stdout + planted.stderr
    assert "[assignment]" in planted.stdout, planted.stdout + planted.stderr


def _recipe(target: str) -> tuple[str, list[str]]:
    """`target`'s prerequisites and recipe lines in the Makefile."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return lines[start].split(":", 1)[1], recipe


def test_make_test_runs_every_tool_first() -> None:
    """The planted violations above fail the build only if `make lint` runs each tool and `make test` runs it."""
    _, recipe = _recipe("lint")
    for tool in ("ruff format --check", "ruff check", "lint-imports", "mypy"):
        assert any(tool in line for line in recipe), f"`make lint` does not run {tool}"
    prerequisites, recipe = _recipe("test")
    first = " ".join(recipe[: next(i for i, line in enumerate(recipe) if "run-suite.sh" in line)])
    runs_lint = "lint" in prerequisites.split() or (
        "$(MAKE) --no-print-directory lint; linted=$$?" in first and "test $$linted -eq 0" in first
    )  # as a prerequisite, or beside the Debian packages' install with its status kept
    assert runs_lint, "`make test` does not run `make lint` before the tests, or goes on when it fails"
