"""A desk's package holds its core at its top and a package per feature below it (docs/architecture.md, "Inside a
desk"): no package of a desk, at any depth, holds more than 15 modules directly, so that a reader finds a feature by
its folder. The desks are the agent's and the supervisor's models and their screens (`ui/agent`, `ui/supervisor`,
and `ui/shared`, which both read)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "agent_desktop"
MOST = 15
DESKS = ["agent_desk", "supervisor_desk", "ui/agent", "ui/supervisor", "ui/shared"]


def packages_of(top: Path) -> list[Path]:
    return [top, *sorted(path.parent for path in top.rglob("__init__.py") if path.parent != top)]


@pytest.mark.parametrize("desk", DESKS)
def test_no_package_of_a_desk_holds_more_than_fifteen_modules_directly(desk: str) -> None:
    packages = packages_of(ROOT / desk)
    assert (ROOT / desk / "__init__.py").is_file(), "no such package: the walk would find nothing to check"
    crowded = {
        str(package.relative_to(ROOT)): len(list(package.glob("*.py")))
        for package in packages
        if len(list(package.glob("*.py"))) > MOST
    }
    assert crowded == {}
