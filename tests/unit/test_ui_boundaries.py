"""What the UI may do, checked on its source (issue 19): the screens draw the desk and hand the agent's answers
to the desk's controller, and the app wires the sessions to the screens and asks them, so no file of desktop/ui
(app.py included) calls the CRM or the outbox itself (the controller's use cases and the app's sessions do:
desktop/desk/controller.py, desktop/desk/session.py), and no class in desktop/ui is assembled from mixins
(a class whose attributes its subclass must supply). import-linter sees imports, not calls; the AST does."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import desktop.ui

UI = Path(desktop.ui.__file__).parent
# Every file of desktop/ui: the app (app.py, which wires the sessions of desktop/desk/session.py to the screens
# and asks them), its root-level modules, and every screen and widget (the agent's, the supervisor's, shared).
VIEWS = sorted(UI.rglob("*.py"))
BACKEND_SERVICES = {"crm", "outbox"}


def reaching_the_crm_or_the_outbox(source: str) -> list[str]:
    """Where the code names the backends' CRM or the outbox store (`backends.crm`, `self.backends.outbox`...)."""
    return [
        f"{node.lineno} .{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in BACKEND_SERVICES
    ]


def test_no_file_of_the_ui_reaches_the_crm_or_the_outbox():
    reached = [f"{path.relative_to(UI)}:{where}" for path in VIEWS for where in reaching_the_crm_or_the_outbox(path.read_text())]
    assert {"app.py", "palette.py", "agent_screen.py", "supervisor_screen.py", "footer.py"} <= {path.name for path in VIEWS}
    assert reached == [], "a use case in the view: move it to the controller or the app's sessions (desktop/desk/session.py)"


def test_the_check_sees_what_the_app_did_before_its_sessions():
    """The lines app.py had before desktop/desk/session.py took their work over are each caught."""
    for line in (
        "self.outbox_sender = OutboxSender(backends.outbox, backends.crm)",
        "await asyncio.to_thread(enqueue_supervision, self.backends.outbox, records)",
        "counts = await asyncio.to_thread(self.backends.outbox.counts)",
        "keeps = crm_capabilities(self.backends.crm).supervision",
    ):
        assert reaching_the_crm_or_the_outbox(f"async def f(self, backends, records):\n    {line}\n") != [], line


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


def test_each_command_is_carried_out_by_whom_the_table_says():
    """The table says who carries a command out: the controller's use case of its name, the dialogs' flow of its
    name, or the screen's own action; the screen has an action for every command (what its binding runs)."""
    from desktop.desk.commands import COMMANDS
    from desktop.desk.controller import DeskController
    from desktop.ui.agent.agent_dialogs import AgentDialogs
    from desktop.ui.agent.agent_screen import AgentScreen

    missing = []
    for command in COMMANDS:
        carried_out_by = {"controller": DeskController, "dialog": AgentDialogs, "screen": AgentScreen}[command.by]
        name = command.name if command.by != "screen" else f"action_{command.name}"
        if not callable(getattr(carried_out_by, name, None)) or not callable(getattr(AgentScreen, f"action_{command.name}", None)):
            missing.append(f"{command.action} by {command.by}")
    assert {c.by for c in COMMANDS} == {"controller", "dialog", "screen"}
    assert missing == []
    assert inspect.iscoroutinefunction(DeskController.accept), "a use case: the screen runs it as a worker"
