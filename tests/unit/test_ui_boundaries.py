"""What the agent's screens may do, checked on their source (issue 19): they draw the desk and hand the
agent's answers to the desk's controller, so no screen or widget calls the CRM or the outbox itself (the
controller's use cases do: desktop/desk/controller.py), and no class in desktop/ui is assembled from mixins
(a class whose attributes its subclass must supply). import-linter sees imports, not calls; the AST does."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import desktop.ui

UI = Path(desktop.ui.__file__).parent
# The app (desktop/ui/app.py) is the composition root: it builds the outbox sender and the agent's session.
# Every screen and widget, grouped by whose they are (the agent's, the supervisor's, shared).
VIEWS = sorted(path for folder in ("agent", "supervisor", "shared") for path in (UI / folder).rglob("*.py"))
BACKEND_SERVICES = {"crm", "outbox"}


def test_no_screen_or_widget_reaches_the_crm_or_the_outbox():
    reached = [
        f"{path.relative_to(UI)}:{node.lineno} .{node.attr}"
        for path in VIEWS
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr in BACKEND_SERVICES
    ]
    assert {"agent_screen.py", "supervisor_screen.py", "footer.py"} <= {path.name for path in VIEWS}
    assert reached == [], "a use case in the view: move it to the controller"


def test_no_class_in_the_ui_is_assembled_from_mixins():
    """At most one class of the project between a UI class and the toolkit's (a dialog on a shared dialog
    base is fine; a screen built on a chain of partial screens is not)."""
    chained = []
    for module_info in pkgutil.walk_packages(desktop.ui.__path__, "desktop.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            ours = [base for base in cls.__mro__[1:] if _ours(base)]
            if len(ours) > 1 or len([base for base in cls.__bases__ if _ours(base)]) > 1:
                chained.append(f"{cls.__module__}.{cls.__qualname__}: {[b.__qualname__ for b in ours]}")
    assert chained == []


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("desktop.")


def test_the_agent_screen_is_one_screen():
    from textual.screen import Screen

    from desktop.ui.agent.agent_screen import AgentScreen

    assert AgentScreen.__bases__ == (Screen,)
