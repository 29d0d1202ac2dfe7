"""A module's folder in agent_desktop/ui says whose it is: a module at the root of agent_desktop/ui is the app's own or read by
the app and the desks alike; one that only the agent's (or only the supervisor's) screens read lives in their
folder, and one that both desks read and the app does not lives in agent_desktop/ui/shared."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "agent_desktop/ui"
DESKS = {"agent", "supervisor"}


def _area(path: Path) -> str:
    """`agent`, `supervisor`, `shared`, or `app` for a module at the root of agent_desktop/ui and anything outside it."""
    parts = path.relative_to(ROOT).parts
    return parts[2] if parts[:2] == ("agent_desktop", "ui") and len(parts) > 3 else "app"


def _readers() -> dict[str, set[str]]:
    """Each root module of agent_desktop/ui (by name) → the areas of the desktop's modules that import it."""
    readers: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "agent_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["agent_desktop", "ui"] and len(parts) >= 3 and (UI / f"{parts[2]}.py").is_file():
                    readers[parts[2]].add(_area(path))
    return readers


def _home(areas: set[str]) -> str:
    desks = areas & DESKS
    return (
        f"agent_desktop/ui/{desks.pop()}/" if len(desks) == 1 and "shared" not in areas else "agent_desktop/ui/shared/"
    )


def test_a_root_module_of_the_ui_that_the_app_does_not_read_lives_in_the_folder_of_those_that_do() -> None:
    misplaced = {name: _home(areas) for name, areas in _readers().items() if "app" not in areas}
    assert misplaced == {}, "move each module into the folder named"
