"""Change reaches the screen one way (docs/architecture.md, "An event, from a backend to a painted widget"): a desk
announces each change where it is made, on its `ChangeFeed`, and the screen's one pacer draws it. So no module of
the supervisor's desk asks for a redraw by hand (a use case that did and forgot once lost the redraw, and, where the
same hook wrote the supervision records, the audit record too); no module anywhere hands a desk or a controller a
redraw callback after it was built (the screen subscribes to the feed instead); and there is one pacer class.
Checked on the source with the AST, so a new use case is checked the day it is written."""

from __future__ import annotations

import ast
from pathlib import Path

import agent_desktop
import agent_desktop.supervisor_desk

PACKAGE = Path(agent_desktop.__file__).parent
SUPERVISOR_DESK = Path(agent_desktop.supervisor_desk.__file__).parent
# What a redraw asked for by hand is called, or was: the screen's hooks the controller held, a panel's.
REDRAW_HOOKS = {"floor_changed", "monitor_changed", "changed", "redraw", "refresh", "refresh_bindings"}
# The attributes a redraw callback was handed over in, after construction (`controller.changed = self._desk_changed`),
# and the offer card's owner and answer (`areas.offer.front = self.front`): each is passed in as the part is built.
CALLBACK_SLOTS = {"changed", "floor_changed", "monitor_changed", "announce", "front", "answer"}


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


def test_no_module_of_the_supervisors_desk_asks_for_a_redraw_by_hand() -> None:
    found = [
        f"{_where(path, node)} calls {name}()"
        for path in sorted(SUPERVISOR_DESK.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and (name := _called(node)) in REDRAW_HOOKS
    ]
    assert not found, "the desk announces its changes on its feed; nothing asks the screen:\n" + "\n".join(found)


def test_no_module_hands_a_desk_or_a_controller_a_redraw_callback_after_it_is_built() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
            if not isinstance(node, ast.Assign | ast.AnnAssign):
                continue
            for target in [t for each in targets for t in (each.elts if isinstance(each, ast.Tuple) else [each])]:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in CALLBACK_SLOTS
                    and ast.unparse(target.value) != "self"  # (its own attribute, set as it is built)
                ):
                    found.append(f"{_where(path, node)} assigns .{target.attr}")
    assert not found, "subscribe to the model's ChangeFeed at construction instead:\n" + "\n".join(found)
