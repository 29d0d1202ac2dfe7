"""The agent screen as a tree of widgets, checked on the source: no class of agent_desktop/ui keeps a screen
(a part or a widget reaches the screen through Textual's own `self.screen`, or is handed what it needs), the areas
keep their children instead of querying for them (`query_one` in agent_desktop/ui/agent stays under a bound), the
modules of agent_desktop/ui/agent import each other without a cycle, and the screen itself stays short. Each check is
proved on a planted case first, so a check that sees nothing cannot pass for one that finds nothing."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

import agent_desktop.ui
from scripts.import_cycles import strongly_connected

UI = Path(agent_desktop.ui.__file__).parent
AGENT = UI / "agent"
QUERY_ONE_BOUND = 40
SCREEN_LINES_BOUND = 255  # 250, one action line each for snooze, send later, their filter, a colleague's call; the
# accept told back
SCREEN_TYPE = re.compile(r"\b\w*Screen\b")  # Screen, ModalScreen, AgentScreen, SupervisorScreen...


def screens_kept(source: str) -> list[str]:
    """Where a class keeps a screen: an attribute named for one (`self.screen = `, `self._owner_screen = `), or an
    `__init__` that takes one (a parameter named `screen` or typed as a screen)."""
    found = []
    for cls in (node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)):
        for node in ast.walk(cls):
            targets: Iterable[ast.expr] = ()
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = (node.target,)
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else (target,):
                    if (
                        isinstance(element, ast.Attribute)
                        and isinstance(element.value, ast.Name)
                        and element.value.id == "self"
                        and "screen" in element.attr.lower()
                    ):
                        found.append(f"{cls.name}:{element.lineno} self.{element.attr}")
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                args = node.args
                for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                    annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                    if "screen" in arg.arg.lower() or SCREEN_TYPE.search(annotation):
                        found.append(f"{cls.name}:{node.lineno} __init__({arg.arg}: {annotation})")
    return found


def query_one_calls(source: str) -> int:
    return sum(
        1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query_one"
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(UI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, package: str) -> set[str]:
    """The modules `source` imports, wherever the import is (a function's, TYPE_CHECKING's): each is an arrow."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from package import module`
    return {name for name in found if name.startswith(package)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules of `graph` that import each other round a loop (or a module importing itself)."""
    return strongly_connected(sorted(graph), graph)


def agent_import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in AGENT.rglob("*.py")}
    return {
        name: imports_of(path.read_text(), "agent_desktop.ui.agent") & modules.keys() - {name}
        for name, path in modules.items()
    }


# --- the checks, each first on a planted case ----------------------------------------------------------------


def test_the_check_finds_a_class_that_keeps_a_screen() -> None:
    assert screens_kept(
        "class Part:\n    def __init__(self, screen: AgentScreen):\n        self.screen = screen\n"
    ) == [
        "Part:2 __init__(screen: AgentScreen)",
        "Part:3 self.screen",
    ]
    assert (
        screens_kept("class Part:\n    def __init__(self, owner: 'Screen') -> None:\n        self.owner = owner\n")
        != []
    )
    assert (
        screens_kept("class Part:\n    def start(self, owner) -> None:\n        self.a, self._my_screen = 1, owner\n")
        != []
    )
    assert screens_kept("class Part:\n    def __init__(self, desk: Desk) -> None:\n        self.desk = desk\n") == []
    assert screens_kept("def arrange(screen: Screen) -> None:\n    screen.add_class('-x')\n") == []  # handed, not kept


def test_no_class_of_the_ui_keeps_a_screen() -> None:
    kept = [
        f"{path.relative_to(UI)}: {where}"
        for path in sorted(UI.rglob("*.py"))
        for where in screens_kept(path.read_text())
    ]
    assert kept == [], "hand the part what it needs (the desk, the app, a widget), or use Textual's own `self.screen`"


def test_the_count_of_query_one_sees_each_call() -> None:
    assert (
        query_one_calls("x = self.query_one(A)\ny = self.screen.query_one('#b', B).query_one(C)\nself.query(D)\n") == 3
    )


def test_the_agent_screen_keeps_its_widgets_rather_than_querying_for_them() -> None:
    counts = {path.relative_to(UI): query_one_calls(path.read_text()) for path in sorted(AGENT.rglob("*.py"))}
    assert sum(counts.values()) <= QUERY_ONE_BOUND, {str(path): n for path, n in counts.items() if n}


def test_the_cycle_check_finds_a_planted_cycle() -> None:
    planted = {
        "a": imports_of("from agent_desktop.ui.agent import b\n", "agent_desktop.ui.agent"),
        "agent_desktop.ui.agent.b": imports_of(
            "def f():\n    from agent_desktop.ui.agent.c import C\n", "agent_desktop.ui.agent"
        ),
        "agent_desktop.ui.agent.c": imports_of(
            "if TYPE_CHECKING:\n    import agent_desktop.ui.agent.b\n", "agent_desktop.ui.agent"
        ),
    }
    assert cycles(planted) == [["agent_desktop.ui.agent.b", "agent_desktop.ui.agent.c"]]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_the_agent_screens_modules_import_each_other_without_a_cycle() -> None:
    graph = agent_import_graph()
    assert "agent_desktop.ui.agent.agent_screen" in graph
    assert "agent_desktop.ui.agent.offers.offer_over" in graph
    assert cycles(graph) == []


@pytest.mark.parametrize("screen", ["agent/agent_screen.py", "supervisor/supervisor_screen.py"])
def test_each_desks_screen_stays_short(screen: str) -> None:
    """Bound on both desks' screens: new drawing goes into an area's widget, new rules into the desk."""
    lines = len((UI / screen).read_text().splitlines())
    assert lines <= SCREEN_LINES_BOUND, f"{screen}: {lines} lines; move drawing into a widget, rules into the desk"


def actions_by_name(source: str) -> list[str]:
    """Where an action is made or found by a name built at run time: `setattr(Cls, f"action_{name}", …)`,
    `getattr(self, f"action_{name}")` (a command's action is written out, so a reader finds what a key runs)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("setattr", "getattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.JoinedStr)
            and "action_" in ast.unparse(node.args[1])
        ):
            found.append(f"{node.lineno} {node.func.id}")
    return found


def test_the_check_finds_an_action_made_or_found_by_name() -> None:
    assert actions_by_name('setattr(AgentScreen, f"action_{name}", act)\ngetattr(self, f"action_{a}")()\n') == [
        "1 setattr",
        "2 getattr",
    ]
    assert actions_by_name("getattr(self.controller, name)()\n") == []


def test_no_action_of_the_ui_is_made_or_found_by_name() -> None:
    found = [
        f"{path.relative_to(UI)}:{where}"
        for path in sorted(UI.rglob("*.py"))
        for where in actions_by_name(path.read_text())
    ]
    assert found == []


def test_every_command_of_the_agent_table_has_its_action_on_the_screen() -> None:
    """Written out one by one, an action can be forgotten when a command is added to the table: its key would
    show in the footer and the palette and do nothing (ctrl+g, More time, was so after a merge)."""
    from agent_desktop.agent_desk.commands import COMMANDS
    from agent_desktop.ui.agent.agent_screen import AgentScreen

    missing = [
        command.name for command in COMMANDS if not callable(getattr(AgentScreen, f"action_{command.name}", None))
    ]
    assert not missing, f"commands with no action on the agent screen: {missing}"
